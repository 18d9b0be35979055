package analytics

import (
	"fmt"
	"sort"
)

// Member is a pseudonymous person eligible in a group (for example pilot
// participants of a tenant, or the comparison offices).
type Member struct {
	Person string
	Group  string
}

// Activity is a person's count of actions in one week: intranet or
// cloud-tool actions, diary responses, or pages published by communication
// referents; the caller chooses what counts by what it passes.
type Activity struct {
	Person  string
	Week    int
	Actions int
}

// AdoptionPoint is one group's adoption in one week.
type AdoptionPoint struct {
	Group    string `json:"group"`
	Week     int    `json:"week"`
	Eligible int    `json:"eligible"`
	Active   int    `json:"active"`
	// ActiveShare is Active/Eligible: the response or participation rate
	// when activities are diary responses.
	ActiveShare float64 `json:"active_share"`
	// EverActiveShare is the share active in this or any earlier week.
	EverActiveShare float64 `json:"ever_active_share"`
	// ActionsPerPersonWeek is total actions over Eligible.
	ActionsPerPersonWeek float64 `json:"actions_per_person_week"`
}

// AdoptionCurves computes, for each group and each week in weeks, the
// active share, the cumulative ever-active share and actions per
// person-week. Activities of people who are not members are ignored. Groups
// with fewer than minPeople eligible members (0 means 10) are withheld and
// counted, so no figure describes fewer people.
func AdoptionCurves(members []Member, acts []Activity, weeks []int, minPeople int) (points []AdoptionPoint, withheld int, err error) {
	if minPeople <= 0 {
		minPeople = 10
	}
	group := map[string]string{}
	size := map[string]int{}
	for i, m := range members {
		if m.Person == "" {
			return nil, 0, fmt.Errorf("adoption curves: member %d has no person", i+1)
		}
		if g, ok := group[m.Person]; ok && g != m.Group {
			return nil, 0, fmt.Errorf("adoption curves: person %q is a member of both %q and %q", m.Person, g, m.Group)
		} else if !ok {
			group[m.Person] = m.Group
			size[m.Group]++
		}
	}
	type wk struct {
		person string
		week   int
	}
	actions := map[wk]int{}
	for i, a := range acts {
		if a.Actions < 0 {
			return nil, 0, fmt.Errorf("adoption curves: activity %d has %d actions; counts cannot be negative", i+1, a.Actions)
		}
		if _, ok := group[a.Person]; ok {
			actions[wk{a.Person, a.Week}] += a.Actions
		}
	}
	ws := append([]int(nil), weeks...)
	sort.Ints(ws)
	groups := make([]string, 0, len(size))
	for g, n := range size {
		if n < minPeople {
			withheld++
			continue
		}
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		ever := map[string]bool{}
		for _, w := range ws {
			p := AdoptionPoint{Group: g, Week: w, Eligible: size[g]}
			total := 0
			for person, pg := range group {
				if pg != g {
					continue
				}
				if n := actions[wk{person, w}]; n > 0 {
					p.Active++
					total += n
					ever[person] = true
				}
			}
			e := float64(p.Eligible)
			p.ActiveShare, p.EverActiveShare, p.ActionsPerPersonWeek = float64(p.Active)/e, float64(len(ever))/e, float64(total)/e
			points = append(points, p)
		}
	}
	return points, withheld, nil
}
