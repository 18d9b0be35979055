package clickhouse

import (
	"fmt"
	"time"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
	"github.com/bussola-pa/bussola/schemas"
)

var _ figures.Source = (*Store)(nil)

// ReportOptions tune the report reads of a Store.
type ReportOptions struct {
	// Pilots are the pilot definitions (cohorts, start dates, comparison
	// labels) whose panels the impact page reads; a tenant without a pilot
	// gets an impact page without estimates.
	Pilots []schemas.Pilot
	// CacheEntries caps the cached panels and page results; 0 means 512.
	CacheEntries int
	// NoCache computes every page afresh (for benchmarks of the cold path).
	NoCache bool
}

// WithReports returns a Store on s's connection whose report reads use
// opt: its pilots and a result cache of its own. A pilot that fails
// validation is an error. Close the Store Open returned, not this one.
func (s *Store) WithReports(opt ReportOptions) (*Store, error) {
	for i := range opt.Pilots {
		if err := opt.Pilots[i].Validate(); err != nil {
			return nil, fmt.Errorf("clickhouse: pilots[%d] (%s): %w", i, opt.Pilots[i].ID, err)
		}
	}
	n := opt.CacheEntries
	if n <= 0 {
		n = 512
	}
	return &Store{pool: s.pool, pilots: opt.Pilots, cache: newCache(n, !opt.NoCache)}, nil
}

// pilotOf returns the tenant's pilot (the first defined), if any.
func (s *Store) pilotOf(tenant string) (schemas.Pilot, bool) {
	for _, p := range s.pilots {
		if p.Tenant == tenant {
			return p, true
		}
	}
	return schemas.Pilot{}, false
}

// Open period bounds, as dates ClickHouse's Date type can hold.
var (
	minDay = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDay = time.Date(2149, 6, 1, 0, 0, 0, 0, time.UTC)
)

// period returns the query period as YYYY-MM-DD bounds, open ends filled.
func period(q reports.Query) (from, to string) {
	f, t := q.From, q.To
	if f.IsZero() {
		f = minDay
	}
	if t.IsZero() {
		t = maxDay
	}
	return f.Format(time.DateOnly), t.Format(time.DateOnly)
}

// params returns the standard parameters of a filtered query.
func params(q reports.Query) map[string]any {
	from, to := period(q)
	return map[string]any{"tenant": q.Tenant, "unit": q.Unit, "grade": q.Grade, "cohort": q.Cohort, "from": from, "to": to}
}

// with returns a copy of p with more parameters.
func with(p map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(p)+len(kv)/2)
	for k, v := range p {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

func lang(q reports.Query) string {
	if q.Lang == "en" {
		return "en"
	}
	return "it"
}
