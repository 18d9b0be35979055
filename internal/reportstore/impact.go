package reportstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/schemas"
)

// Outcome ids of the impact page, with their labels.
const (
	OutcomeCloud = "cloud_tool_events" // cloud-tool actions per person-week
)

var outcomeLabels = map[string][2]string{
	OutcomeCloud:        {"Azioni con strumenti cloud per settimana", "Cloud-tool actions per week"},
	"productivity":      {"Produttività (diario, 1-5)", "Productivity (diary, 1-5)"},
	"work_life_balance": {"Equilibrio vita-lavoro (diario, 1-5)", "Work-life balance (diary, 1-5)"},
	"connection":        {"Legame con i colleghi (diario, 1-5)", "Connection with colleagues (diary, 1-5)"},
}

func outcomeLabel(id, lang string) string {
	l, ok := outcomeLabels[id]
	if !ok {
		return id
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// resultKey identifies a page result: tenant, filters, period, language
// and the tenants the user may compare.
func resultKey(page string, q reports.Query) string {
	from, to := period(q)
	return strings.Join([]string{page, q.Tenant, q.Unit, q.Grade, q.Cohort, from, to, lang(q), strings.Join(q.Tenants, ",")}, "|")
}

// Impact implements reports.Store.
func (s *Store) Impact(ctx context.Context, q reports.Query) (reports.ImpactData, error) {
	return cached(s, ctx, resultKey("impact", q), func() (reports.ImpactData, error) { return s.impact(ctx, q) })
}

// pilotView maps a pilot onto panel weeks.
type pilotView struct {
	p          schemas.Pilot
	base, end  time.Time      // Monday of pre_start; post_end
	start      map[string]int // treated cohort label -> first treated week index
	startDay   map[string]time.Time
	firstStart time.Time
}

func newPilotView(p schemas.Pilot) *pilotView {
	v := &pilotView{p: p, start: map[string]int{}, startDay: map[string]time.Time{}}
	pre, _ := time.Parse(time.DateOnly, p.PreStart)
	v.end, _ = time.Parse(time.DateOnly, p.PostEnd)
	v.base = monday(pre)
	for _, c := range p.Cohorts {
		st, _ := time.Parse(time.DateOnly, c.Start)
		first := monday(st)
		if first.Before(st) {
			first = first.AddDate(0, 0, 7) // a mid-week start: the first full week is treated
		}
		v.start[c.Label] = v.index(first)
		v.startDay[c.Label] = st
		if v.firstStart.IsZero() || st.Before(v.firstStart) {
			v.firstStart = st
		}
	}
	return v
}

func monday(t time.Time) time.Time {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// index is the 1-based week number of a Monday since the pilot's base week.
func (v *pilotView) index(week time.Time) int {
	return int(week.Sub(v.base).Hours()/24/7+0.5) + 1
}

// inWindow says whether a week lies in the pilot's observation window.
func (v *pilotView) inWindow(week time.Time) bool {
	return !week.Before(v.base) && !week.After(v.end)
}

// group is "pilot", "comparison" or "" (neither) for a cohort label.
func (v *pilotView) group(cohort string) string {
	if _, ok := v.start[cohort]; ok {
		return "pilot"
	}
	if slices.Contains(v.p.Comparison, cohort) {
		return "comparison"
	}
	return ""
}

// cohortIndex is the first treated week of a cohort, 0 for comparison.
func (v *pilotView) cohortIndex(cohort string) int { return v.start[cohort] }

// startOf is the day a person's "after" period begins: the cohort start
// for participants, the first cohort's start for everyone else.
func (v *pilotView) startOf(cohort string) time.Time {
	if d, ok := v.startDay[cohort]; ok {
		return d
	}
	return v.firstStart
}

func (s *Store) impact(ctx context.Context, q reports.Query) (reports.ImpactData, error) {
	lg := lang(q)
	d := reports.ImpactData{Outcome: outcomeLabel(OutcomeCloud, lg)}
	ip, err := s.intranetPanel(ctx, q)
	if err != nil {
		return d, err
	}
	dp, err := s.diaryPanel(ctx, q)
	if err != nil {
		return d, err
	}
	f := filterOf(q)
	d.Population = unionPopulation(ip, dp, f)
	d.Adoption = adoption(ip, f, s.cohortOrder(q.Tenant))
	pilot, ok := s.pilotOf(q.Tenant)
	if !ok {
		return d, nil
	}
	v := newPilotView(pilot)
	d.Diary = diarySeries(dp, f, v)
	d.EventStudy, d.DiD = estimates(ip, dp, f, v, lg)
	if d.Participation, err = s.participation(ctx, q, ip, f); err != nil {
		return d, err
	}
	if d.Terms, err = s.terms(ctx, q, v); err != nil {
		return d, err
	}
	return d, nil
}

// cohortOrder lists a tenant's pilot cohorts, then its comparison labels.
func (s *Store) cohortOrder(tenant string) []string {
	p, ok := s.pilotOf(tenant)
	if !ok {
		return nil
	}
	var out []string
	for _, c := range p.Cohorts {
		out = append(out, c.Label)
	}
	return append(out, p.Comparison...)
}

// unionPopulation counts the people with intranet or diary records.
func unionPopulation(ip []intranetRow, dp []diaryRow, f filter) reports.Population {
	sel, all := map[uint64]bool{}, map[uint64]bool{}
	add := func(p uint64, l *labels) {
		all[p] = true
		if f.pass(l.unit, l.grade, l.cohort) {
			sel[p] = true
		}
	}
	for i := range ip {
		add(ip[i].person, ip[i].lab)
	}
	for i := range dp {
		add(dp[i].person, dp[i].lab)
	}
	return reports.Population{N: len(sel), EntityN: len(all)}
}

// adoption is, per week and cohort, the share of the cohort's people (seen
// on the intranet in the period) who used a cloud tool that week.
func adoption(ip []intranetRow, f filter, order []string) []reports.SeriesPoint {
	members := map[string]map[uint64]bool{}
	active := map[time.Time]map[string]int{}
	for i := range ip {
		r := &ip[i]
		if !f.pass(r.lab.unit, r.lab.grade, r.lab.cohort) {
			continue
		}
		c := r.lab.cohort
		if members[c] == nil {
			members[c] = map[uint64]bool{}
		}
		members[c][r.person] = true
		if r.cloud > 0 {
			if active[r.week] == nil {
				active[r.week] = map[string]int{}
			}
			active[r.week][c]++
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
	weeks := sortedWeeks(active)
	var out []reports.SeriesPoint
	for _, w := range weeks {
		for _, c := range cohorts {
			n := len(members[c])
			out = append(out, reports.SeriesPoint{Week: w.Format(time.DateOnly), Series: c,
				Cell: reports.Cell{Value: float64(active[w][c]) / float64(n), N: n}})
		}
	}
	return out
}

func sortedWeeks[V any](m map[time.Time]V) []time.Time {
	out := make([]time.Time, 0, len(m))
	for w := range m {
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// diarySeries is the weekly mean of each rating for pilot and comparison:
// the mean over writers of their person-week means, N the writers.
func diarySeries(dp []diaryRow, f filter, v *pilotView) []reports.DiaryPoint {
	type key struct {
		week  time.Time
		group string
	}
	acc := map[key]*[3]moments{}
	weeks := map[time.Time]bool{}
	for i := range dp {
		r := &dp[i]
		g := v.group(r.lab.cohort)
		if g == "" || !f.pass(r.lab.unit, r.lab.grade, r.lab.cohort) {
			continue
		}
		k := key{r.week, g}
		if acc[k] == nil {
			acc[k] = &[3]moments{}
		}
		for j, x := range r.ratings {
			acc[k][j].add(x)
		}
		weeks[r.week] = true
	}
	var out []reports.DiaryPoint
	for _, w := range sortedWeeks(weeks) {
		for _, g := range []string{"pilot", "comparison"} {
			m := acc[key{w, g}]
			if m == nil {
				continue
			}
			for j, name := range ratingNames {
				out = append(out, reports.DiaryPoint{Week: w.Format(time.DateOnly), Group: g, Rating: name,
					Cell: meanCell(m[j], int(m[j].n))})
			}
		}
	}
	return out
}
