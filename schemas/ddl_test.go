package schemas

import (
	"strings"
	"testing"
)

func TestMigrations(t *testing.T) {
	t.Run("OK single server form is idempotent and deduplicating", func(t *testing.T) {
		ms, err := Migrations(DDLOptions{RetentionDays: 730})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) < 4 || ms[0].Version != 1 || ms[1].Version != 2 || ms[2].Version != 3 || ms[3].Version != 4 {
			t.Fatalf("want migrations 1 to 4 in order, got %+v", ms)
		}
		all := joinAll(ms)
		for _, want := range []string{
			"CREATE TABLE IF NOT EXISTS bussola.diary_entries (",
			"ENGINE = ReplacingMergeTree(ingested_at)",
			"PARTITION BY toYYYYMM(ts)",
			"ORDER BY (tenant, kind, ts, person, event_id)",
			"TTL toDate(date) + toIntervalDay(730)",
			"CREATE MATERIALIZED VIEW IF NOT EXISTS bussola.intranet_daily_mv",
			"ENGINE = AggregatingMergeTree()",
			"events   AggregateFunction(uniqExact, UUID)",
			"uniqExactStateIf(event_id, kind = 'cloud_tool') AS cloud",
			"TTL toDate(week) + toIntervalDay(730)",
			"CREATE MATERIALIZED VIEW IF NOT EXISTS bussola.intranet_weekly_mv",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("single-server DDL lacks %q", want)
			}
		}
		for _, m := range ms {
			for _, s := range m.Statements {
				if !isIdempotent(s) {
					t.Errorf("migration %d statement is not idempotent: %.80s", m.Version, s)
				}
				if strings.Contains(s, "ON CLUSTER") || strings.Contains(s, "Replicated") || strings.Contains(s, "Distributed") {
					t.Errorf("single-server statement has cluster syntax: %.80s", s)
				}
			}
		}
	})
	t.Run("OK cluster form uses replicated local tables behind distributed ones", func(t *testing.T) {
		ms, err := Migrations(DDLOptions{Cluster: "pa_cluster", Database: "bussola"})
		if err != nil {
			t.Fatal(err)
		}
		all := joinAll(ms)
		for _, want := range []string{
			"CREATE TABLE IF NOT EXISTS bussola.intranet_events_local ON CLUSTER pa_cluster (",
			"ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/intranet_events', '{replica}', ingested_at)",
			"ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/intranet_daily_v2', '{replica}')",
			"DROP TABLE IF EXISTS bussola.intranet_daily ON CLUSTER pa_cluster",
			"DROP TABLE IF EXISTS bussola.intranet_daily_local ON CLUSTER pa_cluster",
			"CREATE TABLE IF NOT EXISTS bussola.intranet_events ON CLUSTER pa_cluster AS bussola.intranet_events_local\nENGINE = Distributed(pa_cluster, bussola, intranet_events_local, cityHash64(tenant, person))",
			"TO bussola.intranet_daily_local AS",
			"FROM bussola.intranet_events_local",
			"ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/intranet_weekly_v2', '{replica}')",
			"TO bussola.intranet_weekly_local AS",
			// The backfill goes through the Distributed tables, so it reads
			// every shard and writes each row to its tenant and person's shard.
			"INSERT INTO bussola.intranet_weekly (",
			"FROM bussola.intranet_events\nWHERE (SELECT count() FROM bussola.intranet_weekly) = 0",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("cluster DDL lacks %q", want)
			}
		}
		if strings.Contains(all, "TTL toDate(date)") {
			t.Error("retention 0 must emit no evidence TTL")
		}
	})
	t.Run("ErrInvalid names the bad option", func(t *testing.T) {
		for _, opt := range []DDLOptions{{Database: "Bad Name"}, {Cluster: "x;DROP"}, {RetentionDays: -1}} {
			_, err := Migrations(opt)
			if err == nil || ErrorCode(err) != EINVALID {
				t.Errorf("%+v: want EINVALID, got %v", opt, err)
			}
		}
	})
}

func TestSplitStatements(t *testing.T) {
	got := splitStatements("-- comment\nCREATE A (\n x\n);\n\nCREATE B;\n")
	if len(got) != 2 || got[0] != "CREATE A (\n x\n)" || got[1] != "CREATE B" {
		t.Fatalf("got %q", got)
	}
}

// isIdempotent says whether running s twice leaves what running it once
// did: IF [NOT] EXISTS, a guarded backfill, a setting, or an insert of
// uniqExact states (a set union: the same rows again add nothing).
func isIdempotent(s string) bool {
	return strings.Contains(s, "IF NOT EXISTS") || strings.Contains(s, "IF EXISTS") || isGuardedBackfill(s) ||
		(strings.HasPrefix(s, "ALTER TABLE ") && strings.Contains(s, " MODIFY SETTING ")) ||
		(strings.HasPrefix(s, "INSERT INTO ") && strings.Contains(s, "uniqExactState(event_id)") && !strings.Contains(s, "count()"))
}

// isGuardedBackfill says whether s is an INSERT ... SELECT that copies rows
// only while its target table is empty, so running it twice adds nothing.
func isGuardedBackfill(s string) bool {
	target, _, ok := strings.Cut(strings.TrimPrefix(s, "INSERT INTO "), " ")
	return ok && strings.HasPrefix(s, "INSERT INTO ") && strings.Contains(s, "WHERE (SELECT count() FROM "+target+") = 0")
}

func joinAll(ms []Migration) string {
	var b strings.Builder
	for _, m := range ms {
		for _, s := range m.Statements {
			b.WriteString(s)
			b.WriteString(";\n")
		}
	}
	return b.String()
}
