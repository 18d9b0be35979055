package clickhouse

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"strings"

	chgo "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Every query lives in sql/<Topic>.<query>.sql, one query a file, so it
// can be read, reviewed and EXPLAINed on its own. Topic is what runs it: a
// page (Communication, Impact, Readiness), the panels (Panel) or the
// scoring job (Scoring); query is a lower-case name. A topic with one
// query is just <Topic>.sql (Options, Version). {db} stands for the
// database; @name placeholders are bound by the driver; any other {key}
// is filled from code (never from users) by queryText.
//
//go:embed sql/*.sql
var sqlFS embed.FS

// loadQueries reads every embedded query once, database filled in, keyed
// by its file name without .sql.
func loadQueries(db string) (map[string]string, error) {
	out := map[string]string{}
	err := fs.WalkDir(sqlFS, "sql", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := sqlFS.ReadFile(path)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(path, "sql/"), ".sql")
		out[name] = strings.ReplaceAll(string(b), "{db}", db)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("clickhouse: load sql: %w", err)
	}
	return out, nil
}

// queryText returns the named query with any other {key} replaced by its
// value from repl (pairs of key and value). TestQueryNames holds every
// name in the code to a file, so a missing one is a programming error.
func (s *Store) queryText(name string, repl ...string) string {
	text, ok := s.sql[name]
	if !ok {
		panic(fmt.Sprintf("clickhouse: no sql file %s.sql", name)) // a programming error
	}
	if len(repl) == 0 {
		return text
	}
	return strings.NewReplacer(repl...).Replace(text)
}

// query runs the named query with the named parameters.
func (s *Store) query(ctx context.Context, name string, params map[string]any) (driver.Rows, error) {
	args := make([]any, 0, len(params))
	for k, v := range params {
		args = append(args, chgo.Named(k, v))
	}
	rows, err := s.conn.Query(ctx, s.queryText(name), args...)
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
