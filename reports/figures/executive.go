package figures

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/reports"
)

// Executive implements reports.Store: readiness index and response rate
// compare the latest questionnaire wave with the one before; adoption and
// wellbeing compare the last analytics.KPIWeeks weeks with the KPIWeeks
// before. The selection's KPIs and each other tenant's benchmark KPIs are
// read at once; an unfiltered selection is its own tenant's benchmark.
func (s *Store) Executive(ctx context.Context, q reports.Query) (reports.ExecutiveData, error) {
	return memo(s, ctx, resultKey("executive", q), func(ctx context.Context) (reports.ExecutiveData, error) { return s.executive(ctx, q) })
}

func (s *Store) executive(ctx context.Context, q reports.Query) (reports.ExecutiveData, error) {
	d := reports.ExecutiveData{}
	unfiltered := q.Unit == "" && q.Grade == "" && q.Cohort == ""
	var tenants []string
	if len(q.Tenants) > 1 {
		tenants = q.Tenants
	}
	bench := make([][]reports.KPI, len(tenants))
	var g errgroup.Group
	g.Go(func() error {
		p, err := s.KPIPanels(ctx, q)
		d.KPIs, d.Population = kpis(p), p.Population
		kpiTrends(d.KPIs, p, q.From)
		return err
	})
	for i, t := range tenants {
		if t == q.Tenant && unfiltered {
			continue
		}
		g.Go(func() error {
			p, err := s.KPIPanels(ctx, reports.Query{Tenant: t, From: q.From, To: q.To, Lang: q.Lang})
			bench[i] = kpis(p)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return d, err
	}
	for i, t := range tenants {
		ks := bench[i]
		if t == q.Tenant && unfiltered {
			ks = d.KPIs
		}
		for _, k := range ks {
			d.Benchmark = append(d.Benchmark, reports.BenchmarkCell{Tenant: t, KPI: k.Key, Cell: k.Current})
		}
	}
	return d, nil
}

// kpis computes one selection's KPIs from its panels.
func kpis(p KPIPanels) []reports.KPI {
	kpi := func(key, unit string, w analytics.Windows) reports.KPI {
		return reports.KPI{Key: key, Unit: unit, Current: peopleCell(w[0]), Previous: peopleCell(w[1]), Change: diffCell(w[0], w[1])}
	}
	adopt, well := analytics.BehaviourKPIs(p.Intranet, p.Diary, p.LastWeek, analytics.KPIWeeks)
	out := []reports.KPI{kpi("readiness_index", "points", analytics.Windows(p.Index)), kpi("adoption_rate", "share", adopt), kpi("wellbeing", "rating", well)}
	// The behavioural KPIs compare two windows of KPIWeeks weeks ending
	// with the last week of intranet use.
	if end := p.LastWeek; !end.IsZero() {
		curFrom, prevFrom := analytics.WindowStarts(end, analytics.KPIWeeks)
		cur := reports.Span{From: curFrom, To: end.AddDate(0, 0, 6)}
		before := reports.Span{From: prevFrom, To: curFrom.AddDate(0, 0, -1)}
		for i := 1; i <= 2; i++ {
			out[i].Period, out[i].PreviousPeriod = cur, before
		}
	}

	// Response rate: scored respondents of each wave over the people seen
	// on the intranet in the period.
	known := p.Known
	cr, pr := shareCell(min(p.Respondents[0], known), known), shareCell(min(p.Respondents[1], known), known)
	change := reports.Cell{Value: cr.Value - pr.Value, N: known}
	if p.Prev != "" {
		if _, lo, hi, ok := analytics.ShareDiffCI(cr.Value, pr.Value, known); ok {
			change.Lo, change.Hi = lo, hi
		}
	} else {
		pr = reports.Cell{}
	}
	if p.Latest == "" { // no survey in the period: no rate, not a rate of 0%
		cr, change = reports.Cell{}, reports.Cell{}
	}
	return append(out, reports.KPI{Key: "response_rate", Unit: "share", Current: cr, Previous: pr, Change: change,
		Period: reports.Span{Wave: p.Latest}, PreviousPeriod: reports.Span{Wave: p.Prev}})
}
