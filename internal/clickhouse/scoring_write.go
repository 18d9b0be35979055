package clickhouse

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/bussola-pa/bussola/assessment"
	"github.com/bussola-pa/bussola/scoring"
)

// WriteScores stores a wave's scoring: one readiness_scores row per person
// and dimension (NaN scores and norms as NULL) and then one
// readiness_persons row per person (segment, barrier, index). All rows
// carry scoredAt, which must be later than the wave's previous scoring:
// readers take the latest scoring of a wave, and the ReplacingMergeTree
// keeps it. readiness_persons is written last, so a scoring interrupted
// between the two tables still counts as missing (StaleWaves). The insert
// deduplication token makes a retried write land once.
func (s *Store) WriteScores(ctx context.Context, k scoring.WaveKey, res *assessment.WaveResult, attrs map[uint64]scoring.PersonAttrs, scoredAt time.Time) error {
	if err := k.Check(); err != nil {
		return err
	}
	if res.Instrument != k.Instrument || res.Version != k.Version || res.Wave != k.Wave {
		return fmt.Errorf("write scores of %s: the result is of %s@%d wave %s", k, res.Instrument, res.Version, res.Wave)
	}
	token := fmt.Sprintf("readiness/%s/%d", k, scoredAt.UnixMilli())
	if err := s.insertColumns(ctx, token+"/scores", "readiness_scores", scoreColumns(k, res, attrs, scoredAt)); err != nil {
		return fmt.Errorf("write scores of %s: %w", k, err)
	}
	if err := s.insertColumns(ctx, token+"/persons", "readiness_persons", personColumns(k, res, attrs, scoredAt)); err != nil {
		return fmt.Errorf("write scores of %s: %w", k, err)
	}
	return nil
}

// keyColumns adds the wave key, person and grouping columns for rows
// belonging to persons[i] of res.
func keyColumns(c *columns, k scoring.WaveKey, res *assessment.WaveResult, attrs map[uint64]scoring.PersonAttrs, persons []int, at time.Time) {
	n := len(persons)
	tenant, instr, wave := make([]string, n), make([]string, n), make([]string, n)
	unit, grade, cohort := make([]string, n), make([]string, n), make([]string, n)
	ver, person, when := make([]uint16, n), make([]uint64, n), make([]time.Time, n)
	for i, pi := range persons {
		p := &res.Persons[pi]
		a := attrs[p.Person]
		tenant[i], instr[i], ver[i], wave[i] = k.Tenant, k.Instrument, uint16(k.Version), k.Wave
		person[i], unit[i], grade[i], cohort[i], when[i] = p.Person, p.OrgUnit, a.Grade, a.Cohort, at
	}
	c.add("tenant", tenant)
	c.add("instrument_id", instr)
	c.add("instrument_version", ver)
	c.add("wave", wave)
	c.add("person", person)
	c.add("org_unit", unit)
	c.add("grade", grade)
	c.add("cohort", cohort)
	c.add("scored_at", when)
}

func scoreColumns(k scoring.WaveKey, res *assessment.WaveResult, attrs map[uint64]scoring.PersonAttrs, at time.Time) columns {
	n := len(res.Persons) * len(res.Dimensions)
	persons := make([]int, 0, n)
	dim := make([]string, 0, n)
	score, z, t, pct := make([]*float64, 0, n), make([]*float64, 0, n), make([]*float64, 0, n), make([]*float64, 0, n)
	for _, d := range res.Dimensions {
		for pi := range res.Persons {
			ds := res.Persons[pi].Scores[d]
			persons = append(persons, pi)
			dim = append(dim, d)
			score, z, t, pct = append(score, nullable(ds.Score)), append(z, nullable(ds.Z)), append(t, nullable(ds.T)), append(pct, nullable(ds.Percentile))
		}
	}
	c := columns{rows: n}
	keyColumns(&c, k, res, attrs, persons, at)
	c.add("dimension", dim)
	c.add("score", score)
	c.add("z", z)
	c.add("t", t)
	c.add("percentile", pct)
	return c
}

func personColumns(k scoring.WaveKey, res *assessment.WaveResult, attrs map[uint64]scoring.PersonAttrs, at time.Time) columns {
	n := len(res.Persons)
	persons := make([]int, n)
	seg, bar, idx := make([]string, n), make([]string, n), make([]*float64, n)
	for i, p := range res.Persons {
		persons[i] = i
		seg[i], bar[i], idx[i] = p.Segment, p.Barrier, nullable(p.Index)
	}
	c := columns{rows: n}
	keyColumns(&c, k, res, attrs, persons, at)
	c.add("segment", seg)
	c.add("barrier", bar)
	c.add("readiness_index", idx)
	return c
}

// nullable maps NaN (not computed) and infinities to NULL.
func nullable(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}
