package figures

import (
	"strings"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/reports"
)

// Grade groups of the effects by group: two fixed, large groups of the
// Italian public-sector contract's categories, so each holds many people
// and the other is its complement. A grade whose name starts with one of
// seniorGrades (any case) is "grade-senior", every other grade
// "grade-staff".
const (
	GroupSenior = "grade-senior" // dirigenti and funzionari
	GroupStaff  = "grade-staff"  // istruttori, operatori and the rest
)

var seniorGrades = []string{"dirigent", "funzionari"}

// gradeGroup is the grade group of a grade name; "" for no grade.
func gradeGroup(grade string) string {
	g := strings.ToLower(strings.TrimSpace(grade))
	if g == "" {
		return ""
	}
	for _, p := range seniorGrades {
		if strings.HasPrefix(g, p) {
			return GroupSenior
		}
	}
	return GroupStaff
}

// groupEffects are the pilot's DiD effects of every outcome within each
// grade group; nil without grades (a filtered selection).
func groupEffects(p ImpactPanels, v *analytics.PilotWeeks, lg string) []reports.GroupEffectRow {
	if len(p.Grades) == 0 {
		return nil
	}
	groupOf := func(person uint64) string { return gradeGroup(p.Grades[person]) }
	var out []reports.GroupEffectRow
	for _, e := range analytics.GroupEffects(p.Intranet, p.Diary, v, groupOf, []string{GroupSenior, GroupStaff}) {
		out = append(out, reports.GroupEffectRow{Group: e.Group, DiDRow: didRow(e.PilotEffect, lg)})
	}
	return out
}
