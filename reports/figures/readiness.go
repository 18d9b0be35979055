package figures

import (
	"context"

	"github.com/bussola-pa/bussola/reports"
)

// Readiness implements reports.Store: each unit's and the selection's
// mean score per dimension with its interval, the share below the training
// target, and the change from the wave before, from the Source's moments.
func (s *Store) Readiness(ctx context.Context, q reports.Query) (reports.ReadinessData, error) {
	return memo(s, ctx, resultKey("readiness", q), func(ctx context.Context) (reports.ReadinessData, error) {
		r, err := s.ReadinessSums(ctx, q)
		if err != nil {
			return r.Counts, err
		}
		return readiness(r), nil
	})
}

func readiness(r ReadinessSums) reports.ReadinessData {
	d := r.Counts
	type key struct{ wave, unit, dim string }
	cells := make(map[key]ScoreSums, len(r.Scores))
	for _, c := range r.Scores {
		cells[key{c.Wave, c.Unit, c.Dimension}] = c
	}
	for _, dim := range d.Dimensions {
		for _, u := range r.Units {
			c, ok := cells[key{r.Latest, u, dim}]
			if !ok {
				continue
			}
			d.Heatmap = append(d.Heatmap, reports.UnitScore{Unit: u, Dimension: dim, Cell: peopleCell(c.Moments)})
			d.Training = append(d.Training, reports.UnitScore{Unit: u, Dimension: dim,
				Cell: reports.Cell{Value: float64(c.Below) / c.Moments.N, N: int(c.Moments.N)}})
		}
		tot, ok := cells[key{r.Latest, "", dim}]
		if !ok {
			continue
		}
		d.DimensionTotals = append(d.DimensionTotals, reports.UnitScore{Dimension: dim, Cell: peopleCell(tot.Moments)})
		if before, ok := cells[key{r.Prev, "", dim}]; r.Prev != "" && ok {
			d.Waves = append(d.Waves, reports.WaveChange{Dimension: dim, FromWave: r.Prev, ToWave: r.Latest,
				Before: peopleCell(before.Moments), After: peopleCell(tot.Moments), Change: diffCell(tot.Moments, before.Moments)})
		}
	}
	return d
}
