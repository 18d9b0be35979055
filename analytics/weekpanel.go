package analytics

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// Day is a date as days since 1970-01-01 (ClickHouse's Date), so that
// panel rows hold no pointers: a 155 k-row panel is then one allocation
// the garbage collector need not scan.
type Day uint16

// Time is the day at midnight UTC.
func (d Day) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// IntranetWeek is one person-week of intranet use. A person whose cohort
// changed within a week has one row per cohort; Cohort indexes the
// panel's Cohorts.
type IntranetWeek struct {
	Person        uint64
	Events, Cloud uint64
	Week          Day // Monday
	Cohort        uint16
}

// IntranetPanel is the person-week intranet panel of a selection.
type IntranetPanel struct {
	Cohorts []string
	Rows    []IntranetWeek
}

// RatingNames are the diary ratings in DiaryWeek.Ratings order.
var RatingNames = []string{"productivity", "work_life_balance", "connection"}

// DiaryWeek is one person-week of diary ratings: the person's mean of
// each rating that week.
type DiaryWeek struct {
	Person  uint64
	Entries uint64
	Ratings [3]float64 // RatingNames order
	Week    Day
	Cohort  uint16
}

// DiaryPanel is the person-week diary panel of a selection.
type DiaryPanel struct {
	Cohorts []string
	Rows    []DiaryWeek
}

// Share is k of N people: a week's value of a share series.
type Share struct {
	Week   time.Time
	Series string
	K, N   int
}

// CohortAdoption is, per week and cohort, the cohort's people (seen on the
// intranet in the panel) who used a cloud tool that week, of all its
// people. Weeks come in order; cohorts in order's order, the others after
// them alphabetically.
func CohortAdoption(ip IntranetPanel, order []string) []Share {
	members := map[string]map[uint64]bool{}
	active := map[Day]map[string]int{}
	for i := range ip.Rows {
		r := &ip.Rows[i]
		c := ip.Cohorts[r.Cohort]
		if members[c] == nil {
			members[c] = map[uint64]bool{}
		}
		members[c][r.Person] = true
		if r.Cloud > 0 {
			if active[r.Week] == nil {
				active[r.Week] = map[string]int{}
			}
			active[r.Week][c]++
		}
	}
	cohorts := make([]string, 0, len(members))
	for c := range members {
		cohorts = append(cohorts, c)
	}
	slices.SortFunc(cohorts, func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	var out []Share
	for _, w := range slices.Sorted(maps.Keys(active)) {
		for _, c := range cohorts {
			out = append(out, Share{Week: w.Time(), Series: c, K: active[w][c], N: len(members[c])})
		}
	}
	return out
}

// GroupMean is one week's moments of one rating in one group.
type GroupMean struct {
	Week    time.Time
	Group   string
	Rating  string
	Moments Moments
}

// DiarySeries is the weekly mean of each rating for the pilot and the
// comparison group: the moments over writers of their person-week means
// (N the writers), weeks in order, pilot before comparison.
func DiarySeries(dp DiaryPanel, v *PilotWeeks) []GroupMean {
	type key struct {
		week  Day
		group string
	}
	acc := map[key]*[3]Moments{}
	weeks := map[Day]bool{}
	for i := range dp.Rows {
		r := &dp.Rows[i]
		g := v.Group(dp.Cohorts[r.Cohort])
		if g == "" {
			continue
		}
		k := key{r.Week, g}
		if acc[k] == nil {
			acc[k] = &[3]Moments{}
		}
		for j, x := range r.Ratings {
			acc[k][j].Add(x)
		}
		weeks[r.Week] = true
	}
	var out []GroupMean
	for _, w := range slices.Sorted(maps.Keys(weeks)) {
		for _, g := range []string{GroupPilot, GroupComparison} {
			m := acc[key{w, g}]
			if m == nil {
				continue
			}
			for j, name := range RatingNames {
				out = append(out, GroupMean{Week: w.Time(), Group: g, Rating: name, Moments: m[j]})
			}
		}
	}
	return out
}
