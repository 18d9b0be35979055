package reports

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bussola-pa/bussola/privacy"
)

// ReasonEntityOnly: a figure outside the lattices (the behavioural KPIs,
// the impact page's estimates, the feedback ratings) is published for the
// whole entity only; under a filter it would be a table of its own that
// differencing with the entity's could open.
const ReasonEntityOnly = "entity_only"

// wavePatterns protects the readiness lattice of each wave in c: one
// pattern per wave for every head count released from it (the scored
// people, each dimension's, the index's), with the cells hidden where a
// family of categories hides its total (disclosure_categories.go).
func (s *Server) wavePatterns(tenant string, c ReadinessCells, k int) ([]*privacy.Pattern, error) {
	out := make([]*privacy.Pattern, len(c.Waves))
	for w, wc := range c.Waves {
		ns := [][]int{wc.People, wc.Index.N}
		for _, dim := range c.Dimensions {
			if m, ok := wc.Scores[dim]; ok {
				ns = append(ns, m.N)
			}
		}
		var uniq [][]int // the same head count twice is one pattern

		for _, n := range ns {
			if !slices.ContainsFunc(uniq, func(u []int) bool { return slices.Equal(u, n) }) {
				uniq = append(uniq, n)
			}
		}
		family := "readiness/" + c.Instrument + "/" + wc.Wave
		p, err := s.protect(family, tenant, c.Version, wc.Lattice, k, uniq...)
		if err != nil {
			return nil, err
		}
		_, qs, err := s.familyPatterns(family, tenant, c.Version, c.Dimensions, wc, k)
		if err != nil {
			return nil, err
		}
		out[w] = withFamilyTotals(p, qs)
	}
	return out, nil
}

// readinessData builds the readiness page from its lattice: the heatmap's
// rows are the cells unit x (the selection's grade and cohort), the
// dimension totals the selection's cell, the training needs the same
// cells' shares below target, the wave comparison the selection's cell in
// each wave, the score levels, segments and stages the selection's cell
// of each family's category lattice.
func (s *Server) readinessData(ctx context.Context, q Query, p Privacy) (ReadinessData, error) {
	c, err := s.store.ReadinessCells(ctx, q)
	if err != nil {
		return ReadinessData{}, fmt.Errorf("readiness cells: %w", err)
	}
	d := ReadinessData{Dimensions: c.Dimensions, DimensionLabels: c.DimensionLabels}
	if len(c.Waves) == 0 {
		return d, nil
	}
	pats, err := s.wavePatterns(q.Tenant, c, p.MinGroup)
	if err != nil {
		return d, err
	}
	last := len(c.Waves) - 1
	cur, pc := c.Waves[last], pats[last]
	l := cur.Lattice
	sel, ok := selection(l, q)
	if !ok {
		return d, nil
	}
	total := l.Index(privacy.Total, privacy.Total, privacy.Total)
	d.Population = Population{N: cur.People[sel], EntityN: cur.People[total]}
	if pc.Hidden(sel) {
		d.Population.N = 0 // the selection is a hidden cell: the whole page is
	}
	d.Trend, d.EntityTotals = readinessTrend(c, pats, q), entityTotals(c, pats)
	coord := l.Coord(sel, nil)
	units := []int{coord[0]}
	if coord[0] == privacy.Total {
		units = units[:0]
		for u := range l.Dims()[0].Categories {
			units = append(units, u)
		}
	}
	for _, dim := range c.Dimensions {
		m, ok := cur.Scores[dim]
		if !ok {
			continue
		}
		for _, u := range units {
			i := l.Index(u, coord[1], coord[2])
			if m.N[i] == 0 {
				continue
			}
			unit := l.Dims()[0].Categories[u]
			d.Heatmap = append(d.Heatmap, UnitScore{Unit: unit, Dimension: dim, Cell: meanFigure(pc, m, i)})
			d.Training = append(d.Training, UnitScore{Unit: unit, Dimension: dim, Cell: shareFigure(pc, cur.Below[dim], m.N, i)})
		}
		if m.N[sel] == 0 {
			continue
		}
		d.DimensionTotals = append(d.DimensionTotals, UnitScore{Dimension: dim, Cell: meanFigure(pc, m, sel)})
		if last > 0 {
			prev, pp := c.Waves[last-1], pats[last-1]
			psel, ok := selection(prev.Lattice, q)
			if b, found := prev.Scores[dim]; ok && found && b.N[psel] > 0 {
				d.Waves = append(d.Waves, WaveChange{Dimension: dim, FromWave: prev.Wave, ToWave: cur.Wave,
					Before: meanFigure(pp, b, psel), After: meanFigure(pc, m, sel), Change: diffFigure(pc, pp, m, b, sel, psel)})
			}
		}
	}
	// Score levels, segments and stages: the selection's cell of each
	// family's category lattice.
	fs, qs, err := s.familyPatterns("readiness/"+c.Instrument+"/"+cur.Wave, q.Tenant, c.Version, c.Dimensions, cur, p.MinGroup)
	if err != nil {
		return d, err
	}
	label := func(id string) string {
		if x, ok := c.CategoryLabels[id]; ok {
			return x
		}
		return id
	}
	for fi, f := range fs {
		switch dim, level := strings.CutPrefix(f.key, "levels/"); {
		case level:
			if m, ok := cur.Scores[dim]; !ok || m.N[sel] == 0 {
				continue
			}
			for _, x := range categoryFigures(f, l, qs[fi], sel, func(s string) string { return s }) {
				d.Distribution = append(d.Distribution, LevelCount{Dimension: dim, Level: x.Category, Cell: x.Cell})
			}
		case f.key == "segments":
			d.Segments = categoryFigures(f, l, qs[fi], sel, label)
		case f.key == "stages":
			d.Stages = categoryFigures(f, l, qs[fi], sel, label)
		}
	}
	if s.cfg.Privacy.UnsafeNoLatticeProtection {
		perTableCategories(&d, p.MinGroup) // today's rule alone, for the attack tests
	}
	return d, nil
}

// WaveDisclosure is the assessment API's view of the readiness lattice
// (scoring.Disclosure): for one scored wave of an instrument, the reason
// each category of the dimension by (org_unit, grade or cohort) is hidden
// ("" when published) and the reason the wave total is. It uses the same
// pattern as the readiness and executive pages for that wave.
func (s *Server) WaveDisclosure(ctx context.Context, tenant, instrument, wave, by string) (map[string]string, string, error) {
	c, err := s.store.WaveCells(ctx, tenant, instrument, wave)
	if err != nil {
		return nil, "", fmt.Errorf("wave cells: %w", err)
	}
	if len(c.Waves) == 0 {
		return nil, ReasonSmallPopulation, nil
	}
	pats, err := s.wavePatterns(tenant, c, s.cfg.Privacy.For(tenant).MinGroup)
	if err != nil {
		return nil, "", err
	}
	l, p := c.Waves[0].Lattice, pats[0]
	d := map[string]int{"org_unit": 0, "unit": 0, "grade": 1, "cohort": 2}[by]
	out := map[string]string{}
	coord := []int{privacy.Total, privacy.Total, privacy.Total}
	total := p.Reason[l.Index(coord...)]
	for ci, cat := range l.Dims()[d].Categories {
		coord[d] = ci
		out[cat] = p.Reason[l.Index(coord...)]
	}
	return out, total, nil
}
