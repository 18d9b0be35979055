package clickhouse

import (
	"context"
	"slices"
	"strconv"
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
	return strings.Join([]string{page, q.Tenant, q.Unit, q.Grade, q.Cohort, from, to, lang(q), strings.Join(q.Tenants, ","), strconv.Itoa(q.MinText)}, "|")
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

// impact runs four independent parts at once: the intranet panel with
// the adoption series, participation and the cloud-tool estimates; the
// diary panel with its series and estimates; the diary terms; the people
// counts.
func (s *Store) impact(ctx context.Context, q reports.Query) (reports.ImpactData, error) {
	lg := lang(q)
	d := reports.ImpactData{Outcome: outcomeLabel(OutcomeCloud, lg)}
	pilot, ok := s.pilotOf(q.Tenant)
	var v *pilotView
	if ok {
		v = newPilotView(pilot)
	}
	var cloudRow, diaryRows []reports.DiDRow
	err := parallel(func() error {
		ip, err := s.intranetPanel(ctx, q)
		if err != nil {
			return err
		}
		d.Adoption = adoption(ip, s.cohortOrder(q.Tenant))
		if v == nil {
			return nil
		}
		return parallel(func() (err error) {
			d.Participation, err = s.participation(ctx, q, ip)
			return err
		}, func() error {
			d.EventStudy, cloudRow = cloudEstimates(ip, v, lg)
			return nil
		})
	}, func() error {
		if v == nil {
			return nil
		}
		dp, err := s.diaryPanel(ctx, q)
		if err != nil {
			return err
		}
		d.Diary = diarySeries(dp, v)
		diaryRows = diaryEstimates(dp, v, lg)
		return nil
	}, func() (err error) {
		if v != nil {
			d.Terms, err = s.terms(ctx, q, v)
		}
		return err
	}, func() error {
		pop, err := s.population(ctx, q)
		d.Population = pop.all
		return err
	})
	d.DiD = append(cloudRow, diaryRows...)
	return d, err
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

// adoption is, per week and cohort, the share of the cohort's people (seen
// on the intranet in the period) who used a cloud tool that week.
func adoption(ip intranetPanel, order []string) []reports.SeriesPoint {
	members := map[string]map[uint64]bool{}
	active := map[day]map[string]int{}
	for i := range ip.rows {
		r := &ip.rows[i]
		c := ip.cohorts[r.cohort]
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
	var out []reports.SeriesPoint
	for _, w := range sortedWeeks(active) {
		for _, c := range cohorts {
			n := len(members[c])
			out = append(out, reports.SeriesPoint{Week: w.time().Format(time.DateOnly), Series: c,
				Cell: reports.Cell{Value: float64(active[w][c]) / float64(n), N: n}})
		}
	}
	return out
}

func sortedWeeks[V any](m map[day]V) []day {
	out := make([]day, 0, len(m))
	for w := range m {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}

// diarySeries is the weekly mean of each rating for pilot and comparison:
// the mean over writers of their person-week means, N the writers.
func diarySeries(dp diaryPanel, v *pilotView) []reports.DiaryPoint {
	type key struct {
		week  day
		group string
	}
	acc := map[key]*[3]moments{}
	weeks := map[day]bool{}
	for i := range dp.rows {
		r := &dp.rows[i]
		g := v.group(dp.cohorts[r.cohort])
		if g == "" {
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
				out = append(out, reports.DiaryPoint{Week: w.time().Format(time.DateOnly), Group: g, Rating: name,
					Cell: meanCell(m[j], int(m[j].n))})
			}
		}
	}
	return out
}
