package chembed

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The engine's own access control does most of the locking down. chDB runs
// every connection as one ClickHouse user, "default", whatever --user says
// (measured on libchdb 26.5), but it does load that user's grants from a
// users file named by the configuration file given with --config-file. The
// user defined here has no grant on FILE, URL, S3, REMOTE, HDFS, AZURE,
// MYSQL, POSTGRES, SQLITE, MONGO, REDIS, JDBC, ODBC and the rest (so the
// table functions file(), url(), s3(), remote() ... and the Filesystem
// database answer ACCESS_DENIED), may create tables with the MergeTree
// family only (no File, URL or Executable engines), and has no SYSTEM,
// BACKUP, dictionary, function, user or grant rights. System tables are
// readable only where listed. Read-only connections add readonly = 2 on
// top (see engine.go), which cannot be lifted from SQL.

// engineGrants are the grants of the engine's only user.
var engineGrants = []string{
	"GRANT SELECT, INSERT, ALTER, CREATE DATABASE, CREATE TABLE, CREATE VIEW, DROP DATABASE, DROP TABLE, DROP VIEW, TRUNCATE, OPTIMIZE, SHOW DATABASES, SHOW TABLES, SHOW COLUMNS ON *.*",
	"REVOKE SELECT ON system.*",
	"GRANT TABLE ENGINE ON MergeTree",
	"GRANT TABLE ENGINE ON ReplacingMergeTree",
	"GRANT TABLE ENGINE ON SummingMergeTree",
	"GRANT TABLE ENGINE ON AggregatingMergeTree",
	"GRANT TABLE ENGINE ON CollapsingMergeTree",
	"GRANT TABLE ENGINE ON VersionedCollapsingMergeTree",
	"GRANT TABLE ENGINE ON Memory",
	"GRANT TABLE ENGINE ON Null",
}

// readableSystemTables are the system tables the endpoint's accounts may
// read: what the service and clickhouse-go need (parts, columns, tables,
// merges, mutations) and what dashboards list (databases, functions ...).
var readableSystemTables = []string{
	"one", "numbers", "numbers_mt", "zeros", "zeros_mt", "databases", "tables",
	"columns", "parts", "parts_columns", "merges", "mutations", "functions",
	"table_functions", "formats", "data_type_families", "table_engines",
	"settings", "time_zones", "build_options", "collations",
}

// engineConfigDir is where the engine's configuration lives, inside the
// data directory.
const engineConfigDir = "bussola-engine"

// writeEngineConfig writes the configuration and users files into the data
// directory (private to the service's user) and returns the extra chDB
// arguments that load them. user_scripts_path points at an empty directory
// of its own, so executable() has no script to run even if the guard were
// bypassed.
func writeEngineConfig(dataDir string) ([]string, error) {
	dir := filepath.Join(dataDir, engineConfigDir)
	scripts := filepath.Join(dir, "no-user-scripts")
	if err := os.MkdirAll(scripts, 0o700); err != nil {
		return nil, fmt.Errorf("write engine configuration: %w", err)
	}
	users := filepath.Join(dir, "users.xml")
	config := filepath.Join(dir, "config.xml")
	var b strings.Builder
	b.WriteString("<clickhouse>\n  <profiles><default/></profiles>\n  <quotas><default/></quotas>\n  <users>\n    <default>\n")
	b.WriteString("      <password></password>\n      <profile>default</profile>\n      <quota>default</quota>\n      <grants>\n")
	for _, g := range engineGrants {
		fmt.Fprintf(&b, "        <query>%s</query>\n", g)
	}
	for _, t := range readableSystemTables {
		fmt.Fprintf(&b, "        <query>GRANT SELECT ON system.%s</query>\n", t)
	}
	b.WriteString("      </grants>\n    </default>\n  </users>\n</clickhouse>\n")
	if err := writePrivate(users, b.String()); err != nil {
		return nil, err
	}
	cfg := fmt.Sprintf("<clickhouse>\n  <users_config>%s</users_config>\n  <user_scripts_path>%s/</user_scripts_path>\n</clickhouse>\n",
		xmlText(users), xmlText(scripts))
	if err := writePrivate(config, cfg); err != nil {
		return nil, err
	}
	return []string{"--config-file=" + config}, nil
}

func writePrivate(path, content string) error {
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return fmt.Errorf("write engine configuration: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("write engine configuration: %w", err)
	}
	return nil
}

func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
