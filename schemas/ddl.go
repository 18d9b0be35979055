package schemas

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DDLOptions choose the form of the ClickHouse DDL.
type DDLOptions struct {
	// Database holds every table. Default "bussola".
	Database string
	// Cluster, when set, emits the cluster form: ON CLUSTER, Replicated*
	// engines on <table>_local tables and a Distributed <table> in front of
	// each, sharded by tenant and person. Empty means one server.
	Cluster string
	// RetentionDays is the TTL of evidence rows (diary, survey, intranet and
	// the rollups), counted from the day the record is about. 0 keeps rows
	// until they are erased.
	RetentionDays int
	// ReplicaPath is the ZooKeeper/Keeper path prefix of replicated tables.
	// Default "/clickhouse/tables/{shard}/{database}".
	ReplicaPath string
}

func (o DDLOptions) withDefaults() DDLOptions {
	if o.Database == "" {
		o.Database = "bussola"
	}
	if o.ReplicaPath == "" {
		o.ReplicaPath = "/clickhouse/tables/{shard}/{database}"
	}
	return o
}

// Validate checks the options, empty fields taking their defaults: the
// database and the cluster are lower-case identifiers (they are spliced
// into SQL), the retention is not negative. It is the one check of the
// database name: the migrations and the ClickHouse adapter call it.
func (o DDLOptions) Validate() error {
	o = o.withDefaults()
	if !isSlug(o.Database) {
		return Errorf(EINVALID, "database: %q must be a lower-case identifier", o.Database)
	}
	if o.Cluster != "" && !isSlug(o.Cluster) {
		return Errorf(EINVALID, "cluster: %q must be a lower-case identifier", o.Cluster)
	}
	if o.RetentionDays < 0 {
		return Errorf(EINVALID, "retention days: must be 0 (keep) or positive, got %d", o.RetentionDays)
	}
	return nil
}

// Migration is one versioned, idempotent step of the schema.
type Migration struct {
	Version    int
	Name       string
	Statements []string
}

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// Migrations renders every migration for the given options, in version
// order. Each statement is idempotent (IF NOT EXISTS; a backfill INSERT
// runs only while its target is empty), so applying a migration twice
// changes nothing.
func Migrations(opt DDLOptions) ([]Migration, error) {
	opt = opt.withDefaults()
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Migration
	for _, name := range names {
		m := migrationName.FindStringSubmatch(path.Base(name))
		if m == nil {
			return nil, fmt.Errorf("migration file %s: name must be NNNN_name.sql", name)
		}
		text, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		stmts, err := renderDDL(string(text), opt)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", name, err)
		}
		v, _ := strconv.Atoi(m[1])
		out = append(out, Migration{Version: v, Name: m[2], Statements: stmts})
	}
	return out, nil
}

// MigrationsTable is the DDL of the table that records applied migrations.
func MigrationsTable(opt DDLOptions) []string {
	opt = opt.withDefaults()
	stmts, _ := renderDDL(`CREATE DATABASE IF NOT EXISTS {{.Database}}{{onCluster}};
CREATE TABLE IF NOT EXISTS {{table "schema_migrations"}}{{onCluster}} (
    version    UInt32,
    name       String,
    applied_at DateTime DEFAULT now()
) ENGINE = {{engine "ReplacingMergeTree" "schema_migrations" ""}}
ORDER BY version;
{{distributed "schema_migrations" "version"}}`, opt)
	return stmts
}

// RetentionTables lists the tables and time columns that carry the evidence
// TTL, for changing the retention of an existing schema.
var RetentionTables = map[string]string{
	"diary_entries":   "date",
	"survey_answers":  "submitted_at",
	"intranet_events": "ts",
	"intranet_daily":  "day",
	"intranet_weekly": "week",
}

// TTLClause is the TTL expression for a time column at the given retention,
// or "" when rows are kept.
func TTLClause(column string, days int) string {
	if days <= 0 {
		return ""
	}
	return fmt.Sprintf("TTL toDate(%s) + toIntervalDay(%d)", column, days)
}

// StorageTable is the name of the table that stores rows: the table itself
// on one server, <table>_local in the cluster form.
func StorageTable(opt DDLOptions, name string) string {
	opt = opt.withDefaults()
	if opt.Cluster != "" {
		return opt.Database + "." + name + "_local"
	}
	return opt.Database + "." + name
}

func renderDDL(text string, opt DDLOptions) ([]string, error) {
	funcs := template.FuncMap{
		"table": func(name string) string { return StorageTable(opt, name) },
		"onCluster": func() string {
			if opt.Cluster == "" {
				return ""
			}
			return " ON CLUSTER " + opt.Cluster
		},
		"engine": func(kind, name, arg string) string {
			if opt.Cluster == "" {
				return kind + "(" + arg + ")"
			}
			args := fmt.Sprintf("'%s/%s', '{replica}'", opt.ReplicaPath, name)
			if arg != "" {
				args += ", " + arg
			}
			return "Replicated" + kind + "(" + args + ")"
		},
		"ttl": func(column string) string { return TTLClause(column, opt.RetentionDays) },
		"distributed": func(name, key string) string {
			if opt.Cluster == "" {
				return ""
			}
			return fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.%s ON CLUSTER %s AS %s\nENGINE = Distributed(%s, %s, %s_local, %s);",
				opt.Database, name, opt.Cluster, StorageTable(opt, name), opt.Cluster, opt.Database, name, key)
		},
	}
	t, err := template.New("ddl").Funcs(funcs).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, opt); err != nil {
		return nil, err
	}
	return splitStatements(buf.String()), nil
}

// splitStatements splits on semicolons that end a line and drops comments
// and blank statements. The DDL never has a semicolon inside a string.
func splitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		s := strings.TrimSpace(cur.String())
		if s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	for _, line := range strings.Split(sql, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") || trimmed == "" {
			continue
		}
		if strings.HasSuffix(trimmed, ";") {
			cur.WriteString(strings.TrimSuffix(trimmed, ";"))
			flush()
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
	}
	flush()
	return out
}
