package reportstore

import (
	"context"
	"strconv"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/analytics/text"
	"github.com/bussola-pa/bussola/reports"
)

// participation is, per cohort, the share of the cohort's people (seen on
// the intranet in the period) who answered a personal questionnaire.
func (s *Store) participation(ctx context.Context, q reports.Query, ip []intranetRow, f filter) ([]reports.CategoryCount, error) {
	invited := map[string]map[uint64]bool{}
	for i := range ip {
		r := &ip[i]
		if !f.pass(r.lab.unit, r.lab.grade, r.lab.cohort) {
			continue
		}
		if invited[r.lab.cohort] == nil {
			invited[r.lab.cohort] = map[uint64]bool{}
		}
		invited[r.lab.cohort][r.person] = true
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
	lab    *labels
	date   time.Time
	text   string
}

func (s *Store) diaryTexts(ctx context.Context, q reports.Query) ([]diaryText, error) {
	return cached(s, ctx, panelKey("texts", q), func() ([]diaryText, error) {
		in := interner{}
		var out []diaryText
		var u, g, c string
		err := s.each(ctx, "Impact.texts", params(q), func(r driver.Rows) error {
			var t diaryText
			if err := r.Scan(&t.person, &u, &g, &c, &t.date, &t.text); err != nil {
				return err
			}
			t.lab = in.get(u, g, c)
			out = append(out, t)
			return nil
		})
		return out, err
	})
}

// terms are the top diary terms before and after each writer's pilot
// start (the first cohort's start for the comparison group), with the
// distinct people using each. No minimum is applied here: reports drops
// terms used by fewer than its text minimum.
func (s *Store) terms(ctx context.Context, q reports.Query, v *pilotView) ([]reports.TermCount, error) {
	texts, err := s.diaryTexts(ctx, q)
	if err != nil {
		return nil, err
	}
	f := filterOf(q)
	docs := make([]text.Document, 0, len(texts))
	for i := range texts {
		t := &texts[i]
		if !f.pass(t.lab.unit, t.lab.grade, t.lab.cohort) {
			continue
		}
		p := "before"
		if !t.date.Before(v.startOf(t.lab.cohort)) {
			p = "after"
		}
		docs = append(docs, text.Document{Person: strconv.FormatUint(t.person, 36), Period: p, Text: t.text})
	}
	res, err := text.TopTerms(docs, text.Options{MinPeople: 1, AllowBelowTen: true, TopN: 20})
	if err != nil {
		return nil, err
	}
	var out []reports.TermCount
	for _, period := range []string{"before", "after"} {
		for _, g := range res.Groups {
			if g.Period != period {
				continue
			}
			for _, tc := range g.Terms {
				out = append(out, reports.TermCount{Period: period, Term: tc.Term, Cell: reports.Cell{Value: float64(tc.Count), N: tc.People}})
			}
		}
	}
	return out, nil
}
