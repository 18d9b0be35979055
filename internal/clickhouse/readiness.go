package clickhouse

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/reports"
)

// Readiness implements reports.Store from the scoring job's tables
// (readiness_scores, readiness_persons): the latest wave of the
// digital-readiness instrument in the period, compared with the one
// before. Waves are ordered by their first answer.
func (s *Store) Readiness(ctx context.Context, q reports.Query) (reports.ReadinessData, error) {
	return cached(s, ctx, resultKey("readiness", q), func() (reports.ReadinessData, error) { return s.readiness(ctx, q) })
}

// waves returns the waves of an instrument answered in the period, oldest
// first.
func (s *Store) waves(ctx context.Context, q reports.Query, instr string) ([]string, error) {
	var out []string
	err := s.each(ctx, "Readiness.waves", with(params(q), "instrument", instr), func(r driver.Rows) error {
		var w string
		var first time.Time
		if err := r.Scan(&w, &first); err != nil {
			return err
		}
		out = append(out, w)
		return nil
	})
	return out, err
}

// lastTwo returns the newest wave and the one before ("" when none).
func lastTwo(ws []string) (latest, prev string) {
	switch len(ws) {
	case 0:
		return "", ""
	case 1:
		return ws[0], ""
	}
	return ws[len(ws)-1], ws[len(ws)-2]
}

type scoreCell struct {
	m     moments
	below int
}

func (s *Store) readiness(ctx context.Context, q reports.Query) (reports.ReadinessData, error) {
	lg := lang(q)
	d := reports.ReadinessData{}
	d.Dimensions, d.DimensionLabels = dimensions(instrReadiness, lg)
	ws, err := s.waves(ctx, q, instrReadiness)
	if err != nil || len(ws) == 0 {
		return d, err
	}
	latest, prev := lastTwo(ws)
	p := with(params(q), "instrument", instrReadiness, "stages", instrStages, "wave", latest, "prev", prev, "target", trainingTarget)

	// People, scores and segments are independent queries.
	var n, entity uint64
	var pa personsAgg
	type ud struct{ wave, unit, dim string }
	type ld struct {
		dim   string
		level uint8
	}
	cells := map[ud]*scoreCell{}
	levels := map[ld]int{}
	units := map[string]bool{}
	scores := func() error {
		return s.each(ctx, "Readiness.scores", p, func(r driver.Rows) error {
			var wave, dim, unit string
			var level uint8
			var cnt, below uint64
			var sum, ss float64
			if err := r.Scan(&wave, &dim, &unit, &level, &cnt, &sum, &ss, &below); err != nil {
				return err
			}
			for _, k := range []ud{{wave, unit, dim}, {wave, "", dim}} {
				c := cells[k]
				if c == nil {
					c = &scoreCell{}
					cells[k] = c
				}
				c.m.merge(moments{float64(cnt), sum, ss})
				c.below += int(below)
			}
			if wave == latest {
				units[unit] = true
				levels[ld{dim, level}] += int(cnt)
			}
			return nil
		})
	}
	err = parallel(func() error {
		return s.each(ctx, "Readiness.population", p, func(r driver.Rows) error { return r.Scan(&n, &entity) })
	}, scores, func() (err error) {
		pa, err = s.persons(ctx, p, latest)
		return err
	})
	if err != nil {
		return d, err
	}
	d.Population = reports.Population{N: int(n), EntityN: int(entity)}
	unitList := sortedKeys(units)
	for _, dim := range d.Dimensions {
		for _, u := range unitList {
			c := cells[ud{latest, u, dim}]
			if c == nil {
				continue
			}
			d.Heatmap = append(d.Heatmap, reports.UnitScore{Unit: u, Dimension: dim, Cell: meanCell(c.m, int(c.m.n))})
			d.Training = append(d.Training, reports.UnitScore{Unit: u, Dimension: dim,
				Cell: reports.Cell{Value: float64(c.below) / c.m.n, N: int(c.m.n)}})
		}
		tot := cells[ud{latest, "", dim}]
		if tot == nil {
			continue
		}
		d.DimensionTotals = append(d.DimensionTotals, reports.UnitScore{Dimension: dim, Cell: meanCell(tot.m, int(tot.m.n))})
		for l := uint8(1); l <= 5; l++ {
			d.Distribution = append(d.Distribution, reports.LevelCount{Dimension: dim, Level: strconv.Itoa(int(l)), Cell: count(levels[ld{dim, l}])})
		}
		if before := cells[ud{prev, "", dim}]; prev != "" && before != nil {
			d.Waves = append(d.Waves, reports.WaveChange{Dimension: dim, FromWave: prev, ToWave: latest,
				Before: meanCell(before.m, int(before.m.n)), After: meanCell(tot.m, int(tot.m.n)),
				Change: diffCell(tot.m, before.m, int(tot.m.n), int(before.m.n))})
		}
	}
	segs, stages := pa.segs, pa.stages
	for _, sl := range segmentLabels {
		d.Segments = append(d.Segments, reports.CategoryCount{Category: l2(sl.it, sl.en, lg), Cell: count(segs[sl.id])})
	}
	stageIDs, stageLabels := dimensions(instrStages, lg)
	for _, id := range stageIDs {
		d.Stages = append(d.Stages, reports.CategoryCount{Category: stageLabels[id], Cell: count(stages[id])})
	}
	d.Stages = append(d.Stages, reports.CategoryCount{Category: l2(noBarrier[0], noBarrier[1], lg), Cell: count(stages["none"])})
	return d, nil
}

// personsAgg is the readiness_persons aggregate of two waves.
type personsAgg struct {
	segs, stages map[string]int     // latest wave
	index        map[string]moments // wave -> readiness index moments
	respondents  map[string]int     // wave -> scored people (digital readiness)
}

// persons reads segments (digital readiness), barrier stages (change
// readiness) and the readiness index of the two waves in p.
func (s *Store) persons(ctx context.Context, p map[string]any, latest string) (personsAgg, error) {
	a := personsAgg{segs: map[string]int{}, stages: map[string]int{}, index: map[string]moments{}, respondents: map[string]int{}}
	err := s.each(ctx, "Readiness.persons", p, func(r driver.Rows) error {
		var instr, wave, seg, bar string
		var n, ni uint64
		var si, ssi float64
		if err := r.Scan(&instr, &wave, &seg, &bar, &n, &ni, &si, &ssi); err != nil {
			return err
		}
		switch instr {
		case instrReadiness:
			m := a.index[wave]
			m.merge(moments{float64(ni), si, ssi})
			a.index[wave] = m
			a.respondents[wave] += int(n)
			if wave == latest {
				a.segs[seg] += int(n)
			}
		case instrStages:
			if wave == latest {
				a.stages[bar] += int(n)
			}
		}
		return nil
	})
	return a, err
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
