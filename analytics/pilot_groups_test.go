package analytics

import (
	"math"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/schemas"
)

// TestGroupEffects checks each group's estimate against the Callaway &
// Sant'Anna estimate computed directly from the group's means: with one
// cohort first treated in week 3 and a never-treated comparison group,
// ATT(3,t) = mean over pilot people of (Y_t - Y_2) minus the same over
// comparison people, and the overall effect is the mean of ATT(3,3) and
// ATT(3,4).
func TestGroupEffects(t *testing.T) {
	v := NewPilotWeeks(schemas.Pilot{ID: "p", Tenant: "t", PreStart: "2025-01-06", PostEnd: "2025-02-02",
		Comparison: []string{"comparison"}, Cohorts: []schemas.PilotCohort{{Label: "pilot", Start: "2025-01-20"}}})
	base := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	// 40 people: 1-20 in group "a" (true effect 2), 21-40 in "b" (no
	// effect); odd people in the pilot. Outcomes vary by person and week so
	// the direct computation is not trivial.
	y := func(p uint64, week int) float64 {
		v := float64(p%7) + 0.5*float64(week) + float64((p*uint64(week))%5)/3
		if p%2 == 1 && p <= 20 && week >= 3 {
			v += 2
		}
		return v
	}
	ip := IntranetPanel{Cohorts: []string{"pilot", "comparison"}}
	for p := uint64(1); p <= 40; p++ {
		for week := 1; week <= 4; week++ {
			ip.Rows = append(ip.Rows, IntranetWeek{Person: p, Week: Day(base.AddDate(0, 0, 7*(week-1)).Unix() / 86400),
				Cloud: uint64(math.Round(y(p, week) * 3)), Cohort: uint16(1 - p%2)})
		}
	}
	cloud := func(p uint64, week int) float64 { return math.Round(y(p, week) * 3) }
	direct := func(lo, hi uint64) float64 {
		att := func(week int) float64 {
			var tr, co []float64
			for p := lo; p <= hi; p++ {
				d := cloud(p, week) - cloud(p, 2)
				if p%2 == 1 {
					tr = append(tr, d)
				} else {
					co = append(co, d)
				}
			}
			return mean(tr) - mean(co)
		}
		return (att(3) + att(4)) / 2
	}
	groupOf := func(p uint64) string {
		if p <= 20 {
			return "a"
		}
		return "b"
	}
	got := GroupEffects(ip, DiaryPanel{}, v, groupOf, []string{"a", "b"})
	if len(got) != 2 {
		t.Fatalf("got %d group effects, want 2 (cloud actions of each group; no diary rows)", len(got))
	}
	for i, want := range []struct {
		group  string
		lo, hi uint64
	}{{"a", 1, 20}, {"b", 21, 40}} {
		e := got[i]
		w := direct(want.lo, want.hi)
		if e.Group != want.group || e.Outcome != OutcomeCloud || e.Treated != 10 || e.Control != 10 {
			t.Errorf("group %d: %s %s with %d treated and %d comparison people, want %s %s 10 and 10", i, e.Group, e.Outcome, e.Treated, e.Control, want.group, OutcomeCloud)
		}
		// Tolerance 1e-9: the same arithmetic in another order.
		if o := e.Result.Overall; math.Abs(o.Estimate-w) > 1e-9 || !(o.CILow < o.Estimate && o.Estimate < o.CIHigh) {
			t.Errorf("group %s: estimate %.6f (CI %.3f-%.3f), direct computation %.6f", want.group, o.Estimate, o.CILow, o.CIHigh, w)
		}
	}
	if a, b := got[0].Result.Overall.Estimate, got[1].Result.Overall.Estimate; a < 5 || math.Abs(b) > 1 {
		t.Errorf("group a's effect (true effect 6 actions) is %.3f and group b's (none) %.3f", a, b)
	}
	if e, ok := CloudEffect(ip, v); !ok || math.Abs(e.Result.Overall.Estimate-direct(1, 40)) > 1e-9 {
		t.Errorf("the entity's estimate is not the direct computation over all 40 people")
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
