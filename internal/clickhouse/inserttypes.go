package clickhouse

import (
	"context"
	"fmt"
	"strings"

	chgo "github.com/ClickHouse/clickhouse-go/v2"
)

// insertTypes returns the types an HTTP insert into table declares for
// its columns: the table's own, with LowCardinality unwrapped. The server
// builds the dictionaries while it reads the block (the Native format
// converts String to LowCardinality(String) on input), which is several
// times cheaper than the driver building them row by row in Go. The
// table's types are read once per table and store; a schema change
// reaches a running consumer at its next start, as migrations do.
func (s *Store) insertTypes(ctx context.Context, table string, names []string) ([]chgo.ColumnNameAndType, error) {
	types, ok := s.types.Load(table)
	if !ok {
		t, err := s.describe(ctx, table)
		if err != nil {
			return nil, err
		}
		types, _ = s.types.LoadOrStore(table, t)
	}
	byName := types.(map[string]string)
	out := make([]chgo.ColumnNameAndType, len(names))
	for i, n := range names {
		t, ok := byName[n]
		if !ok {
			s.types.Delete(table) // perhaps migrated since; read again next time
			return nil, fmt.Errorf("insert %s: column %s is not in the table", table, n)
		}
		out[i] = chgo.ColumnNameAndType{Name: n, Type: t}
	}
	return out, nil
}

func (s *Store) describe(ctx context.Context, table string) (map[string]string, error) {
	rows, err := s.conn.Query(ctx, "SELECT name, type FROM system.columns WHERE database = ? AND table = ? AND default_kind NOT IN ('MATERIALIZED', 'ALIAS')", s.db, table)
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", table, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, err
		}
		out[name] = withoutLowCardinality(typ)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read the columns of %s: no such table in database %s", table, s.db)
	}
	return out, nil
}

// withoutLowCardinality removes every LowCardinality(...) wrapper from a
// ClickHouse type: LowCardinality(Nullable(String)) is Nullable(String),
// Array(LowCardinality(String)) is Array(String).
func withoutLowCardinality(t string) string {
	const wrap = "LowCardinality("
	for {
		i := strings.Index(t, wrap)
		if i < 0 {
			return t
		}
		depth, end := 1, -1
		for j := i + len(wrap); j < len(t) && end < 0; j++ {
			switch t[j] {
			case '(':
				depth++
			case ')':
				if depth--; depth == 0 {
					end = j
				}
			}
		}
		if end < 0 {
			return t // unbalanced: leave it to the server to reject
		}
		t = t[:i] + t[i+len(wrap):end] + t[end+1:]
	}
}
