package reportstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
	"github.com/bussola-pa/bussola/schemas"
)

//go:embed sql/*.sql
var sqlFS embed.FS

// Store reads the report pages' raw material from ClickHouse: lattices,
// panels, moments, counts and diary texts (figures.Source).
type Store struct {
	conn   driver.Conn
	db     string
	pilots []schemas.Pilot
	sql    map[string]string
	cache  *cache
}

var _ figures.Source = (*Store)(nil)

// Options tune a Store.
type Options struct {
	// Pilots are the pilot definitions (cohorts, start dates, comparison
	// labels) whose panels the impact page reads; a tenant without a pilot
	// gets an impact page without estimates.
	Pilots []schemas.Pilot
	// CacheEntries caps the cached panels and page results; 0 means 512.
	CacheEntries int
	// NoCache computes every page afresh (for benchmarks of the cold path).
	NoCache bool
}

// New returns a Store reading database db over conn. The SQL files are
// parsed once here; a pilot that fails validation is an error.
func New(conn driver.Conn, db string, opt Options) (*Store, error) {
	if conn == nil {
		return nil, fmt.Errorf("reportstore: a ClickHouse connection is required")
	}
	if strings.ContainsAny(db, " ;`'\".") || db == "" {
		return nil, fmt.Errorf("reportstore: database %q is not a plain database name", db)
	}
	for i := range opt.Pilots {
		if err := opt.Pilots[i].Validate(); err != nil {
			return nil, fmt.Errorf("reportstore: pilots[%d] (%s): %w", i, opt.Pilots[i].ID, err)
		}
	}
	s := &Store{conn: conn, db: db, pilots: opt.Pilots, sql: map[string]string{}}
	err := fs.WalkDir(sqlFS, "sql", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := sqlFS.ReadFile(path)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(path, "sql/"), ".sql")
		s.sql[name] = strings.ReplaceAll(string(b), "{db}", db)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reportstore: load sql: %w", err)
	}
	n := opt.CacheEntries
	if n <= 0 {
		n = 512
	}
	s.cache = newCache(n, !opt.NoCache)
	return s, nil
}

// query runs the named SQL file with the named parameters.
func (s *Store) query(ctx context.Context, name string, params map[string]any) (driver.Rows, error) {
	text, ok := s.sql[name]
	if !ok {
		return nil, fmt.Errorf("reportstore: no sql file %s.sql", name)
	}
	args := make([]any, 0, len(params))
	for k, v := range params {
		args = append(args, clickhouse.Named(k, v))
	}
	rows, err := s.conn.Query(ctx, text, args...)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", name, err)
	}
	return rows, nil
}

// each runs the named query and calls scan for every row.
func (s *Store) each(ctx context.Context, name string, params map[string]any, scan func(driver.Rows) error) error {
	rows, err := s.query(ctx, name, params)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("query %s: scan: %w", name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query %s: %w", name, err)
	}
	return nil
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
