package reportstore

import (
	"context"
	"math"
	"time"

	"github.com/bussola-pa/bussola/reports"
)

// kpiWeeks is the length of the current and the previous window of the
// behavioural KPIs (adoption, wellbeing), ending at the last week with data.
const kpiWeeks = 4

// Executive implements reports.Store: readiness index and response rate
// compare the latest questionnaire wave with the one before; adoption and
// wellbeing compare the last kpiWeeks weeks with the kpiWeeks before.
func (s *Store) Executive(ctx context.Context, q reports.Query) (reports.ExecutiveData, error) {
	return cached(s, ctx, resultKey("executive", q), func() (reports.ExecutiveData, error) { return s.executive(ctx, q) })
}

func (s *Store) executive(ctx context.Context, q reports.Query) (reports.ExecutiveData, error) {
	d := reports.ExecutiveData{}
	kpis, pop, err := s.kpis(ctx, q)
	if err != nil {
		return d, err
	}
	d.KPIs, d.Population = kpis, pop
	if len(q.Tenants) > 1 {
		for _, t := range q.Tenants {
			tq := reports.Query{Tenant: t, From: q.From, To: q.To, Lang: q.Lang}
			ks, _, err := s.kpis(ctx, tq)
			if err != nil {
				return d, err
			}
			for _, k := range ks {
				d.Benchmark = append(d.Benchmark, reports.BenchmarkCell{Tenant: t, KPI: k.Key, Cell: k.Current})
			}
		}
	}
	return d, nil
}

func kpi(key, unit string, cur, prev reports.Cell, change reports.Cell) reports.KPI {
	return reports.KPI{Key: key, Unit: unit, Current: cur, Previous: prev, Change: change}
}

func (s *Store) kpis(ctx context.Context, q reports.Query) ([]reports.KPI, reports.Population, error) {
	ip, err := s.intranetPanel(ctx, q)
	if err != nil {
		return nil, reports.Population{}, err
	}
	dp, err := s.diaryPanel(ctx, q)
	if err != nil {
		return nil, reports.Population{}, err
	}
	f := filterOf(q)
	pop := unionPopulation(ip, dp, f)
	known, _ := people(ip, intranetWho, f)

	var out []reports.KPI
	// Readiness index and response rate: latest wave against the one before.
	ws, err := s.waves(ctx, q, instrReadiness)
	if err != nil {
		return nil, pop, err
	}
	latest, prev := lastTwo(ws)
	var pa personsAgg
	if latest != "" {
		p := with(params(q), "instrument", instrReadiness, "stages", instrStages, "wave", latest, "prev", prev)
		if pa, err = s.persons(ctx, p, latest); err != nil {
			return nil, pop, err
		}
	}
	ci, pi := pa.index[latest], pa.index[prev]
	out = append(out, kpi("readiness_index", "points", meanCell(ci, int(ci.n)), meanCell(pi, int(pi.n)), diffCell(ci, pi, int(ci.n), int(pi.n))))

	// Adoption: per person, the share of their active weeks with cloud-tool
	// use; wellbeing: per person, the mean of the three diary ratings.
	end := lastWeek(ip)
	curFrom, prevFrom := end.AddDate(0, 0, -7*(kpiWeeks-1)), end.AddDate(0, 0, -7*(2*kpiWeeks-1))
	window := func(w time.Time) int {
		switch {
		case !w.Before(curFrom) && !w.After(end):
			return 0
		case !w.Before(prevFrom) && w.Before(curFrom):
			return 1
		}
		return -1
	}
	type pw struct {
		person uint64
		win    int
	}
	weeks, used := map[pw]int{}, map[pw]int{}
	for i := range ip {
		r := &ip[i]
		if !f.pass(r.lab.unit, r.lab.grade, r.lab.cohort) || end.IsZero() {
			continue
		}
		if w := window(r.week); w >= 0 {
			weeks[pw{r.person, w}]++
			if r.cloud > 0 {
				used[pw{r.person, w}]++
			}
		}
	}
	var adopt [2]moments
	for k, n := range weeks {
		adopt[k.win].add(float64(used[k]) / float64(n))
	}
	out = append(out, kpi("adoption_rate", "share", meanCell(adopt[0], int(adopt[0].n)), meanCell(adopt[1], int(adopt[1].n)),
		diffCell(adopt[0], adopt[1], int(adopt[0].n), int(adopt[1].n))))

	type acc struct{ s, n float64 }
	well := map[pw]*acc{}
	for i := range dp {
		r := &dp[i]
		if !f.pass(r.lab.unit, r.lab.grade, r.lab.cohort) || end.IsZero() {
			continue
		}
		if w := window(r.week); w >= 0 {
			a := well[pw{r.person, w}]
			if a == nil {
				a = &acc{}
				well[pw{r.person, w}] = a
			}
			a.s += (r.ratings[0] + r.ratings[1] + r.ratings[2]) / 3
			a.n++
		}
	}
	var wb [2]moments
	for k, a := range well {
		wb[k.win].add(a.s / a.n)
	}
	out = append(out, kpi("wellbeing", "rating", meanCell(wb[0], int(wb[0].n)), meanCell(wb[1], int(wb[1].n)),
		diffCell(wb[0], wb[1], int(wb[0].n), int(wb[1].n))))

	// Response rate: scored respondents of each wave over the people seen
	// on the intranet in the period.
	cr, pr := shareCell(min(pa.respondents[latest], known), known), shareCell(min(pa.respondents[prev], known), known)
	change := reports.Cell{Value: cr.Value - pr.Value, N: known}
	if known > 0 && prev != "" {
		se := func(c reports.Cell) float64 { return c.Value * (1 - c.Value) / float64(known) }
		h := 1.959964 * sqrt(se(cr)+se(pr))
		change.Lo, change.Hi = change.Value-h, change.Value+h
	}
	if prev == "" {
		pr = reports.Cell{}
	}
	out = append(out, kpi("response_rate", "share", cr, pr, change))
	return out, pop, nil
}

func lastWeek(ip []intranetRow) time.Time {
	var end time.Time
	for i := range ip {
		if ip[i].week.After(end) {
			end = ip[i].week
		}
	}
	return end
}

func sqrt(x float64) float64 { return math.Sqrt(x) }
