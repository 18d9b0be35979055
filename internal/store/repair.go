package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// rollupSources says how each rollup is derived from the raw intranet
// events: its columns and the SELECT of their values, and which raw days
// fall into one of its monthly partitions.
var rollupSources = map[string]struct{ columns, selectFrom, days string }{
	"intranet_daily": {
		columns: "tenant, day, kind, cohort, org_unit, grade, person, tool, remote, referent, events",
		selectFrom: `SELECT tenant, toDate(ts) AS day, kind, cohort, org_unit, grade, person, tool, remote, referent,
       uniqExactState(event_id) AS events
FROM %s
WHERE toDate(ts) >= toDate(@first) AND toDate(ts) < addMonths(toDate(@first), 1)
GROUP BY tenant, day, kind, cohort, org_unit, grade, person, tool, remote, referent`,
	},
	"intranet_weekly": {
		columns: "tenant, week, cohort, org_unit, grade, person, events, cloud",
		// A week's partition is its Monday's month: its last days may be
		// in the next month.
		selectFrom: `SELECT tenant, toMonday(toDate(ts)) AS week, cohort, org_unit, grade, person,
       uniqExactState(event_id) AS events, uniqExactStateIf(event_id, kind = 'cloud_tool') AS cloud
FROM %s
WHERE toDate(ts) >= toDate(@first) AND toDate(ts) < addMonths(toDate(@first), 1) + 7
  AND toStartOfMonth(toMonday(toDate(ts))) = toDate(@first)
GROUP BY tenant, week, cohort, org_unit, grade, person`,
	},
}

// RebuildRollup derives a monthly partition of a rollup (partition id
// YYYYMM) again from the raw events: it inserts the partition's states
// computed from intranet_events. The rollups hold sets of event ids, so
// the rows the partition still has absorb the copies and the ones it lost
// (a part set aside as broken) come back; nothing is dropped first, so
// consumers inserting meanwhile lose nothing and count nothing twice.
func (s *Store) RebuildRollup(ctx context.Context, table, partition string) error {
	src, ok := rollupSources[table]
	if !ok {
		return fmt.Errorf("rebuild %s: not a rollup", table)
	}
	month, err := time.Parse("200601", partition)
	if err != nil {
		return fmt.Errorf("rebuild %s: partition %q is not a month (YYYYMM)", table, partition)
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) "+src.selectFrom, s.table(table), src.columns, s.table("intranet_events"))
	q = strings.ReplaceAll(q, "@first", "'"+month.Format(time.DateOnly)+"'")
	if err := s.conn.Exec(ctx, q); err != nil {
		return fmt.Errorf("rebuild %s partition %s from intranet_events: %w", table, partition, err)
	}
	return nil
}

// DetachedPart is a data part the engine set aside: on start because it
// was broken (a part written on a full disk, say), or for another reason.
type DetachedPart struct {
	Table, Partition, Name, Reason string
}

// brokenReasons are the detached parts' reasons that mean lost data (not
// a part an operator detached on purpose).
const brokenReasons = "('broken', 'broken-on-start', 'unexpected', 'covered-by-broken', 'noquorum')"

// DetachedBroken lists the parts of Bussola's tables the engine detached
// as broken.
func (s *Store) DetachedBroken(ctx context.Context) ([]DetachedPart, error) {
	rows, err := s.conn.Query(ctx, "SELECT table, ifNull(partition_id, ''), name, ifNull(reason, '') FROM system.detached_parts WHERE database = ? AND ifNull(reason, '') IN "+brokenReasons+" ORDER BY table, name", s.db)
	if err != nil {
		return nil, fmt.Errorf("read detached parts: %w", err)
	}
	defer rows.Close()
	var out []DetachedPart
	for rows.Next() {
		var p DetachedPart
		if err := rows.Scan(&p.Table, &p.Partition, &p.Name, &p.Reason); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// BrokenParts is the number of broken parts the engine detached from
// Bussola's tables and that RepairRollups has not healed: rollup parts
// are healed from the raw rows, a broken part of a raw table needs an
// operator (its records may be read again from Kafka). For /readyz.
func (s *Store) BrokenParts(ctx context.Context) (int, error) {
	parts, err := s.DetachedBroken(ctx)
	return len(parts), err
}

// RepairRollups heals the rollups after the engine set aside broken parts
// of them (on start after a full disk): every partition that lost a part
// is derived again from the raw rows (RebuildRollup), and the broken part,
// whose content is then back, is removed. It returns what it healed; the
// broken parts of raw tables are left for BrokenParts to report.
func (s *Store) RepairRollups(ctx context.Context) ([]DetachedPart, error) {
	parts, err := s.DetachedBroken(ctx)
	if err != nil {
		return nil, err
	}
	var healed []DetachedPart
	done := map[string]bool{}
	for _, p := range parts {
		table := strings.TrimSuffix(p.Table, "_local")
		if _, ok := rollupSources[table]; !ok {
			continue
		}
		partition := p.Partition
		if partition == "" {
			partition = partitionOfPart(p.Name)
		}
		if partition == "" {
			continue
		}
		if key := table + "/" + partition; !done[key] {
			if err := s.RebuildRollup(ctx, table, partition); err != nil {
				return healed, err
			}
			done[key] = true
		}
		drop := fmt.Sprintf("ALTER TABLE %s.%s DROP DETACHED PART %s SETTINGS allow_drop_detached = 1", s.db, p.Table, quoteString(p.Name))
		if err := s.conn.Exec(ctx, drop); err != nil {
			return healed, fmt.Errorf("remove healed part %s of %s: %w", p.Name, p.Table, err)
		}
		healed = append(healed, p)
	}
	return healed, nil
}

// partitionOfPart reads the partition id from a detached part's name:
// <reason>_<partition>_<min>_<max>_<level>[_<mutation>], the reason
// prefix included when the engine added one.
func partitionOfPart(name string) string {
	for _, f := range strings.Split(name, "_") {
		if len(f) == 6 {
			if _, err := strconv.Atoi(f); err == nil {
				return f
			}
		}
	}
	return ""
}

func quoteString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
