package reportstest

import "github.com/bussola-pa/bussola/reports"

// GroupMain and GroupOther are the fixture's two unit groups of the
// effects by group (the real store groups grades): its two largest units
// and the rest.
const (
	GroupMain  = "Ragioneria e Servizi sociali"
	GroupOther = "Altri uffici"
)

// groupEffects are the fixture's effects by group: made-up estimates
// (the main group's first outcome distinguishable from zero, the rest
// not) with the people of each group in each arm counted from sel;
// none for an empty selection.
func groupEffects(sel []person) []reports.GroupEffectRow {
	if len(sel) == 0 {
		return nil // nobody in the period: no estimate, as the real store
	}
	type arms struct{ treated, control int }
	n := map[string]*arms{GroupMain: {}, GroupOther: {}}
	for _, p := range sel {
		g := GroupOther
		if p.unit == "Ragioneria" || p.unit == "Servizi sociali" {
			g = GroupMain
		}
		if p.cohort == "confronto" {
			n[g].control++
		} else {
			n[g].treated++
		}
	}
	row := func(g, outcome string, v, half, pv float64) reports.GroupEffectRow {
		return reports.GroupEffectRow{Group: g, DiDRow: reports.DiDRow{Outcome: outcome,
			Estimate: reports.Cell{Value: v, Lo: v - half, Hi: v + half}, PValue: pv, NTreated: n[g].treated, NControl: n[g].control}}
	}
	return []reports.GroupEffectRow{
		row(GroupMain, "giorni_attivi", 0.42, 0.3, 0.008), row(GroupMain, "produttività", 0.2, 0.3, 0.19),
		row(GroupOther, "giorni_attivi", 0.12, 0.33, 0.47), row(GroupOther, "produttività", 0.15, 0.36, 0.41),
	}
}
