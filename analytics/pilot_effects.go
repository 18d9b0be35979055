package analytics

import "strconv"

// Outcome ids of the pilot effects.
const (
	OutcomeCloud = "cloud_tool_events" // cloud-tool actions per person-week
)

// PilotEffect is the Callaway & Sant'Anna estimate (not-yet-treated
// comparisons, clustered by person) of one outcome of a pilot panel, with
// the people in each arm and the treated people observed per week
// relative to their start.
type PilotEffect struct {
	Outcome          string
	Result           *StaggeredResult
	Treated, Control int
	Observed         map[int]int
}

// staggeredInput is the person-week panel of one outcome for the
// estimator, with the people in each arm.
type staggeredInput struct {
	rows []PanelRow
	// people gives each person's unit name and the arms they appear in.
	people           map[uint64]*armPerson
	treated, control int
	observed         map[int]int
}

type armPerson struct {
	unit    string
	treated bool
	control bool
}

func newInput(rows int) *staggeredInput {
	return &staggeredInput{rows: make([]PanelRow, 0, rows), people: map[uint64]*armPerson{}, observed: map[int]int{}}
}

func (in *staggeredInput) add(v *PilotWeeks, person uint64, cohort string, week int, y float64) {
	g := v.Group(cohort)
	if g == "" {
		return
	}
	c := v.CohortIndex(cohort)
	p := in.people[person]
	if p == nil {
		p = &armPerson{unit: strconv.FormatUint(person, 36)}
		in.people[person] = p
	}
	in.rows = append(in.rows, PanelRow{Unit: p.unit, Time: week, Cohort: c, Y: y})
	if g == GroupPilot {
		if !p.treated {
			p.treated = true
			in.treated++
		}
		in.observed[week-c]++
	} else if !p.control {
		p.control = true
		in.control++
	}
}

// effect runs the estimator; ok is false when the panel cannot identify
// the effect (fewer than two people in an arm, or an estimator error).
func (in *staggeredInput) effect(outcome string) (PilotEffect, bool) {
	if in.treated < 2 || in.control < 2 {
		return PilotEffect{}, false
	}
	res, err := Staggered(in.rows, StaggeredOptions{})
	if err != nil {
		return PilotEffect{}, false
	}
	return PilotEffect{Outcome: outcome, Result: res, Treated: in.treated, Control: in.control, Observed: in.observed}, true
}

// CloudEffect estimates the pilot's effect on cloud-tool actions per
// person-week over the pilot's window; ok is false when the selection
// cannot identify it (no comparison people, say).
func CloudEffect(ip IntranetPanel, v *PilotWeeks) (PilotEffect, bool) {
	return cloudEffect(ip, v, nil)
}

// cloudEffect is CloudEffect over the people keep accepts (all when nil).
func cloudEffect(ip IntranetPanel, v *PilotWeeks, keep func(person uint64) bool) (PilotEffect, bool) {
	in := newInput(len(ip.Rows))
	for i := range ip.Rows {
		r := &ip.Rows[i]
		if keep != nil && !keep(r.Person) {
			continue
		}
		if w := r.Week.Time(); v.InWindow(w) {
			in.add(v, r.Person, ip.Cohorts[r.Cohort], v.Index(w), float64(r.Cloud))
		}
	}
	return in.effect(OutcomeCloud)
}

// DiaryEffects estimates the pilot's effect on each diary rating
// (RatingNames order), leaving out the ratings it cannot identify.
func DiaryEffects(dp DiaryPanel, v *PilotWeeks) []PilotEffect {
	return diaryEffects(dp, v, nil)
}

// diaryEffects is DiaryEffects over the people keep accepts (all when nil).
func diaryEffects(dp DiaryPanel, v *PilotWeeks, keep func(person uint64) bool) []PilotEffect {
	var out []PilotEffect
	for j, name := range RatingNames {
		in := newInput(len(dp.Rows))
		for i := range dp.Rows {
			r := &dp.Rows[i]
			if keep != nil && !keep(r.Person) {
				continue
			}
			if w := r.Week.Time(); v.InWindow(w) {
				in.add(v, r.Person, dp.Cohorts[r.Cohort], v.Index(w), r.Ratings[j])
			}
		}
		if e, ok := in.effect(name); ok {
			out = append(out, e)
		}
	}
	return out
}
