package reportstore

import (
	"context"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/reports"
)

// labels are a person's org unit, grade and cohort; pointers into a small
// intern table keep panels compact.
type labels struct{ unit, grade, cohort string }

// intranetRow is one person-week of intranet use.
type intranetRow struct {
	person uint64
	lab    *labels
	week   time.Time
	events uint64
	cloud  uint64
}

// diaryRow is one person-week of diary ratings.
type diaryRow struct {
	person  uint64
	lab     *labels
	week    time.Time
	entries uint64
	ratings [3]float64 // productivity, work_life_balance, connection
}

// ratingNames are the diary ratings in diaryRow.ratings order.
var ratingNames = []string{"productivity", "work_life_balance", "connection"}

type interner map[labels]*labels

func (in interner) get(u, g, c string) *labels {
	k := labels{u, g, c}
	if p, ok := in[k]; ok {
		return p
	}
	p := &k
	in[k] = p
	return p
}

// panelKey caches panels per tenant and period; unit, grade and cohort are
// filtered in Go so every filter combination shares one panel.
func panelKey(kind string, q reports.Query) string {
	from, to := period(q)
	return kind + "|" + q.Tenant + "|" + from + "|" + to
}

// intranetPanel returns the person-week intranet panel of the tenant and
// period (no unit, grade or cohort filter).
func (s *Store) intranetPanel(ctx context.Context, q reports.Query) ([]intranetRow, error) {
	return cached(s, ctx, panelKey("panel.intranet", q), func() ([]intranetRow, error) {
		in := interner{}
		var out []intranetRow
		var u, g, c string
		err := s.each(ctx, "Panel.intranet", params(q), func(r driver.Rows) error {
			var row intranetRow
			if err := r.Scan(&row.person, &u, &g, &c, &row.week, &row.events, &row.cloud); err != nil {
				return err
			}
			row.lab = in.get(u, g, c)
			out = append(out, row)
			return nil
		})
		return out, err
	})
}

// diaryPanel returns the person-week diary panel of the tenant and period.
func (s *Store) diaryPanel(ctx context.Context, q reports.Query) ([]diaryRow, error) {
	return cached(s, ctx, panelKey("panel.diary", q), func() ([]diaryRow, error) {
		in := interner{}
		var out []diaryRow
		var u, g, c string
		err := s.each(ctx, "Panel.diary", params(q), func(r driver.Rows) error {
			var row diaryRow
			if err := r.Scan(&row.person, &u, &g, &c, &row.week, &row.entries, &row.ratings[0], &row.ratings[1], &row.ratings[2]); err != nil {
				return err
			}
			row.lab = in.get(u, g, c)
			out = append(out, row)
			return nil
		})
		return out, err
	})
}

// people counts the distinct persons of the panel rows passing f, and of
// all rows.
func people[R any](rows []R, who func(*R) (uint64, *labels), f filter) (n, entity int) {
	sel, all := map[uint64]bool{}, map[uint64]bool{}
	for i := range rows {
		p, l := who(&rows[i])
		all[p] = true
		if f.pass(l.unit, l.grade, l.cohort) {
			sel[p] = true
		}
	}
	return len(sel), len(all)
}

func intranetWho(r *intranetRow) (uint64, *labels) { return r.person, r.lab }
