package main

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/assessment"
	"github.com/bussola-pa/bussola/schemas"
)

// scoreReadiness stands in for the scoring job: it reads the personal
// questionnaires back from ClickHouse, scores each wave with
// assessment.ScoreResponses and writes readiness_scores and
// readiness_persons.
func scoreReadiness(tb testing.TB, m *Main) {
	tb.Helper()
	ctx := context.Background()
	list, err := schemas.BuiltinInstruments()
	if err != nil {
		tb.Fatal(err)
	}
	for _, in := range list {
		if in.Version != 1 || (in.ID != "digital-readiness" && in.ID != "change-readiness") {
			continue
		}
		type key struct {
			wave   string
			tenant string
			person uint64
		}
		type lab struct{ unit, grade, cohort string }
		answers := map[key]map[string]float64{}
		labels := map[key]lab{}
		rows, err := m.Store.Conn().Query(ctx, `SELECT wave, tenant, person, org_unit, grade, cohort, item, value
			FROM bussola.survey_answers WHERE instrument_id = ? AND answer_type = 'number'`, in.ID)
		if err != nil {
			tb.Fatal(err)
		}
		for rows.Next() {
			var k key
			var l lab
			var item string
			var v float64
			if err := rows.Scan(&k.wave, &k.tenant, &k.person, &l.unit, &l.grade, &l.cohort, &item, &v); err != nil {
				tb.Fatal(err)
			}
			if answers[k] == nil {
				answers[k] = map[string]float64{}
			}
			answers[k][item] = v
			labels[k] = l
		}
		rows.Close()
		byWave := map[string][]assessment.Response{}
		for k, a := range answers {
			byWave[k.wave] = append(byWave[k.wave], assessment.Response{Tenant: k.tenant, Person: k.person, OrgUnit: labels[k].unit, Wave: k.wave, Answers: a})
		}
		now := time.Now().UTC()
		for wave, resp := range byWave {
			res, err := assessment.ScoreResponses(in, resp, assessment.ScoreOptions{})
			if err != nil {
				tb.Fatal(err)
			}
			sb, err := m.Store.Conn().PrepareBatch(ctx, "INSERT INTO bussola.readiness_scores (tenant, instrument_id, instrument_version, wave, person, org_unit, grade, cohort, dimension, score, z, t, percentile, scored_at)")
			if err != nil {
				tb.Fatal(err)
			}
			pb, err := m.Store.Conn().PrepareBatch(ctx, "INSERT INTO bussola.readiness_persons (tenant, instrument_id, instrument_version, wave, person, org_unit, grade, cohort, segment, barrier, readiness_index, scored_at)")
			if err != nil {
				tb.Fatal(err)
			}
			for _, p := range res.Persons {
				l := labels[key{wave, p.Tenant, p.Person}]
				for dim, sc := range p.Scores {
					if err := sb.Append(p.Tenant, in.ID, uint16(in.Version), wave, p.Person, l.unit, l.grade, l.cohort, dim,
						nullable(sc.Score), nullable(sc.Z), nullable(sc.T), nullable(sc.Percentile), now); err != nil {
						tb.Fatal(err)
					}
				}
				if err := pb.Append(p.Tenant, in.ID, uint16(in.Version), wave, p.Person, l.unit, l.grade, l.cohort, p.Segment, p.Barrier, nullable(p.Index), now); err != nil {
					tb.Fatal(err)
				}
			}
			if err := sb.Send(); err != nil {
				tb.Fatal(err)
			}
			if err := pb.Send(); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

func nullable(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return &x
}
