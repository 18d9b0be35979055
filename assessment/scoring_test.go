package assessment

import (
	"math"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/schemas"
)

var nan = math.NaN()

func TestDimensionScore(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		rev    []bool
		want   float64
	}{
		{"All items answered give their mean.", []float64{1, 2, 3, 4, 5}, nil, 3},
		{"A reversed item is scored min+max-x.", []float64{5, 5}, []bool{false, true}, 3},
		{"Four of five answered meets the default 80%.", []float64{4, 4, nan, 2, 5}, nil, 3.75},
		{"Three of five answered is missing.", []float64{4, nan, nan, 2, 5}, nil, nan},
		{"Nothing answered is missing.", []float64{nan, nan}, nil, nan},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := DimensionScore(tc.values, tc.rev, 1, 5, 0)
			if math.IsNaN(tc.want) != math.IsNaN(got) || (!math.IsNaN(got) && math.Abs(got-tc.want) > 1e-12) {
				t.Fatalf("score = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNorms(t *testing.T) {
	got := Norms([]float64{1, 2, 3, nan, 10}, []string{"a", "a", "a", "a", "b"})
	want := []Norm{{-1, 40, 100.0 / 6}, {0, 50, 50}, {1, 60, 500.0 / 6}}
	for i, w := range want {
		if math.Abs(got[i].Z-w.Z) > 1e-12 || math.Abs(got[i].T-w.T) > 1e-12 || math.Abs(got[i].Percentile-w.Percentile) > 1e-12 {
			t.Errorf("norm %d = %+v, want %+v", i, got[i], w)
		}
	}
	if !math.IsNaN(got[3].Z) {
		t.Errorf("a missing score got z %v", got[3].Z)
	}
	if got[4].Percentile != 50 || !math.IsNaN(got[4].Z) {
		t.Errorf("a group of one: %+v (percentile 50, z undefined)", got[4])
	}
}

func TestReliableChange(t *testing.T) {
	// S_diff = sqrt(2)·5·sqrt(0.2) = sqrt(10) = 3.16228; RCI = 10/sqrt(10) = sqrt(10).
	rci, ok, err := ReliableChange(10, 20, 5, 0.8)
	if err != nil || !ok || math.Abs(rci-math.Sqrt(10)) > 1e-12 {
		t.Fatalf("rci = %v, reliable %v, err %v", rci, ok, err)
	}
	rci, ok, _ = ReliableChange(10, 12, 5, 0.8)
	if ok || math.Abs(rci-2/math.Sqrt(10)) > 1e-12 {
		t.Fatalf("small change: rci = %v, reliable %v", rci, ok)
	}
	if _, _, err := ReliableChange(1, 2, 5, 1); err == nil {
		t.Fatal("reliability 1 should be rejected")
	}
}

func TestReadinessIndex(t *testing.T) {
	tests := []struct {
		name   string
		survey float64
		b      Behaviour
		want   float64
	}{
		{"Survey and both behaviours use the default weights.", 0.5, Behaviour{1, 0}, 100 * (0.6*0.5 + 0.2*1 + 0)},
		{"Unknown cloud adoption is left out and the rest reweighted.", 0.5, Behaviour{1, nan}, 100 * (0.6*0.5 + 0.2) / 0.8},
		{"Survey alone gives its own level.", 0.25, Behaviour{nan, nan}, 25},
		{"Nothing known is NaN.", nan, Behaviour{nan, nan}, nan},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ReadinessIndex(tc.survey, tc.b, DefaultIndexWeights)
			if math.IsNaN(tc.want) != math.IsNaN(got) || (!math.IsNaN(got) && math.Abs(got-tc.want) > 1e-9) {
				t.Fatalf("index = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRuleSegment(t *testing.T) {
	tests := []struct {
		name   string
		levels []float64
		want   string
	}{
		{"High everywhere is a champion.", []float64{0.8, 0.9, 0.75}, SegmentChampions},
		{"High on average with one weak area is ready, not a champion.", []float64{1, 1, 0.4}, SegmentReady},
		{"Middling levels are hesitant.", []float64{0.5, 0.4}, SegmentHesitant},
		{"Low levels are at risk.", []float64{0.1, 0.3}, SegmentAtRisk},
		{"No level gives no segment.", []float64{nan}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := RuleSegment(tc.levels); got != tc.want {
				t.Fatalf("segment = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestKMeansSegmentsAreStableAndNamedByLevel(t *testing.T) {
	var levels [][]float64
	centres := []float64{0.9, 0.65, 0.4, 0.1}
	for i := 0; i < 200; i++ {
		c := centres[i%4]
		d := float64(i%7) * 0.005
		levels = append(levels, []float64{c + d, c - d})
	}
	levels = append(levels, []float64{nan, nan}, []float64{0.12, nan})
	a := KMeansSegments(levels, 42)
	b := KMeansSegments(levels, 42)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("row %d: %q then %q with the same seed", i, a[i], b[i])
		}
	}
	for i := 0; i < 200; i++ {
		if want := segmentOrder[i%4]; a[i] != want {
			t.Fatalf("row %d near %.2f is %q, want %q", i, centres[i%4], a[i], want)
		}
	}
	if a[200] != "" || a[201] != SegmentAtRisk {
		t.Errorf("a row without levels got %q, a row near at-risk with one level got %q", a[200], a[201])
	}
}

func builtin(t testing.TB, id string) schemas.Instrument {
	t.Helper()
	list, err := schemas.BuiltinInstruments()
	if err != nil {
		t.Fatal(err)
	}
	in, ok := schemas.FindInstrument(list, id, 1)
	if !ok {
		t.Fatalf("no builtin %s", id)
	}
	return in
}

func TestScoreResponsesChangeReadiness(t *testing.T) {
	in := builtin(t, "change-readiness")
	ans := func(v ...float64) map[string]float64 {
		m := map[string]float64{}
		for i, d := range in.Dimensions {
			if !math.IsNaN(v[i]) {
				m["stage-"+d.ID] = v[i]
			}
		}
		return m
	}
	resp := []Response{
		{Tenant: "t1", Person: 1, OrgUnit: "u1", Wave: "2025-10", Answers: ans(5, 4, 3, 2, 1)},
		{Tenant: "t1", Person: 2, OrgUnit: "u1", Wave: "2025-10", Answers: ans(2, 5, 5, 5, 5)},
		{Tenant: "t1", Person: 3, OrgUnit: "u2", Wave: "2025-10", Answers: ans(5, 5, 5, 5, 4)},
		{Tenant: "t1", Person: 4, OrgUnit: "u2", Wave: "2025-10", Answers: ans(5, nan, 1, 1, 1)},
	}
	res, err := ScoreResponses(in, resp, ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"conoscenza", "consapevolezza", "none", ""}
	for i, w := range want {
		if res.Persons[i].Barrier != w {
			t.Errorf("person %d barrier = %q, want %q", i+1, res.Persons[i].Barrier, w)
		}
	}
	if len(res.Barriers) != 2 || res.Barriers[0].Counts["conoscenza"] != 1 || res.Barriers[1].Counts["none"] != 1 || res.Barriers[1].Persons != 1 {
		t.Errorf("barrier distribution = %+v", res.Barriers)
	}
}

func TestScoreResponsesDigitalReadiness(t *testing.T) {
	in := builtin(t, "digital-readiness")
	resp := syntheticResponses(in, 400, 7)
	res, err := ScoreResponses(in, resp, ScoreOptions{Segmentation: SegmentKMeans, Seed: 1,
		Behaviour: map[PersonKey]Behaviour{{"t0", 0}: {1, 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Reliability) != 5 {
		t.Fatalf("reliability for %d dimensions, want 5 (notes %v)", len(res.Reliability), res.Notes)
	}
	for _, r := range res.Reliability {
		if !(r.RawAlpha > 0.5) {
			t.Errorf("dimension %s alpha %.3f; the synthetic data have one factor per area", r.Name, r.RawAlpha)
		}
	}
	segs := map[string]int{}
	for _, p := range res.Persons {
		segs[p.Segment]++
		if math.IsNaN(p.Index) || p.Index < 0 || p.Index > 100 {
			t.Fatalf("person %d index %v", p.Person, p.Index)
		}
	}
	if len(segs) != 4 {
		t.Errorf("segments = %v, want the four names", segs)
	}
	// A second wave where everyone gains one point: many reliable improvements.
	for i := range resp {
		resp[i].Wave = "2026-04"
		for k, v := range resp[i].Answers {
			it, _ := in.Item(k)
			if it.Reversed {
				resp[i].Answers[k] = math.Max(v-1, 1)
			} else {
				resp[i].Answers[k] = math.Min(v+1, 5)
			}
		}
	}
	res2, err := ScoreResponses(in, resp, ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ch := WaveChanges(res, res2)
	improved := 0
	for _, c := range ch {
		if c.Direction == "improved" {
			improved++
		}
		if c.Direction == "declined" {
			t.Fatalf("a decline in %+v", c)
		}
	}
	if improved == 0 {
		t.Error("no reliable improvement after a one-point gain")
	}
}

func TestScoreResponsesRejectsBadAnswers(t *testing.T) {
	in := builtin(t, "digital-readiness")
	tests := []struct {
		name    string
		answers map[string]float64
		wantErr string
	}{
		{"An unknown item is named.", map[string]float64{"nope": 3}, `answered "nope", which is not a scale item`},
		{"A value off the scale is named.", map[string]float64{"dati01": 9}, `answered "dati01" with 9, outside 1..5`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ScoreResponses(in, []Response{{Tenant: "t", Person: 7, Wave: "w", Answers: tc.answers}}, ScoreOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}
