package analytics

import "sync"

// GroupEffect is one outcome's pilot effect within one fixed group of
// people (a grade group, say): the same estimator as the entity's, run on
// the rows of the group's people alone, so Treated and Control count the
// group's people in each arm.
type GroupEffect struct {
	Group string
	PilotEffect
}

// GroupEffects estimates, for each group in groups order, the pilot's
// effect on cloud-tool actions and on each diary rating among the people
// groupOf puts in that group ("" puts a person in none). Outcomes a group's
// rows cannot identify are left out. The groups run at once.
func GroupEffects(ip IntranetPanel, dp DiaryPanel, v *PilotWeeks, groupOf func(person uint64) string, groups []string) []GroupEffect {
	per := make([][]GroupEffect, len(groups))
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Go(func() {
			keep := func(p uint64) bool { return groupOf(p) == g }
			if e, ok := cloudEffect(ip, v, keep); ok {
				per[i] = append(per[i], GroupEffect{Group: g, PilotEffect: e})
			}
			for _, e := range diaryEffects(dp, v, keep) {
				per[i] = append(per[i], GroupEffect{Group: g, PilotEffect: e})
			}
		})
	}
	wg.Wait()
	var out []GroupEffect
	for _, p := range per {
		out = append(out, p...)
	}
	return out
}
