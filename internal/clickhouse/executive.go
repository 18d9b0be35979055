package clickhouse

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
	// The selection's KPIs and each other tenant's benchmark KPIs are
	// independent; an unfiltered selection is its own tenant's benchmark.
	unfiltered := q.Unit == "" && q.Grade == "" && q.Cohort == ""
	var tenants []string
	if len(q.Tenants) > 1 {
		tenants = q.Tenants
	}
	bench := make([][]reports.KPI, len(tenants))
	parts := []func() error{func() (err error) {
		d.KPIs, d.Population, err = s.kpis(ctx, q)
		return err
	}}
	for i, t := range tenants {
		if t == q.Tenant && unfiltered {
			continue
		}
		parts = append(parts, func() (err error) {
			bench[i], _, err = s.kpis(ctx, reports.Query{Tenant: t, From: q.From, To: q.To, Lang: q.Lang})
			return err
		})
	}
	if err := parallel(parts...); err != nil {
		return d, err
	}
	for i, t := range tenants {
		ks := bench[i]
		if t == q.Tenant && unfiltered {
			ks = d.KPIs
		}
		for _, k := range ks {
			d.Benchmark = append(d.Benchmark, reports.BenchmarkCell{Tenant: t, KPI: k.Key, Cell: k.Current})
		}
	}
	return d, nil
}

func kpi(key, unit string, cur, prev reports.Cell, change reports.Cell) reports.KPI {
	return reports.KPI{Key: key, Unit: unit, Current: cur, Previous: prev, Change: change}
}

func (s *Store) kpis(ctx context.Context, q reports.Query) ([]reports.KPI, reports.Population, error) {
	// Two independent chains: people, last week and the behavioural
	// windows; questionnaire waves and their scored people.
	var (
		pop          population
		ip           intranetPanel
		dp           diaryPanel
		latest, prev string
		pa           personsAgg
	)
	err := parallel(func() (err error) {
		if pop, err = s.population(ctx, q); err != nil || pop.lastWeek.IsZero() {
			return err
		}
		wq := kpiWindow(q, pop.lastWeek)
		return parallel(func() (err error) { ip, err = s.intranetPanel(ctx, wq); return err },
			func() (err error) { dp, err = s.diaryPanel(ctx, wq); return err })
	}, func() error {
		ws, err := s.waves(ctx, q, instrReadiness)
		if err != nil {
			return err
		}
		if latest, prev = lastTwo(ws); latest == "" {
			return nil
		}
		pa, err = s.persons(ctx, with(params(q), "instrument", instrReadiness, "stages", instrStages, "wave", latest, "prev", prev), latest)
		return err
	})
	if err != nil {
		return nil, pop.all, err
	}
	known := pop.intranet.N

	var out []reports.KPI
	// Readiness index and response rate: latest wave against the one before.
	ci, pi := pa.index[latest], pa.index[prev]
	out = append(out, kpi("readiness_index", "points", meanCell(ci, int(ci.n)), meanCell(pi, int(pi.n)), diffCell(ci, pi, int(ci.n), int(pi.n))))

	// Adoption: per person, the share of their active weeks with cloud-tool
	// use; wellbeing: per person, the mean of the three diary ratings. The
	// panels hold the two windows' weeks only.
	end := pop.lastWeek
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
	for i := range ip.rows {
		r := &ip.rows[i]
		if w := window(r.week.time()); w >= 0 {
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
	// The behavioural KPIs compare two windows of kpiWeeks weeks.
	var cur, before reports.Span
	if !end.IsZero() {
		cur = reports.Span{From: curFrom, To: end.AddDate(0, 0, 6)}
		before = reports.Span{From: prevFrom, To: curFrom.AddDate(0, 0, -1)}
	}
	out[len(out)-1].Period, out[len(out)-1].PreviousPeriod = cur, before

	type acc struct{ s, n float64 }
	well := map[pw]*acc{}
	for i := range dp.rows {
		r := &dp.rows[i]
		if w := window(r.week.time()); w >= 0 {
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
	out[len(out)-1].Period, out[len(out)-1].PreviousPeriod = cur, before

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
	if latest == "" { // no survey in the period: no rate, not a rate of 0%
		cr, change = reports.Cell{}, reports.Cell{}
	}
	out = append(out, kpi("response_rate", "share", cr, pr, change))
	out[len(out)-1].Period, out[len(out)-1].PreviousPeriod = reports.Span{Wave: latest}, reports.Span{Wave: prev}
	return out, pop.all, nil
}

// kpiWindow narrows q's period to the two KPI windows ending with the
// week of end: the panels of the narrowed query hold exactly the rows of
// those weeks, each over the same days as in the full period.
func kpiWindow(q reports.Query, end time.Time) reports.Query {
	from, to := end.AddDate(0, 0, -7*(2*kpiWeeks-1)), end.AddDate(0, 0, 6)
	if q.From.After(from) {
		from = q.From
	}
	if !q.To.IsZero() && q.To.Before(to) {
		to = q.To
	}
	q.From, q.To = from, to
	return q
}

func sqrt(x float64) float64 { return math.Sqrt(x) }
