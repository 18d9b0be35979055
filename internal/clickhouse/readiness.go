package clickhouse

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
)

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

// ReadinessSums implements figures.Source from the scoring job's tables
// (readiness_scores, readiness_persons): the latest wave of the
// digital-readiness instrument in the period and the one before (waves
// are ordered by their first answer), with the moments of each
// dimension's scores per unit and for the selection, and the entity's
// counts: score levels, segments and barrier stages.
func (s *Store) ReadinessSums(ctx context.Context, q reports.Query) (figures.ReadinessSums, error) {
	lg := lang(q)
	var d figures.ReadinessSums
	d.Counts.Dimensions, d.Counts.DimensionLabels = dimensions(instrReadiness, lg)
	ws, err := s.waves(ctx, q, instrReadiness)
	if err != nil || len(ws) == 0 {
		return d, err
	}
	d.Latest, d.Prev = lastTwo(ws)
	p := with(params(q), "instrument", instrReadiness, "stages", instrStages, "wave", d.Latest, "prev", d.Prev, "target", trainingTarget)

	// People, scores and segments are independent queries.
	var n, entity uint64
	var pa personsAgg
	type ud struct{ wave, unit, dim string }
	type ld struct {
		dim   string
		level uint8
	}
	cells := map[ud]*figures.ScoreSums{}
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
					c = &figures.ScoreSums{Wave: k.wave, Unit: k.unit, Dimension: k.dim}
					cells[k] = c
				}
				c.Moments.Merge(analytics.Moments{N: float64(cnt), S: sum, SS: ss})
				c.Below += int(below)
			}
			if wave == d.Latest {
				units[unit] = true
				levels[ld{dim, level}] += int(cnt)
			}
			return nil
		})
	}
	err = parallel(func() error {
		return s.each(ctx, "Readiness.population", p, func(r driver.Rows) error { return r.Scan(&n, &entity) })
	}, scores, func() (err error) {
		pa, err = s.persons(ctx, p, d.Latest)
		return err
	})
	if err != nil {
		return d, err
	}
	c := &d.Counts
	c.Population = reports.Population{N: int(n), EntityN: int(entity)}
	d.Units = sortedKeys(units)
	for _, x := range cells {
		d.Scores = append(d.Scores, *x)
	}
	for _, dim := range c.Dimensions {
		if cells[ud{d.Latest, "", dim}] == nil {
			continue
		}
		for l := uint8(1); l <= 5; l++ {
			c.Distribution = append(c.Distribution, reports.LevelCount{Dimension: dim, Level: strconv.Itoa(int(l)), Cell: count(levels[ld{dim, l}])})
		}
	}
	segs, stages := pa.segs, pa.stages
	for _, sl := range segmentLabels {
		c.Segments = append(c.Segments, reports.CategoryCount{Category: l2(sl.it, sl.en, lg), Cell: count(segs[sl.id])})
	}
	stageIDs, stageLabels := dimensions(instrStages, lg)
	for _, id := range stageIDs {
		c.Stages = append(c.Stages, reports.CategoryCount{Category: stageLabels[id], Cell: count(stages[id])})
	}
	c.Stages = append(c.Stages, reports.CategoryCount{Category: l2(noBarrier[0], noBarrier[1], lg), Cell: count(stages["none"])})
	return d, nil
}

// count is a cell of n people.
func count(n int) reports.Cell { return reports.Cell{Value: float64(n), N: n} }

// personsAgg is the readiness_persons aggregate of two waves.
type personsAgg struct {
	segs, stages map[string]int               // latest wave
	index        map[string]analytics.Moments // wave -> readiness index moments
	respondents  map[string]int               // wave -> scored people (digital readiness)
}

// persons reads segments (digital readiness), barrier stages (change
// readiness) and the readiness index of the two waves in p.
func (s *Store) persons(ctx context.Context, p map[string]any, latest string) (personsAgg, error) {
	a := personsAgg{segs: map[string]int{}, stages: map[string]int{}, index: map[string]analytics.Moments{}, respondents: map[string]int{}}
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
			m.Merge(analytics.Moments{N: float64(ni), S: si, SS: ssi})
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
