package analytics

import (
	"fmt"
	"testing"
)

func TestWeeklyTrends(t *testing.T) {
	var rs []Rating
	for p := 0; p < 12; p++ {
		for w := 1; w <= 3; w++ {
			// Two ratings in a week count once, as their mean.
			rs = append(rs, Rating{Person: fmt.Sprint(p), Group: "pilot", Week: w, Value: float64(w + p%2)},
				Rating{Person: fmt.Sprint(p), Group: "pilot", Week: w, Value: float64(w + p%2)})
		}
	}
	for p := 0; p < 5; p++ {
		rs = append(rs, Rating{Person: "c" + fmt.Sprint(p), Group: "comparison", Week: 1, Value: 3})
	}
	pts, withheld, err := WeeklyTrends(rs, TrendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("Cells under 10 people are withheld", func(t *testing.T) {
		if withheld != 1 || len(pts) != 3 {
			t.Fatalf("withheld %d, points %d; want 1 and 3", withheld, len(pts))
		}
	})
	t.Run("Means count people once and the 3-week smooth averages neighbours", func(t *testing.T) {
		near(t, "week 1 mean", pts[0].Mean, 1.5, 1e-12)
		near(t, "week 2 smoothed", pts[1].Smoothed, 2.5, 1e-12)
		near(t, "week 1 smoothed (edge)", pts[0].Smoothed, 2, 1e-12)
		if pts[0].People != 12 {
			t.Errorf("people %d, want 12", pts[0].People)
		}
	})
}

func TestAdoptionCurves(t *testing.T) {
	var members []Member
	for p := 0; p < 10; p++ {
		members = append(members, Member{Person: fmt.Sprint(p), Group: "pilot"})
	}
	members = append(members, Member{Person: "x", Group: "tiny"})
	acts := []Activity{{Person: "0", Week: 1, Actions: 4}, {Person: "1", Week: 2, Actions: 2}, {Person: "0", Week: 2, Actions: 1}, {Person: "stranger", Week: 1, Actions: 9}}
	pts, withheld, err := AdoptionCurves(members, acts, []int{1, 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if withheld != 1 || len(pts) != 2 {
		t.Fatalf("withheld %d, points %d; want 1 and 2", withheld, len(pts))
	}
	t.Run("Active share, cumulative share and actions per person-week follow the counts", func(t *testing.T) {
		near(t, "week 1 active share", pts[0].ActiveShare, 0.1, 1e-12)
		near(t, "week 1 actions per person-week", pts[0].ActionsPerPersonWeek, 0.4, 1e-12)
		near(t, "week 2 active share", pts[1].ActiveShare, 0.2, 1e-12)
		near(t, "week 2 ever active", pts[1].EverActiveShare, 0.2, 1e-12)
	})
}
