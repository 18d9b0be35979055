package clickhouse_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/assessment"
	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/schemas"
	"github.com/bussola-pa/bussola/scoring"
)

func instrument(tb testing.TB, id string) schemas.Instrument {
	tb.Helper()
	list, err := schemas.BuiltinInstruments()
	if err != nil {
		tb.Fatal(err)
	}
	for _, in := range list {
		if in.ID == id && in.Version == 1 {
			return in
		}
	}
	tb.Fatalf("no built-in instrument %s@1", id)
	return schemas.Instrument{}
}

// attitudeResponse answers every scale item of inst with v (reversed items
// with 6-v), so every dimension score is v or 6-v.
func attitudeResponse(inst schemas.Instrument, i int, person uint64, unit string, v float64, at time.Time) *schemas.SurveyResponse {
	ans := map[string]float64{}
	for _, it := range inst.Items {
		x := v
		if it.Reversed {
			x = 6 - v
		}
		ans[it.ID] = x
	}
	return &schemas.SurveyResponse{
		Envelope: schemas.Envelope{EventID: uuidOf(5000 + i), Tenant: "comune-aurelia", OrgUnit: unit, Grade: "Istruttori",
			Cohort: "pilot-1", Person: schemas.FormatPerson(person)},
		InstrumentID: inst.ID, InstrumentVersion: inst.Version, Wave: "2025-10", SubmittedAt: at, Answers: ans,
		Choices: map[string]string{}, Texts: map[string]string{},
	}
}

// nextOffset gives every inserted response its own Kafka offset, as if each
// (a re-posted one included) were a message of its own.
var nextOffset int64

func insertSurveys(tb testing.TB, s *clickhouse.Store, token string, rs []*schemas.SurveyResponse) {
	tb.Helper()
	pos := make([]ingest.Position, len(rs))
	for i := range pos {
		pos[i] = ingest.Position{Partition: 0, Offset: nextOffset}
		nextOffset++
	}
	b := &ingest.Batch{Stream: schemas.StreamSurvey, Group: "g.survey", Token: token, Surveys: rs, Positions: pos,
		Ranges: []ingest.Range{{Topic: "bussola.survey.v1", Partition: 0, First: pos[0].Offset, Last: pos[len(pos)-1].Offset, Messages: len(rs)}}}
	if _, err := s.Insert(context.Background(), b); err != nil {
		tb.Fatal(err)
	}
}

