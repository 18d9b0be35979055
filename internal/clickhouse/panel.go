package clickhouse

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/reports"
)

// day is a date as days since 1970-01-01, ClickHouse's Date, so that
// panel rows hold no pointers (a 155 k-row panel is then one allocation
// the garbage collector need not scan).
type day uint16

func (d day) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// intranetRow is one person-week of intranet use. A person whose unit,
// grade or cohort changed within a week has one row per set of labels, as
// in the rollups; the unit and grade filters are applied in SQL, so only
// the cohort is kept, as an index into the panel's cohorts.
type intranetRow struct {
	person        uint64
	events, cloud uint64
	week          day // Monday
	cohort        uint16
}

// intranetPanel is the person-week intranet panel of a selection.
type intranetPanel struct {
	cohorts []string
	rows    []intranetRow
}

// diaryRow is one person-week of diary ratings.
type diaryRow struct {
	person  uint64
	entries uint64
	ratings [3]float64 // productivity, work_life_balance, connection
	week    day
	cohort  uint16
}

// diaryPanel is the person-week diary panel of a selection.
type diaryPanel struct {
	cohorts []string
	rows    []diaryRow
}

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

// ratingNames are the diary ratings in diaryRow.ratings order.
var ratingNames = []string{"productivity", "work_life_balance", "connection"}

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
	wfrom := monday(from)
	if wfrom.Before(from) {
		wfrom = wfrom.AddDate(0, 0, 7)
	}
	wto := monday(to.AddDate(0, 0, -6))
	return with(params(q), "wfrom", wfrom.Format(time.DateOnly), "wto", wto.Format(time.DateOnly),
		"wend", wto.AddDate(0, 0, 6).Format(time.DateOnly))
}

// intranetPanel returns the person-week intranet panel of the selection
// (tenant, filters and period).
func (s *Store) intranetPanel(ctx context.Context, q reports.Query) (intranetPanel, error) {
	return cached(s, ctx, panelKey("panel.intranet", q), func() (intranetPanel, error) {
		var p intranetPanel
		var ci cohortIndex
		var cohort string
		var row intranetRow
		err := s.each(ctx, "Panel.intranet", weekParams(q), func(r driver.Rows) (err error) {
			if err = r.Scan(&row.person, &cohort, (*uint16)(&row.week), &row.events, &row.cloud); err != nil {
				return err
			}
			if row.cohort, err = ci.of(cohort); err != nil {
				return err
			}
			p.rows = append(p.rows, row)
			return nil
		})
		p.cohorts = ci.names
		return p, err
	})
}

// diaryPanel returns the person-week diary panel of the selection.
func (s *Store) diaryPanel(ctx context.Context, q reports.Query) (diaryPanel, error) {
	return cached(s, ctx, panelKey("panel.diary", q), func() (diaryPanel, error) {
		var p diaryPanel
		var ci cohortIndex
		var cohort string
		var row diaryRow
		err := s.each(ctx, "Panel.diary", params(q), func(r driver.Rows) (err error) {
			if err = r.Scan(&row.person, &cohort, (*uint16)(&row.week), &row.entries, &row.ratings[0], &row.ratings[1], &row.ratings[2]); err != nil {
				return err
			}
			if row.cohort, err = ci.of(cohort); err != nil {
				return err
			}
			p.rows = append(p.rows, row)
			return nil
		})
		p.cohorts = ci.names
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
