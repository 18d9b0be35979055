package clickhouse

import (
	"context"
	"fmt"
	"strings"

	"github.com/bussola-pa/bussola/schemas"
)

// Migrate applies every migration not applied yet, then brings the
// retention TTL of the evidence tables in line with the configuration. It
// is safe to run again: each statement is idempotent.
func (s *Store) Migrate(ctx context.Context) (applied []int, err error) {
	for _, stmt := range schemas.MigrationsTable(s.ddl) {
		if err := s.conn.Exec(ctx, stmt); err != nil {
			return nil, fmt.Errorf("migrate: create migrations table: %w", err)
		}
	}
	done := map[uint32]bool{}
	rows, err := s.conn.Query(ctx, "SELECT version FROM "+s.table("schema_migrations"))
	if err != nil {
		return nil, fmt.Errorf("migrate: read applied versions: %w", err)
	}
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, err
		}
		done[v] = true
	}
	rows.Close()
	ms, err := schemas.Migrations(s.ddl)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if done[uint32(m.Version)] {
			continue
		}
		for i, stmt := range m.Statements {
			if err := s.conn.Exec(ctx, stmt); err != nil {
				return applied, fmt.Errorf("migrate: migration %04d_%s statement %d: %w", m.Version, m.Name, i+1, err)
			}
		}
		if err := s.conn.Exec(ctx, "INSERT INTO "+s.table("schema_migrations")+" (version, name) VALUES (?, ?)", uint32(m.Version), m.Name); err != nil {
			return applied, fmt.Errorf("migrate: record migration %d: %w", m.Version, err)
		}
		applied = append(applied, m.Version)
	}
	return applied, s.applyRetention(ctx)
}

// applyRetention changes the TTL of the evidence tables when the configured
// retention differs from what the tables have.
func (s *Store) applyRetention(ctx context.Context) error {
	for table, col := range schemas.RetentionTables {
		var create string
		err := s.conn.QueryRow(ctx, "SELECT create_table_query FROM system.tables WHERE database = ? AND name = ?",
			s.db, storageName(s.ddl, table)).Scan(&create)
		if err != nil {
			return fmt.Errorf("migrate: read definition of %s: %w", table, err)
		}
		want := schemas.TTLClause(col, s.ddl.RetentionDays)
		has := strings.Contains(create, " TTL ")
		switch {
		case want == "" && has:
			err = s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s%s REMOVE TTL", schemas.StorageTable(s.ddl, table), onCluster(s.ddl)))
		case want != "" && !strings.Contains(create, fmt.Sprintf("toIntervalDay(%d)", s.ddl.RetentionDays)):
			err = s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s%s MODIFY %s", schemas.StorageTable(s.ddl, table), onCluster(s.ddl), want))
		}
		if err != nil {
			return fmt.Errorf("migrate: set retention of %s: %w", table, err)
		}
	}
	return nil
}

func storageName(opt schemas.DDLOptions, table string) string {
	full := schemas.StorageTable(opt, table)
	return full[strings.IndexByte(full, '.')+1:]
}

func onCluster(opt schemas.DDLOptions) string {
	if opt.Cluster == "" {
		return ""
	}
	return " ON CLUSTER " + opt.Cluster
}
