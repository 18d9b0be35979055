package reports

// GroupEffectRow is one outcome's difference-in-differences effect within
// one fixed group of the entity's people (Group names it: "grade-senior",
// "grade-staff"). NTreated and NControl count the group's people in each
// arm. A row is published only for the unfiltered entity, and only where
// the group's pilot and comparison parts and the rest of the entity's
// (the entity's row minus the group's) each hold at least the minimum
// group size, so the entity's row minus a group's reveals nobody few.
type GroupEffectRow struct {
	Group string `json:"group"`
	DiDRow
}

// suppressGroups applies the rule above: did are the entity's rows
// before their own suppression (their counts are the complements'
// totals), k the minimum group size.
func suppressGroups(groups []GroupEffectRow, did []DiDRow, k int) {
	entity := map[string]DiDRow{}
	for _, r := range did {
		entity[r.Outcome] = r
	}
	for i := range groups {
		g := &groups[i]
		if g.Estimate.Suppressed { // entity_only: its reason stays
			continue
		}
		e, ok := entity[g.Outcome]
		g.Estimate.N = min(g.NTreated, g.NControl)
		switch {
		case g.NTreated < k || g.NControl < k:
			g.Estimate.Hide(ReasonSmallGroup)
		case !ok || e.Estimate.Suppressed || min(e.NTreated, e.NControl) < k ||
			e.NTreated-g.NTreated < k || e.NControl-g.NControl < k:
			g.Estimate.Hide(ReasonComplementary)
		}
		if g.Estimate.Suppressed {
			g.NTreated, g.NControl, g.PValue = 0, 0, 0
		}
	}
}

// hideGroups hides every group row with reason, counts included.
func hideGroups(groups []GroupEffectRow, reason string) {
	for i := range groups {
		g := &groups[i]
		g.Estimate.Hide(reason)
		g.NTreated, g.NControl, g.PValue = 0, 0, 0
	}
}
