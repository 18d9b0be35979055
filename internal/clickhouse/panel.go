package clickhouse

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/reports"
)

// cohortIndex numbers the cohort labels of one panel.
type cohortIndex struct {
	names []string
	index map[string]uint16
}

func (c *cohortIndex) of(name string) (uint16, error) {
	if i, ok := c.index[name]; ok {
		return i, nil
	}
	if len(c.names) > math.MaxUint16 {
		return 0, fmt.Errorf("more than %d cohorts", math.MaxUint16)
	}
	if c.index == nil {
		c.index = map[string]uint16{}
	}
	i := uint16(len(c.names))
	c.names = append(c.names, name)
	c.index[name] = i
	return i, nil
}

// panelKey caches panels per tenant, period and selection.
func panelKey(kind string, q reports.Query) string {
	from, to := period(q)
	return strings.Join([]string{kind, q.Tenant, q.Unit, q.Grade, q.Cohort, from, to}, "|")
}

// weekParams adds the whole weeks of the query period to its parameters:
// wfrom is the first Monday on or after the start, wto the last Monday
// whose week ends on or before the end, wend that week's Sunday. Days
// outside wfrom..wend are read from the daily rollup.
func weekParams(q reports.Query) map[string]any {
	from, to := q.From, q.To
	if from.IsZero() {
		from = minDay
	}
	if to.IsZero() {
		to = maxDay
	}
	wfrom := analytics.Monday(from)
	if wfrom.Before(from) {
		wfrom = wfrom.AddDate(0, 0, 7)
	}
	wto := analytics.Monday(to.AddDate(0, 0, -6))
	return with(params(q), "wfrom", wfrom.Format(time.DateOnly), "wto", wto.Format(time.DateOnly),
		"wend", wto.AddDate(0, 0, 6).Format(time.DateOnly))
}

// intranetPanel returns the person-week intranet panel of the selection
// (tenant, filters and period).
func (s *Store) intranetPanel(ctx context.Context, q reports.Query) (analytics.IntranetPanel, error) {
	return cached(s, ctx, panelKey("panel.intranet", q), func() (analytics.IntranetPanel, error) {
		var p analytics.IntranetPanel
		var ci cohortIndex
		var cohort string
		var row analytics.IntranetWeek
		err := s.each(ctx, "Panel.intranet", weekParams(q), func(r driver.Rows) (err error) {
			if err = r.Scan(&row.Person, &cohort, (*uint16)(&row.Week), &row.Events, &row.Cloud); err != nil {
				return err
			}
			if row.Cohort, err = ci.of(cohort); err != nil {
				return err
			}
			p.Rows = append(p.Rows, row)
			return nil
		})
		p.Cohorts = ci.names
		return p, err
	})
}

// diaryPanel returns the person-week diary panel of the selection.
func (s *Store) diaryPanel(ctx context.Context, q reports.Query) (analytics.DiaryPanel, error) {
	return cached(s, ctx, panelKey("panel.diary", q), func() (analytics.DiaryPanel, error) {
		var p analytics.DiaryPanel
		var ci cohortIndex
		var cohort string
		var row analytics.DiaryWeek
		err := s.each(ctx, "Panel.diary", params(q), func(r driver.Rows) (err error) {
			if err = r.Scan(&row.Person, &cohort, (*uint16)(&row.Week), &row.Entries, &row.Ratings[0], &row.Ratings[1], &row.Ratings[2]); err != nil {
				return err
			}
			if row.Cohort, err = ci.of(cohort); err != nil {
				return err
			}
			p.Rows = append(p.Rows, row)
			return nil
		})
		p.Cohorts = ci.names
		return p, err
	})
}

// population counts the people of a selection with intranet or diary
// records in the period.
type population struct {
	// all is intranet and diary together; intranet is the intranet alone.
	all, intranet reports.Population
	// lastWeek is the tenant's last week with intranet use in the period
	// (whatever the filters), zero when there is none.
	lastWeek time.Time
}

func (s *Store) population(ctx context.Context, q reports.Query) (population, error) {
	return cached(s, ctx, panelKey("population", q), func() (population, error) {
		var p population
		var n, entity, ni, ei uint64
		var last time.Time
		err := s.each(ctx, "Population", weekParams(q), func(r driver.Rows) error {
			return r.Scan(&n, &entity, &ni, &ei, &last)
		})
		p.all = reports.Population{N: int(n), EntityN: int(entity)}
		p.intranet = reports.Population{N: int(ni), EntityN: int(ei)}
		if ei > 0 {
			p.lastWeek = last
		}
		return p, err
	})
}
