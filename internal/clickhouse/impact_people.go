package clickhouse

import (
	"context"
	"strconv"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/privacy"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
)

// answered counts per cohort the people who answered a personal
// questionnaire.
func (s *Store) answered(ctx context.Context, q reports.Query) (map[string]int, error) {
	out := map[string]int{}
	err := s.each(ctx, "Impact.participation", params(q), func(r driver.Rows) error {
		var c string
		var n uint64
		if err := r.Scan(&c, &n); err != nil {
			return err
		}
		out[c] = int(n)
		return nil
	})
	return out, err
}

// diaryTexts returns the selection's diary texts ordered by writer.
func (s *Store) diaryTexts(ctx context.Context, q reports.Query) ([]figures.DiaryText, error) {
	minText := max(q.MinText, privacy.MinText)
	return cached(s, ctx, panelKey("texts", q)+"|"+strconv.Itoa(minText), func() ([]figures.DiaryText, error) {
		var out []figures.DiaryText
		err := s.each(ctx, "Impact.texts", with(params(q), "mintext", minText), func(r driver.Rows) error {
			var t figures.DiaryText
			if err := r.Scan(&t.Person, &t.Cohort, &t.Date, &t.Text); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
		return out, err
	})
}

// grades returns the grade of each of the tenant's people in the period
// (Impact.grades), for the effects by grade group.
func (s *Store) grades(ctx context.Context, q reports.Query) (map[uint64]string, error) {
	return cached(s, ctx, panelKey("grades", q), func() (map[uint64]string, error) {
		out := map[uint64]string{}
		err := s.each(ctx, "Impact.grades", params(q), func(r driver.Rows) error {
			var p uint64
			var g string
			if err := r.Scan(&p, &g); err != nil {
				return err
			}
			out[p] = g
			return nil
		})
		return out, err
	})
}
