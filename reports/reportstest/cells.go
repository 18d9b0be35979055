package reportstest

import (
	"context"
	"slices"

	"github.com/bussola-pa/bussola/privacy"
	"github.com/bussola-pa/bussola/reports"
)

// ReadinessCells implements reports.Store: the fixture's readiness lattice
// (unit x grade x cohort) of two waves, "2024" (the before scores) and
// "2025", every cell and margin summed from the people as a GROUP BY ...
// WITH CUBE would. The readiness index is the mean score on 0-100.
func (s *Store) ReadinessCells(_ context.Context, q reports.Query) (reports.ReadinessCells, error) {
	if outside(q) {
		return s.cells(q.Tenant)
	}
	return s.cells(q.Tenant, "2024", "2025")
}

// WaveCells implements reports.Store: ReadinessCells' lattice of one wave
// ("2024" or "2025"; the fixture has one instrument).
func (s *Store) WaveCells(_ context.Context, tenant, _, wave string) (reports.ReadinessCells, error) {
	if wave != "2024" && wave != "2025" {
		return reports.ReadinessCells{Version: "fixture", Dimensions: Dimensions, DimensionLabels: DimensionLabels}, nil
	}
	return s.cells(tenant, wave)
}

func (s *Store) cells(tenant string, waves ...string) (reports.ReadinessCells, error) {
	_, entity := s.selection(reports.Query{Tenant: tenant})
	d := reports.ReadinessCells{Version: "fixture", Instrument: "digital-readiness", Dimensions: Dimensions, DimensionLabels: DimensionLabels}
	if len(entity) == 0 {
		return d, nil
	}
	l, err := latticeOf(entity)
	if err != nil {
		return d, err
	}
	moments := func() reports.CellMoments {
		return reports.CellMoments{N: make([]int, l.Len()), S: make([]float64, l.Len()), SS: make([]float64, l.Len())}
	}
	for _, wave := range waves {
		wc := reports.WaveCells{Wave: wave, Lattice: l, People: make([]int, l.Len()), Scores: map[string]reports.CellMoments{},
			Below: map[string][]float64{}, Index: moments()}
		for _, dim := range Dimensions {
			wc.Scores[dim] = moments()
			wc.Below[dim] = make([]float64, l.Len())
		}
		wc.Levels = map[string]reports.CategoryCells{}
		for _, dim := range Dimensions {
			wc.Levels[dim] = categoryCells(l, []string{"1", "2", "3", "4", "5"})
		}
		wc.Segments, wc.Stages = categoryCells(l, segmentNames), categoryCells(l, stageNames)
		for _, p := range entity {
			scores := p.scores
			if wave == "2024" {
				scores = p.before
			}
			seg, stage := segmentAndStage(scores)
			idx := 0.0
			for _, x := range scores {
				idx += (x - 1) / 4 * 100 / float64(len(scores))
			}
			for _, i := range above(l, p) {
				wc.People[i]++
				wc.Index.N[i]++
				wc.Index.S[i] += idx
				wc.Index.SS[i] += idx * idx
				wc.Segments.People[seg][i]++
				wc.Stages.People[stage][i]++
				for di, dim := range Dimensions {
					wc.Levels[dim].People[level(scores[di])][i]++
					m := wc.Scores[dim]
					m.N[i]++
					m.S[i] += scores[di]
					m.SS[i] += scores[di] * scores[di]
					if scores[di] < 3 {
						wc.Below[dim][i]++
					}
				}
			}
		}
		d.Waves = append(d.Waves, wc)
	}
	return d, nil
}

// categoryCells returns empty counts of cats over the cells of l.
func categoryCells(l *privacy.Lattice, cats []string) reports.CategoryCells {
	cc := reports.CategoryCells{Categories: cats, People: make([][]int, len(cats))}
	for i := range cats {
		cc.People[i] = make([]int, l.Len())
	}
	return cc
}

