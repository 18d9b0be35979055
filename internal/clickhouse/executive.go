package clickhouse

import (
	"context"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
)

// KPIPanels implements figures.Source: the selection's people, the
// intranet and diary panels of the KPI windows ending with the tenant's
// last week of intranet use (the two the cards compare and the trend's
// bins before them, within the period), the readiness index and scored
// people of the last two questionnaire waves and the scored people of
// every wave in the period. Two independent chains run at once: people,
// last week and the windows' panels; the waves and their scored people.
func (s *Store) KPIPanels(ctx context.Context, q reports.Query) (figures.KPIPanels, error) {
	var d figures.KPIPanels
	err := parallel(func() error {
		pop, err := s.population(ctx, q)
		d.Population, d.Known, d.LastWeek = pop.all, pop.intranet.N, pop.lastWeek
		if err != nil || pop.lastWeek.IsZero() {
			return err
		}
		// A filtered selection's behavioural trend is entity-only (hidden):
		// read only the cards' two windows for it.
		d.Bins = analytics.KPITrendBins
		if q.Filtered() {
			d.Bins = 2
		}
		wq := kpiWindow(q, pop.lastWeek, d.Bins)
		return parallel(func() (err error) { d.Intranet, err = s.intranetPanel(ctx, wq); return err },
			func() (err error) { d.Diary, err = s.diaryPanel(ctx, wq); return err })
	}, func() error {
		ws, err := s.waves(ctx, q, instrReadiness)
		if err != nil {
			return err
		}
		if d.Latest, d.Prev = lastTwo(ws); d.Latest == "" {
			return nil
		}
		if d.Waves, d.WaveRespondents, err = s.respondents(ctx, q, ws); err != nil {
			return err
		}
		pa, err := s.persons(ctx, with(params(q), "instrument", instrReadiness, "stages", instrStages, "wave", d.Latest, "prev", d.Prev), d.Latest)
		d.Index = [2]analytics.Moments{pa.index[d.Latest], pa.index[d.Prev]}
		d.Respondents = [2]int{pa.respondents[d.Latest], pa.respondents[d.Prev]}
		return err
	})
	return d, err
}

// kpiWindow narrows q's period to the bins KPI windows ending with the
// week of end: the panels of the narrowed query hold exactly the rows of
// those weeks, each over the same days as in the full period.
func kpiWindow(q reports.Query, end time.Time, bins int) reports.Query {
	from := analytics.BinStart(end, analytics.KPIWeeks, bins-1)
	to := end.AddDate(0, 0, 6)
	if q.From.After(from) {
		from = q.From
	}
	if !q.To.IsZero() && q.To.Before(to) {
		to = q.To
	}
	q.From, q.To = from, to
	return q
}

// respondents returns the waves of ws (oldest first) and the selection's
// scored people in each.
func (s *Store) respondents(ctx context.Context, q reports.Query, ws []string) ([]string, []int, error) {
	n := map[string]int{}
	err := s.each(ctx, "Readiness.respondents", with(params(q), "instrument", instrReadiness), func(r driver.Rows) error {
		var w string
		var c uint64
		if err := r.Scan(&w, &c); err != nil {
			return err
		}
		n[w] = int(c)
		return nil
	})
	out := make([]int, len(ws))
	for i, w := range ws {
		out[i] = n[w]
	}
	return ws, out, err
}
