package schemas

import (
	"fmt"
	"time"
)

// Pilot describes a smart-working pilot of one tenant: the cohorts (waves)
// that started working in the new way on given dates, the cohort labels that
// form the comparison group, and the observation windows.
type Pilot struct {
	ID         string        `json:"id"`
	Tenant     string        `json:"tenant"`
	Title      string        `json:"title"`
	Cohorts    []PilotCohort `json:"cohorts"`
	Comparison []string      `json:"comparison"` // cohort labels never treated during the pilot
	PreStart   string        `json:"pre_start"`  // YYYY-MM-DD, first day observed before the pilot
	PostEnd    string        `json:"post_end"`   // YYYY-MM-DD, last day observed
}

// PilotCohort is one wave of the pilot: the records' cohort label and the
// day the wave started.
type PilotCohort struct {
	Label string `json:"label"`
	Start string `json:"start"` // YYYY-MM-DD
}

// Validate checks the pilot definition.
func (p *Pilot) Validate() error {
	var v validator
	if !isSlug(p.ID) {
		v.add("id", RuleFormat, "must be a lower-case slug")
	}
	if !isSlug(p.Tenant) {
		v.add("tenant", RuleFormat, "must be a lower-case slug")
	}
	if len(p.Cohorts) == 0 {
		v.add("cohorts", RuleRequired, "a pilot needs at least one cohort")
	}
	pre, err1 := time.Parse(time.DateOnly, p.PreStart)
	post, err2 := time.Parse(time.DateOnly, p.PostEnd)
	if err1 != nil {
		v.add("pre_start", RuleFormat, "must be YYYY-MM-DD")
	}
	if err2 != nil {
		v.add("post_end", RuleFormat, "must be YYYY-MM-DD")
	}
	for i, c := range p.Cohorts {
		start, err := time.Parse(time.DateOnly, c.Start)
		field := fmt.Sprintf("cohorts[%d]", i)
		switch {
		case c.Label == "":
			v.add(field+".label", RuleRequired, "is required")
		case err != nil:
			v.add(field+".start", RuleFormat, "must be YYYY-MM-DD")
		case err1 == nil && err2 == nil && (!start.After(pre) || !start.Before(post)):
			v.add(field+".start", RuleRange, "must fall between pre_start and post_end")
		}
	}
	return v.err()
}

// CohortStart returns the start of the cohort with the given label and
// whether the label is a treated cohort of the pilot.
func (p *Pilot) CohortStart(label string) (time.Time, bool) {
	for _, c := range p.Cohorts {
		if c.Label == label {
			t, err := time.Parse(time.DateOnly, c.Start)
			return t, err == nil
		}
	}
	return time.Time{}, false
}
