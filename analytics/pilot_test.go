package analytics

import (
	"testing"
	"time"

	"github.com/bussola-pa/bussola/schemas"
)

func TestPilotWeeks(t *testing.T) {
	v := NewPilotWeeks(schemas.Pilot{ID: "p", Tenant: "t", PreStart: "2025-09-01", PostEnd: "2026-05-31",
		Comparison: []string{"comparison"},
		Cohorts:    []schemas.PilotCohort{{Label: "pilot-1", Start: "2025-11-03"}, {Label: "pilot-2", Start: "2026-02-04"}}})
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tests := []struct {
		name      string
		got, want int
	}{
		{"The pre-start Monday is week 1.", v.Index(day("2025-09-01")), 1},
		{"A Monday start is treated from its own week (9 weeks after week 1).", v.CohortIndex("pilot-1"), 10},
		{"A Wednesday start is treated from the next Monday.", v.CohortIndex("pilot-2"), v.Index(day("2026-02-09"))},
		{"The comparison group is never treated.", v.CohortIndex("comparison"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Fatalf("got %d, want %d", tt.got, tt.want)
			}
		})
	}
	if v.Group("pilot-2") != GroupPilot || v.Group("comparison") != GroupComparison || v.Group("other") != "" {
		t.Fatal("groups of cohort labels are wrong")
	}
	if !v.StartOf("comparison").Equal(day("2025-11-03")) {
		t.Fatalf("comparison writers' after-period starts %s, want the first cohort's start", v.StartOf("comparison"))
	}
	if got := Monday(day("2026-02-08")); !got.Equal(day("2026-02-02")) {
		t.Fatalf("monday of a Sunday: %s", got)
	}
}
