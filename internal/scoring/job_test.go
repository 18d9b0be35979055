package scoring

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/assessment"
	store "github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/schemas"
)

// fakeStore serves fixed answers and behaviour and records writes.
type fakeStore struct {
	stale   []store.StaleWave
	answers map[store.WaveKey]*store.WaveAnswers
	beh     map[assessment.PersonKey]assessment.Behaviour
	written map[store.WaveKey]*assessment.WaveResult
	reads   int
}

func (f *fakeStore) Now(context.Context) (time.Time, error) { return time.Now(), nil }
func (f *fakeStore) StaleWaves(context.Context, store.StaleQuery) ([]store.StaleWave, error) {
	return f.stale, nil
}
func (f *fakeStore) WaveAnswers(_ context.Context, k store.WaveKey) (*store.WaveAnswers, error) {
	f.reads++
	if a, ok := f.answers[k]; ok {
		return a, nil
	}
	return &store.WaveAnswers{}, nil
}
func (f *fakeStore) WaveBehaviour(context.Context, string, time.Time, int) (map[assessment.PersonKey]assessment.Behaviour, error) {
	out := map[assessment.PersonKey]assessment.Behaviour{}
	for k, v := range f.beh {
		out[k] = v
	}
	return out, nil
}
func (f *fakeStore) WriteScores(_ context.Context, k store.WaveKey, res *assessment.WaveResult, _ map[uint64]store.PersonAttrs, _ time.Time) error {
	f.written[k] = res
	return nil
}
func (f *fakeStore) WaveGroups(context.Context, store.WaveKey, string) (*store.WaveGroups, error) {
	return nil, errors.New("not used")
}

// readinessAnswers: n persons, person i scoring every digital-readiness
// item j with 1 + (i + j%2)%5, plus (when bad) one answer off the scale.
func readinessAnswers(t *testing.T, in schemas.Instrument, k store.WaveKey, n int, bad bool) *store.WaveAnswers {
	t.Helper()
	wa := &store.WaveAnswers{Attrs: map[uint64]store.PersonAttrs{}}
	for i := 0; i < n; i++ {
		ans := map[string]float64{}
		for j, it := range in.Items {
			v := float64(1 + (i+j%2)%5)
			if it.Reversed {
				v = 6 - v // so that every item scores v
			}
			ans[it.ID] = v
		}
		if bad && i == 0 {
			ans[in.Items[0].ID] = 9
		}
		wa.Responses = append(wa.Responses, assessment.Response{Tenant: k.Tenant, Person: uint64(i + 1), OrgUnit: "Tributi", Wave: k.Wave, Answers: ans})
	}
	return wa
}

