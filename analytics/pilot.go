package analytics

import (
	"slices"
	"time"

	"github.com/bussola-pa/bussola/schemas"
)

// PilotWeeks maps a pilot definition onto panel weeks: week indexes since
// the pilot's first (pre-start) week, each cohort's first treated week,
// and the group of a cohort label.
type PilotWeeks struct {
	p          schemas.Pilot
	base, end  time.Time      // Monday of pre_start; post_end
	start      map[string]int // treated cohort label -> first treated week index
	startDay   map[string]time.Time
	firstStart time.Time
}

// Group names of a pilot's people.
const (
	GroupPilot      = "pilot"
	GroupComparison = "comparison"
)

// NewPilotWeeks maps a validated pilot onto weeks. A cohort starting mid
// week is treated from the next Monday.
func NewPilotWeeks(p schemas.Pilot) *PilotWeeks {
	v := &PilotWeeks{p: p, start: map[string]int{}, startDay: map[string]time.Time{}}
	pre, _ := time.Parse(time.DateOnly, p.PreStart)
	v.end, _ = time.Parse(time.DateOnly, p.PostEnd)
	v.base = Monday(pre)
	for _, c := range p.Cohorts {
		st, _ := time.Parse(time.DateOnly, c.Start)
		first := Monday(st)
		if first.Before(st) {
			first = first.AddDate(0, 0, 7) // a mid-week start: the first full week is treated
		}
		v.start[c.Label] = v.Index(first)
		v.startDay[c.Label] = st
		if v.firstStart.IsZero() || st.Before(v.firstStart) {
			v.firstStart = st
		}
	}
	return v
}

// Monday is the Monday of t's ISO week, at midnight UTC.
func Monday(t time.Time) time.Time {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// Index is the 1-based week number of a Monday since the pilot's base week.
func (v *PilotWeeks) Index(week time.Time) int {
	return int(week.Sub(v.base).Hours()/24/7+0.5) + 1
}

// InWindow says whether a week lies in the pilot's observation window.
func (v *PilotWeeks) InWindow(week time.Time) bool {
	return !week.Before(v.base) && !week.After(v.end)
}

// Group is GroupPilot, GroupComparison or "" (neither) for a cohort label.
func (v *PilotWeeks) Group(cohort string) string {
	if _, ok := v.start[cohort]; ok {
		return GroupPilot
	}
	if slices.Contains(v.p.Comparison, cohort) {
		return GroupComparison
	}
	return ""
}

// CohortIndex is the first treated week of a cohort, 0 for comparison.
func (v *PilotWeeks) CohortIndex(cohort string) int { return v.start[cohort] }

// StartOf is the day a person's "after" period begins: the cohort start
// for participants, the first cohort's start for everyone else.
func (v *PilotWeeks) StartOf(cohort string) time.Time {
	if d, ok := v.startDay[cohort]; ok {
		return d
	}
	return v.firstStart
}

// TreatedCohorts lists the pilot's cohort labels, sorted.
func (v *PilotWeeks) TreatedCohorts() []string {
	out := make([]string, 0, len(v.start))
	for c := range v.start {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Order lists the pilot's cohorts in definition order, then its
// comparison labels.
func (v *PilotWeeks) Order() []string {
	var out []string
	for _, c := range v.p.Cohorts {
		out = append(out, c.Label)
	}
	return append(out, v.p.Comparison...)
}