func TestReadiness(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	inst := instrument(t, "digital-attitude")
	key := scoring.WaveKey{Tenant: "comune-aurelia", Instrument: inst.ID, Version: 1, Wave: "2025-10"}
	day := time.Date(2025, 10, 20, 10, 0, 0, 0, time.UTC)
	// Eight persons in Tributi answering 2..5, four in Personale answering 4.
	var rs []*schemas.SurveyResponse
	for i := 0; i < 12; i++ {
		unit, v := "Tributi", float64(2+i%4)
		if i >= 8 {
			unit, v = "Personale", 4
		}
		rs = append(rs, attitudeResponse(inst, i, uint64(100+i), unit, v, day.Add(time.Duration(i)*time.Minute)))
	}
	insertSurveys(t, s, "tok-a", rs)
	// The same batch again under another token (a re-post the merge has
	// not collapsed yet), and a later response of person 100 answering 5.
	insertSurveys(t, s, "tok-b", rs)
	insertSurveys(t, s, "tok-c", []*schemas.SurveyResponse{attitudeResponse(inst, 99, 100, "Tributi", 5, day.Add(time.Hour))})
	// Person 101 used the intranet on two days of one week and a cloud tool
	// in another week, all within the 8 weeks before the wave's end.
	var evs []*schemas.IntranetEvent
	var epos []ingest.Position
	for i, d := range []time.Time{day.AddDate(0, 0, -1), day.AddDate(0, 0, -2), day.AddDate(0, 0, -20), day.AddDate(0, 0, -70)} {
		e := event(i, schemas.FormatPerson(101))
		e.TS, e.Kind, e.Tool = d, schemas.KindPageView, ""
		if i == 2 {
			e.Kind, e.Tool = schemas.KindCloudTool, "docs"
		}
		evs, epos = append(evs, e), append(epos, ingest.Position{Offset: int64(i)})
	}
	if _, err := s.Insert(ctx, &ingest.Batch{Stream: schemas.StreamIntranet, Group: "g.intranet", Token: "tok-i", Intranet: evs, Positions: epos}); err != nil {
		t.Fatal(err)
	}

	t.Run("OK a never-scored wave is stale", func(t *testing.T) {
		st, err := s.StaleWaves(ctx, scoring.StaleQuery{Instruments: []string{"digital-attitude", "digital-readiness"}, Weeks: 8})
		if err != nil || len(st) != 1 || st[0].WaveKey != key {
			t.Fatalf("want exactly %v stale, got %+v (%v)", key, st, err)
		}
	})
	var wa *scoring.WaveAnswers
	t.Run("OK answers come once per person, the latest response, without duplicates", func(t *testing.T) {
		if n, err := s.Count(ctx, "survey_answers"); err != nil || n != uint64(25*len(inst.Items)) {
			t.Fatalf("the test needs the duplicated rows stored: want %d, got %d (%v)", 25*len(inst.Items), n, err)
		}
		var err error
		wa, err = s.WaveAnswers(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if len(wa.Responses) != 12 {
			t.Fatalf("want 12 responses, got %d", len(wa.Responses))
		}
		r := wa.Responses[0]
		if r.Person != 100 || len(r.Answers) != len(inst.Items) || r.Answers["ott01"] != 5 {
			t.Errorf("person 100 must have the later response (ott01 = 5, %d items), got %+v", len(inst.Items), r)
		}
		if !wa.LastSubmitted.Equal(day.Add(time.Hour)) || wa.Attrs[100].Cohort != "pilot-1" {
			t.Errorf("last submitted %v, attrs %+v", wa.LastSubmitted, wa.Attrs[100])
		}
	})
	t.Run("OK behaviour is the share of active weeks", func(t *testing.T) {
		b, err := s.WaveBehaviour(ctx, key.Tenant, wa.LastSubmitted, 8)
		if err != nil {
			t.Fatal(err)
		}
		got := b[assessment.PersonKey{Tenant: key.Tenant, Person: 101}]
		// Intranet in one week (days -1 and -2) of 8, cloud in one (day
		// -20); day -70 is outside the window. Exact: 1/8.
		if len(b) != 1 || got.IntranetAdoption != 0.125 || got.CloudAdoption != 0.125 {
			t.Errorf("want {0.125 0.125} for person 101 only, got %v", b)
		}
	})
	t.Run("OK scores are written with NULL for NaN and aggregated by unit", func(t *testing.T) {
		res, err := assessment.ScoreResponses(inst, wa.Responses, assessment.ScoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		res.Persons[1].Scores["ottimismo"] = assessment.DimScore{Score: math.NaN(), Z: math.NaN(), T: math.NaN(), Percentile: math.NaN()}
		at, err := s.Now(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.WriteScores(ctx, key, res, wa.Attrs, at); err != nil {
			t.Fatal(err)
		}
		var rows, nulls uint64
		if err := s.Conn().QueryRow(ctx, "SELECT count(), countIf(score IS NULL) FROM "+s.Database()+".readiness_scores").Scan(&rows, &nulls); err != nil {
			t.Fatal(err)
		}
		if rows != 12*4 || nulls != 1 {
			t.Errorf("want 48 score rows with one NULL, got %d and %d", rows, nulls)
		}
		g, err := s.WaveGroups(ctx, key, "org_unit")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]scoring.GroupScore{}
		for _, c := range g.Scores {
			got[c.Group+"/"+c.Dimension] = c
		}
		// Tributi ottimismo: persons 100 (5), 102..107 (4,5,2,3,4,5); 101 is NULL.
		tri := got["Tributi/ottimismo"]
		if tri.N != 7 || math.Abs(tri.Mean-28.0/7) > 1e-12 {
			t.Errorf("Tributi/ottimismo: want n 7 mean 4, got %+v", tri)
		}
		if p := got["Personale/disagio"]; p.N != 4 || p.Mean != 4 || p.SD != 0 {
			t.Errorf("Personale/disagio: want n 4 mean 4 sd 0, got %+v", p)
		}
		persons := 0
		for _, p := range g.Persons {
			persons += p.N
		}
		if persons != 12 || g.ScoredAt.IsZero() {
			t.Errorf("want 12 persons in the segment counts and a scoring time, got %d %v", persons, g.ScoredAt)
		}
	})
	t.Run("OK a scored wave is no longer stale, until new inputs of its period arrive", func(t *testing.T) {
		st, err := s.StaleWaves(ctx, scoring.StaleQuery{Instruments: []string{"digital-attitude"}, Weeks: 8})
		if err != nil || len(st) != 0 {
			t.Fatalf("want nothing stale, got %+v (%v)", st, err)
		}
		st, err = s.StaleWaves(ctx, scoring.StaleQuery{Instruments: []string{"digital-attitude"}, Weeks: 8, Settle: time.Hour})
		if err != nil || len(st) != 1 {
			t.Fatalf("answers stamped within the settle time of the scoring must make it stale, got %+v (%v)", st, err)
		}
		late := func(i int, ts time.Time) {
			e := event(i, schemas.FormatPerson(102))
			e.TS = ts
			b := &ingest.Batch{Stream: schemas.StreamIntranet, Group: "g.intranet", Token: fmt.Sprint("tok-late-", i),
				Intranet: []*schemas.IntranetEvent{e}, Positions: []ingest.Position{{Offset: int64(i)}}}
			if _, err := s.Insert(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		late(10, day.AddDate(0, 0, 10)) // after the wave: not part of its index
		if st, err := s.StaleWaves(ctx, scoring.StaleQuery{Instruments: []string{"digital-attitude"}, Weeks: 8}); err != nil || len(st) != 0 {
			t.Fatalf("an event after the wave must not make it stale, got %+v (%v)", st, err)
		}
		late(11, day.AddDate(0, 0, -3)) // a late event inside the 8 weeks
		if st, err := s.StaleWaves(ctx, scoring.StaleQuery{Instruments: []string{"digital-attitude"}, Weeks: 8}); err != nil || len(st) != 1 {
			t.Fatalf("a late event of the wave's period must make it stale, got %+v (%v)", st, err)
		}
		insertSurveys(t, s, "tok-d", []*schemas.SurveyResponse{attitudeResponse(inst, 200, 300, "Personale", 3, day)})
		st, err = s.StaleWaves(ctx, scoring.StaleQuery{Instruments: []string{"digital-attitude"}, Weeks: 8})
		if err != nil || len(st) != 1 {
			t.Fatalf("want the wave stale again, got %+v (%v)", st, err)
		}
	})
	t.Run("OK a re-scoring replaces the previous one for readers", func(t *testing.T) {
		wa, err := s.WaveAnswers(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		res, err := assessment.ScoreResponses(inst, wa.Responses, assessment.ScoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		at, _ := s.Now(ctx)
		if err := s.WriteScores(ctx, key, res, wa.Attrs, at); err != nil {
			t.Fatal(err)
		}
		g, err := s.WaveGroups(ctx, key, "cohort")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range g.Scores {
			if c.Group != "pilot-1" || c.N != 13 {
				t.Errorf("want only the latest scoring (13 persons in pilot-1), got %+v", c)
			}
		}
	})
	t.Run("ErrInvalid for an unknown grouping column or a bad key", func(t *testing.T) {
		if _, err := s.WaveGroups(ctx, key, "person"); schemas.ErrorCode(err) != schemas.EINVALID {
			t.Errorf("by person: want EINVALID, got %v", err)
		}
		bad := key
		bad.Version = 0
		if err := s.WriteScores(ctx, bad, &assessment.WaveResult{}, nil, time.Now()); schemas.ErrorCode(err) != schemas.EINVALID {
			t.Errorf("version 0: want EINVALID, got %v", err)
		}
	})
}