func newTestJob(t *testing.T, f *fakeStore) (*Job, schemas.Instrument) {
	t.Helper()
	insts, err := schemas.BuiltinInstruments()
	if err != nil {
		t.Fatal(err)
	}
	j, err := New(f, Config{Instruments: insts, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	in, err := j.Instrument("digital-readiness", 1)
	if err != nil {
		t.Fatal(err)
	}
	return j, in
}

func TestJob(t *testing.T) {
	ctx := context.Background()
	good := store.WaveKey{Tenant: "comune-aurelia", Instrument: "digital-readiness", Version: 1, Wave: "2025-10"}
	bad := good
	bad.Wave = "2026-04"
	f := &fakeStore{answers: map[store.WaveKey]*store.WaveAnswers{}, written: map[store.WaveKey]*assessment.WaveResult{},
		beh: map[assessment.PersonKey]assessment.Behaviour{{Tenant: good.Tenant, Person: 1}: {IntranetAdoption: 1, CloudAdoption: 1}}}
	j, in := newTestJob(t, f)
	f.answers[good] = readinessAnswers(t, in, good, 10, false)
	f.answers[bad] = readinessAnswers(t, in, bad, 10, true)
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	f.stale = []store.StaleWave{{WaveKey: good, LastIngested: t0}, {WaveKey: bad, LastIngested: t0}}

	t.Run("OK stale waves are scored and a failing one is skipped until new inputs arrive", func(t *testing.T) {
		outs, err := j.ScoreStale(ctx)
		if err != nil || len(outs) != 1 || outs[0].WaveKey != good || outs[0].Persons != 10 {
			t.Fatalf("want the good wave scored, got %+v (%v)", outs, err)
		}
		reads := f.reads
		f.stale = f.stale[1:] // the good wave is no longer stale; the bad one still is
		if outs, _ := j.ScoreStale(ctx); len(outs) != 0 || f.reads != reads {
			t.Errorf("the failed wave must not be retried on the same inputs (%d reads before, %d after)", reads, f.reads)
		}
		f.stale[0].LastIngested = t0.Add(time.Minute)
		_, _ = j.ScoreStale(ctx)
		if f.reads != reads+1 {
			t.Errorf("the failed wave must be retried once new inputs arrive")
		}
	})
	t.Run("OK persons without usage events get zero adoption when the tenant has some", func(t *testing.T) {
		res := f.written[good]
		// Person 1 answers 1,2,1,2,... (survey level 0.125 on a 1-5 scale)
		// and is fully adopted: 100·(0.6·0.125 + 0.2 + 0.2) = 47.5. Person
		// 2 answers 2,3,2,3,... (level 0.375) without events: 100·0.6·0.375 = 22.5.
		idx := map[uint64]float64{}
		for _, p := range res.Persons {
			idx[p.Person] = p.Index
		}
		if math.Abs(idx[1]-47.5) > 1e-9 || math.Abs(idx[2]-22.5) > 1e-9 {
			t.Errorf("want indexes 47.5 and 22.5, got %v and %v", idx[1], idx[2])
		}
	})
	t.Run("OK reliability comes from memory for the scoring the job made", func(t *testing.T) {
		reads := f.reads
		j.mu.Lock()
		at := j.rel[good].at
		j.mu.Unlock()
		rel, _, err := j.Reliability(ctx, good, at)
		if err != nil || len(rel) != 5 || f.reads != reads {
			t.Errorf("want 5 dimensions without reading answers, got %d (%v), %d reads", len(rel), err, f.reads-reads)
		}
		if _, _, err := j.Reliability(ctx, good, at.Add(time.Second)); err != nil || f.reads != reads+1 {
			t.Errorf("another scoring's reliability must be recomputed from the answers (%v)", err)
		}
	})
	t.Run("ErrNotFound for a feedback instrument or a wave without answers", func(t *testing.T) {
		k := good
		k.Instrument = "page-feedback"
		if _, err := j.ScoreNow(ctx, k); schemas.ErrorCode(err) != schemas.ENOTFOUND {
			t.Errorf("page-feedback: want not_found, got %v", err)
		}
		k = good
		k.Wave = "2030-01"
		if _, err := j.ScoreNow(ctx, k); schemas.ErrorCode(err) != schemas.ENOTFOUND {
			t.Errorf("empty wave: want not_found, got %v", err)
		}
	})
}

func TestBuildResults(t *testing.T) {
	k := store.WaveKey{Tenant: "t", Instrument: "digital-readiness", Version: 1, Wave: "w"}
	t.Run("OK a wave with fewer than five respondents publishes nothing", func(t *testing.T) {
		g := &store.WaveGroups{Persons: []store.GroupPersons{{Group: "a", Segment: "ready", N: 4}},
			Scores: []store.GroupScore{{Group: "a", Dimension: "dati", N: 4, Mean: 3}}}
		r := buildResults(k, "org_unit", 5, []string{"dati"}, g, nil, nil)
		if !r.Suppressed || r.Reason != ReasonSmallPopulation || r.Respondents != nil || len(r.Scores) != 0 || len(r.Segments) != 0 {
			t.Errorf("want everything hidden, got %+v", r)
		}
	})
	t.Run("OK the wave total pools the groups' means and standard deviations", func(t *testing.T) {
		// Group a: 2,4,6,8 (mean 5, sd 2.582); group b: 1,3,5,7,9,11 (mean 6, sd 3.742).
		// Pooled: n 10, mean 5.6, sd of all ten values sqrt(92.4/9) = 3.2042.
		g := &store.WaveGroups{
			Persons: []store.GroupPersons{{Group: "a", Segment: "ready", N: 4}, {Group: "b", Segment: "ready", N: 6}},
			Scores: []store.GroupScore{{Group: "a", Dimension: "dati", N: 4, Mean: 5, SD: math.Sqrt(20.0 / 3)},
				{Group: "b", Dimension: "dati", N: 6, Mean: 6, SD: math.Sqrt(14)}}}
		r := buildResults(k, "org_unit", 5, []string{"dati"}, g, nil, nil)
		tc := r.Totals[0]
		// sd of {2,4,6,8,1,3,5,7,9,11}: squared deviations from 5.6 sum to 92.4.
		if *tc.N != 10 || math.Abs(*tc.Mean-5.6) > 1e-12 || math.Abs(*tc.SD-math.Sqrt(92.4/9)) > 1e-12 {
			t.Errorf("want n 10 mean 5.6 sd %.6f, got %+v", math.Sqrt(92.4/9), tc)
		}
		// a (4 people) is hidden and b with it, in every table.
		if !r.Scores[0].Suppressed || !r.Scores[1].Suppressed || !r.Groups[0].Suppressed || !r.Groups[1].Suppressed {
			t.Errorf("want both groups hidden, got %+v %+v", r.Scores, r.Groups)
		}
	})
}
