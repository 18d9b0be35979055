package clickhouse

import (
	"context"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/reports"
)

// Options implements reports.Store: the tenant's units, grades and cohorts
// in any evidence stream, sorted.
func (s *Store) Options(ctx context.Context, tenant string) (reports.FilterOptions, error) {
	return cached(s, ctx, "options|"+tenant, func() (reports.FilterOptions, error) {
		units, grades, cohorts := map[string]bool{}, map[string]bool{}, map[string]bool{}
		err := s.each(ctx, "Options", map[string]any{"tenant": tenant}, func(r driver.Rows) error {
			var u, g, c string
			if err := r.Scan(&u, &g, &c); err != nil {
				return err
			}
			units[u], grades[g], cohorts[c] = true, true, true
			return nil
		})
		o := reports.FilterOptions{Units: nonEmpty(units), Grades: nonEmpty(grades), Cohorts: nonEmpty(cohorts)}
		return o, err
	})
}

func nonEmpty(m map[string]bool) []string {
	out := sortedKeys(m)
	return slices.DeleteFunc(out, func(s string) bool { return s == "" })
}

// DeadLetters counts the dead letters of each tenant by source topic and
// reason (payloads never leave the table). It feeds the pipeline page.
func (s *Store) DeadLetters(ctx context.Context, tenants []string) ([]reports.DeadLetterCount, error) {
	var out []reports.DeadLetterCount
	for _, t := range tenants {
		err := s.each(ctx, "DeadLetters", map[string]any{"tenant": t}, func(r driver.Rows) error {
			c := reports.DeadLetterCount{Tenant: t}
			var n uint64
			if err := r.Scan(&c.Source, &c.Reason, &n, &c.Last); err != nil {
				return err
			}
			c.Count = int64(n)
			out = append(out, c)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
