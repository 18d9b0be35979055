package reports

import (
	"context"
	"fmt"
	"slices"

	"github.com/bussola-pa/bussola/privacy"
)

// readinessIndexKPI returns the readiness index KPI of q's selection from
// the readiness lattice: the selection's cell in the latest wave and the
// one before, under the same patterns as the readiness page, so the two
// pages (and the assessment API) publish the same cells.
func (s *Server) readinessIndexKPI(ctx context.Context, q Query, k int) (KPI, Population, bool, error) {
	x := KPI{Key: "readiness_index", Unit: "points"}
	c, err := s.store.ReadinessCells(ctx, q)
	if err != nil {
		return x, Population{}, false, fmt.Errorf("readiness cells: %w", err)
	}
	if len(c.Waves) == 0 {
		return x, Population{}, false, nil
	}
	pats, err := s.wavePatterns(q.Tenant, c, k)
	if err != nil {
		return x, Population{}, false, err
	}
	last := len(c.Waves) - 1
	cur, pc := c.Waves[last], pats[last]
	sel, ok := selection(cur.Lattice, q)
	if !ok {
		return x, Population{}, false, nil
	}
	total := cur.Lattice.Index(privacy.Total, privacy.Total, privacy.Total)
	pop := Population{N: cur.People[sel], EntityN: cur.People[total]}
	if pc.Hidden(sel) {
		pop.N = 0
	}
	x.Current = meanFigure(pc, cur.Index, sel)
	x.Period = Span{Wave: cur.Wave}
	x.Series = indexTrend(c, pats, q)
	if last > 0 {
		prev, pp := c.Waves[last-1], pats[last-1]
		x.PreviousPeriod = Span{Wave: prev.Wave}
		if psel, ok := selection(prev.Lattice, q); ok {
			x.Previous = meanFigure(pp, prev.Index, psel)
			x.Change = diffFigure(pc, pp, cur.Index, prev.Index, sel, psel)
		}
	}
	return x, pop, true, nil
}

// executiveData reads the executive summary: the readiness index from the
// readiness lattice; adoption, wellbeing and response rate, which no
// lattice holds yet, for the whole entity only (hidden under a filter).
// Benchmarks are whole tenants: their index comes from each tenant's
// lattice total.
func (s *Server) executiveData(ctx context.Context, q Query, p Privacy) (ExecutiveData, error) {
	d, err := s.store.Executive(ctx, q)
	if err != nil {
		return d, err
	}
	idx, pop, ok, err := s.readinessIndexKPI(ctx, q, p.MinGroup)
	if err != nil {
		return d, err
	}
	out := make([]KPI, 0, len(d.KPIs))
	for _, x := range d.KPIs {
		switch {
		case x.Key == "readiness_index":
			if !ok {
				x = KPI{Key: x.Key, Unit: x.Unit}
			} else {
				x = idx
			}
		case s.entityOnly(q):
			x.Current.Hide(ReasonEntityOnly)
			x.Previous.Hide(ReasonEntityOnly)
			x.Change.Hide(ReasonEntityOnly)
			x.Series = slices.Clone(x.Series)
			hideAll(ReasonEntityOnly, trendCells(x.Series)...)
		}
		out = append(out, x)
	}
	d.KPIs = out
	if q.Filtered() && ok {
		// The selection's size is the lattice cell's, not a count of its own.
		d.Population = pop
	}
	bench := d.Benchmark[:0:0]
	for _, b := range d.Benchmark {
		if b.KPI == "readiness_index" {
			t := s.cfg.Privacy.For(b.Tenant)
			bx, _, ok, err := s.readinessIndexKPI(ctx, Query{Tenant: b.Tenant, From: q.From, To: q.To, Lang: q.Lang}, max(p.MinGroup, t.MinGroup))
			if err != nil {
				return d, err
			}
			b.Cell = bx.Current
			if !ok {
				b.Cell = Cell{}
			}
		}
		bench = append(bench, b)
	}
	d.Benchmark = bench
	return d, nil
}
