package clickhouse

import (
	"context"
	"strconv"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/privacy"
	"github.com/bussola-pa/bussola/reports"
)

// participation is, per cohort, the share of the cohort's people (seen on
// the intranet in the period) who answered a personal questionnaire.
func (s *Store) participation(ctx context.Context, q reports.Query, ip intranetPanel) ([]reports.CategoryCount, error) {
	invited := map[string]map[uint64]bool{}
	for i := range ip.rows {
		r := &ip.rows[i]
		c := ip.cohorts[r.cohort]
		if invited[c] == nil {
			invited[c] = map[uint64]bool{}
		}
		invited[c][r.person] = true
	}
	answered := map[string]int{}
	err := s.each(ctx, "Impact.participation", params(q), func(r driver.Rows) error {
		var c string
		var n uint64
		if err := r.Scan(&c, &n); err != nil {
			return err
		}
		answered[c] = int(n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []reports.CategoryCount
	for _, c := range s.cohortOrder(q.Tenant) {
		n := len(invited[c])
		if n == 0 {
			continue
		}
		out = append(out, reports.CategoryCount{Category: c, Cell: shareCell(min(answered[c], n), n)})
	}
	return out, nil
}

// diaryText is one diary entry's text with its writer.
type diaryText struct {
	person uint64
	cohort string
	date   time.Time
	text   string
}

// diaryTexts returns the selection's diary texts ordered by writer.
func (s *Store) diaryTexts(ctx context.Context, q reports.Query) ([]diaryText, error) {
	minText := max(q.MinText, privacy.MinText)
	return cached(s, ctx, panelKey("texts", q)+"|"+strconv.Itoa(minText), func() ([]diaryText, error) {
		var out []diaryText
		err := s.each(ctx, "Impact.texts", with(params(q), "mintext", minText), func(r driver.Rows) error {
			var t diaryText
			if err := r.Scan(&t.person, &t.cohort, &t.date, &t.text); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
		return out, err
	})
}
