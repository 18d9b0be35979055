package analytics

import (
	"math"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/schemas"
)

// dayOf is the Day of an ISO date.
func dayOf(s string) Day {
	t, _ := time.Parse(time.DateOnly, s)
	return Day(t.Unix() / 86400)
}

func TestCohortAdoption(t *testing.T) {
	ip := IntranetPanel{Cohorts: []string{"comparison", "pilot-1"}, Rows: []IntranetWeek{
		{Person: 1, Cohort: 1, Week: dayOf("2025-11-03"), Cloud: 2},
		{Person: 2, Cohort: 1, Week: dayOf("2025-11-03")},
		{Person: 2, Cohort: 1, Week: dayOf("2025-11-10"), Cloud: 1},
		{Person: 3, Cohort: 0, Week: dayOf("2025-11-10")},
	}}
	got := CohortAdoption(ip, []string{"pilot-1", "comparison"})
	// Week 1: one of pilot-1's two people used a cloud tool, none of the
	// comparison's one; week 2: one of two, none of one. A week with no
	// cloud use at all has no points.
	want := []Share{
		{Week: dayOf("2025-11-03").Time(), Series: "pilot-1", K: 1, N: 2},
		{Week: dayOf("2025-11-03").Time(), Series: "comparison", K: 0, N: 1},
		{Week: dayOf("2025-11-10").Time(), Series: "pilot-1", K: 1, N: 2},
		{Week: dayOf("2025-11-10").Time(), Series: "comparison", K: 0, N: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("point %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestDiarySeriesAndBehaviourKPIs(t *testing.T) {
	v := NewPilotWeeks(schemas.Pilot{ID: "p", Tenant: "t", PreStart: "2025-09-01", PostEnd: "2026-05-31",
		Comparison: []string{"comparison"}, Cohorts: []schemas.PilotCohort{{Label: "pilot-1", Start: "2025-11-03"}}})
	w1, w2 := dayOf("2025-11-03"), dayOf("2025-11-10")
	dp := DiaryPanel{Cohorts: []string{"pilot-1", "comparison", "other"}, Rows: []DiaryWeek{
		{Person: 1, Cohort: 0, Week: w1, Ratings: [3]float64{2, 3, 4}},
		{Person: 2, Cohort: 0, Week: w1, Ratings: [3]float64{4, 3, 1}},
		{Person: 3, Cohort: 1, Week: w2, Ratings: [3]float64{3, 3, 3}},
		{Person: 4, Cohort: 2, Week: w2, Ratings: [3]float64{5, 5, 5}},
	}}
	t.Run("Diary series: moments over writers per week and group, people of no group left out", func(t *testing.T) {
		got := DiarySeries(dp, v)
		if len(got) != 6 {
			t.Fatalf("got %d points, want 3 ratings x (week 1 pilot, week 2 comparison): %+v", len(got), got)
		}
		if p := got[0]; p.Group != GroupPilot || p.Rating != "productivity" || p.Moments != (Moments{N: 2, S: 6, SS: 20}) {
			t.Errorf("week 1 pilot productivity: %+v, want moments of 2 and 4", p)
		}
		if p := got[5]; p.Group != GroupComparison || p.Rating != "connection" || p.Moments != (Moments{N: 1, S: 3, SS: 9}) {
			t.Errorf("week 2 comparison connection: %+v", p)
		}
	})
	t.Run("KPI windows: per person the share of active weeks with cloud use and the mean rating", func(t *testing.T) {
		end := dayOf("2025-11-10").Time()
		ip := IntranetPanel{Cohorts: []string{"pilot-1"}, Rows: []IntranetWeek{
			{Person: 1, Week: w1, Cloud: 1}, {Person: 1, Week: w2}, // current window: 1 of 2 weeks
			{Person: 2, Week: w2, Cloud: 3},                  // current window: 1 of 1
			{Person: 1, Week: dayOf("2025-10-13")},           // previous window (4 weeks before w2's window start)
			{Person: 1, Week: dayOf("2025-09-01"), Cloud: 1}, // outside both windows
		}}
		adopt, well := BehaviourKPIs(ip, dp, end, 4)
		if adopt[0] != (Moments{N: 2, S: 1.5, SS: 1.25}) || adopt[1] != (Moments{N: 1, S: 0, SS: 0}) {
			t.Errorf("adoption windows %+v, want shares 0.5 and 1 now, 0 before", adopt)
		}
		// Wellbeing now: persons 1 (3), 2 (8/3), 3 (3), 4 (5); none before.
		if well[0].N != 4 || math.Abs(well[0].S-(3+8.0/3+3+5)) > 1e-12 || well[1].N != 0 {
			t.Errorf("wellbeing windows %+v", well)
		}
	})
}

func TestShareDiffCI(t *testing.T) {
	// 0.6 - 0.4 of 100 people: half-width 1.959964*sqrt(0.24/100+0.24/100) = 0.135790; tolerance 1e-6.
	d, lo, hi, ok := ShareDiffCI(0.6, 0.4, 100)
	if !ok || math.Abs(d-0.2) > 1e-12 || math.Abs(hi-d-0.135790) > 1e-6 || math.Abs(d-lo-0.135790) > 1e-6 {
		t.Fatalf("ShareDiffCI = %v [%v, %v] %v", d, lo, hi, ok)
	}
	if _, _, _, ok := ShareDiffCI(0.5, 0.5, 0); ok {
		t.Fatal("no people must give no interval")
	}
}
