package clickhouse

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/reports"
)

// KnownPopulation implements reports.Store: the tenant's people per
// interior cell, from the intranet rollup, the diaries and the
// questionnaires, read once per data version.
func (s *Store) KnownPopulation(ctx context.Context, tenant string) (reports.KnownPopulation, error) {
	d, v, err := versioned(s, ctx, "known-population|"+tenant, func() (reports.KnownPopulation, error) {
		var d reports.KnownPopulation
		err := s.each(ctx, "Known.population", map[string]any{"tenant": tenant}, func(r driver.Rows) error {
			var c reports.KnownCell
			var n uint64
			if err := r.Scan(&c.Unit, &c.Grade, &c.Cohort, &n); err != nil {
				return err
			}
			c.People = int(n)
			d.Cells = append(d.Cells, c)
			return nil
		})
		return d, err
	})
	d.Version = v
	return d, err
}