// PublishingCells implements reports.Store: the fixture's referents
// publish 2-5 items a week, each skipping every third week (staggered),
// over the twelve fixture weeks; cells and margins summed per week.
func (s *Store) PublishingCells(_ context.Context, tenant string) (reports.PublishingCells, error) {
	_, entity := s.selection(reports.Query{Tenant: tenant})
	d := reports.PublishingCells{Version: "fixture"}
	var refs []person
	for _, p := range entity {
		if p.referent {
			refs = append(refs, p)
		}
	}
	if len(refs) == 0 {
		return d, nil
	}
	l, err := latticeOf(refs)
	if err != nil {
		return d, err
	}
	d.Lattice, d.Weeks = l, weeks(reports.Query{})
	for i := range d.Weeks {
		people, items := make([]int, l.Len()), make([]float64, l.Len())
		for j, p := range refs {
			if (i+j)%3 == 0 {
				continue
			}
			for _, at := range above(l, p) {
				people[at]++
				items[at] += float64(2 + (i+j)%4)
			}
		}
		d.People, d.Items = append(d.People, people), append(d.Items, items)
	}
	return d, nil
}

// DiaryCells implements reports.Store: every fixture person writes in
// three weeks of four (staggered), rating 3.2-3.4 plus a pilot lift that
// grows by 0.02 a week and a person's own offset; cells and margins summed
// per week. Pilot cohorts onda-1 and onda-2, comparison confronto.
func (s *Store) DiaryCells(_ context.Context, tenant string) (reports.DiaryCells, error) {
	_, entity := s.selection(reports.Query{Tenant: tenant})
	d := reports.DiaryCells{Version: "fixture", Ratings: []string{"productivity", "work_life_balance", "connection"},
		Groups: map[string][]string{"pilot": {"onda-1", "onda-2"}, "comparison": {"confronto"}}}
	if len(entity) == 0 {
		return d, nil
	}
	l, err := latticeOf(entity)
	if err != nil {
		return d, err
	}
	d.Lattice, d.Weeks = l, weeks(reports.Query{})
	for i := range d.Weeks {
		people := make([]int, l.Len())
		ms := make([]reports.CellMoments, len(d.Ratings))
		for j := range ms {
			ms[j] = reports.CellMoments{N: make([]int, l.Len()), S: make([]float64, l.Len()), SS: make([]float64, l.Len())}
		}
		for pi, p := range entity {
			if (pi+i)%4 == 0 {
				continue
			}
			lift := 0.0
			if p.cohort != "confronto" {
				lift = 0.02 * float64(i)
			}
			for _, at := range above(l, p) {
				people[at]++
				for j := range ms {
					x := 3.2 + 0.1*float64(j) + lift + 0.1*float64(pi%5-2)
					ms[j].N[at]++
					ms[j].S[at] += x
					ms[j].SS[at] += x * x
				}
			}
		}
		d.People, d.Moments = append(d.People, people), append(d.Moments, ms)
	}
	return d, nil
}

// latticeOf is the unit x grade x cohort lattice of people's labels.
func latticeOf(people []person) (*privacy.Lattice, error) {
	cats := func(f func(person) string) []string {
		var out []string
		for _, p := range people {
			if !slices.Contains(out, f(p)) {
				out = append(out, f(p))
			}
		}
		slices.Sort(out)
		return out
	}
	return privacy.NewLattice(
		privacy.Dimension{Name: "unit", Categories: cats(func(p person) string { return p.unit })},
		privacy.Dimension{Name: "grade", Categories: cats(func(p person) string { return p.grade })},
		privacy.Dimension{Name: "cohort", Categories: cats(func(p person) string { return p.cohort })})
}

// above returns the eight cells of l that hold p: each coordinate p's
// label or Total, as a GROUP BY ... WITH CUBE counts a person.
func above(l *privacy.Lattice, p person) []int {
	coord := []int{slices.Index(l.Dims()[0].Categories, p.unit), slices.Index(l.Dims()[1].Categories, p.grade),
		slices.Index(l.Dims()[2].Categories, p.cohort)}
	out := make([]int, 0, 8)
	for mask := 0; mask < 8; mask++ {
		c := slices.Clone(coord)
		for k := range c {
			if mask&(1<<k) != 0 {
				c[k] = privacy.Total
			}
		}
		out = append(out, l.Index(c...))
	}
	return out
}
