package clickhouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/schemas"
)

// rollupViews are the rollups and the materialized views that feed them
// from the raw intranet events.
var rollupViews = map[string]string{
	"intranet_daily":  "intranet_daily_mv",
	"intranet_weekly": "intranet_weekly_mv",
}

// RebuildRollup derives one partition of a rollup (its partition id, e.g.
// 202511) again from the raw events: it inserts the rows its view's own
// SELECT gives for that partition, read from the engine (so the view
// stays the one definition of the rollup). The rollups hold sets of event
// ids, so the rows the partition still has absorb the copies and the ones
// it lost (a part set aside as broken) come back; nothing is dropped
// first, so consumers inserting meanwhile lose nothing and count nothing
// twice.
func (s *Store) RebuildRollup(ctx context.Context, table, partition string) error {
	view, ok := rollupViews[table]
	if !ok {
		return fmt.Errorf("rebuild %s: not a rollup", table)
	}
	if _, err := strconv.ParseUint(partition, 10, 32); err != nil {
		return fmt.Errorf("rebuild %s: partition %q is not a partition id (YYYYMM)", table, partition)
	}
	var sel, key string
	if err := s.conn.QueryRow(ctx, "SELECT as_select FROM system.tables WHERE database = ? AND name = ?", s.db, storageName(s.ddl, view)).Scan(&sel); err != nil {
		return fmt.Errorf("rebuild %s: read the definition of %s: %w", table, view, err)
	}
	if err := s.conn.QueryRow(ctx, "SELECT partition_key FROM system.tables WHERE database = ? AND name = ?", s.db, storageName(s.ddl, table)).Scan(&key); err != nil {
		return fmt.Errorf("rebuild %s: read its partition key: %w", table, err)
	}
	cols, err := s.columnsOf(ctx, storageName(s.ddl, table))
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", table, err)
	}
	list := strings.Join(cols, ", ")
	q := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM (%s) WHERE toString(%s) = '%s'", schemas.StorageTable(s.ddl, table), list, list, sel, key, partition)
	if err := s.conn.Exec(ctx, q); err != nil {
		return fmt.Errorf("rebuild %s partition %s from the raw events: %w", table, partition, err)
	}
	return nil
}

// columnsOf lists a table's columns in order.
func (s *Store) columnsOf(ctx context.Context, table string) ([]string, error) {
	rows, err := s.conn.Query(ctx, "SELECT name FROM system.columns WHERE database = ? AND table = ? ORDER BY position", s.db, table)
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", table, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("table %s has no columns", table)
	}
	return out, rows.Err()
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
		if _, ok := rollupViews[table]; !ok {
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

// LostRaw is what the broken parts of one raw table took with them: the
// logged offset spans of its stream (ingest_batches) that no longer have
// all their rows, to read again from Kafka, and the parts themselves.
type LostRaw struct {
	Stream schemas.Stream
	Parts  []DetachedPart
	Ranges []ingest.Range
	// Rows is how many logged records the ranges miss.
	Rows int
}

// LostRawRanges finds, for every raw table with a broken detached part,
// the offset spans the span log holds whose stored offsets are fewer than
// the records the span logged. A part holds the rows of many inserts, so
// the spans are compared with what the table still has, not with the
// part. A span can also miss rows for a legitimate reason (an erased
// person's): reading it again is harmless, the sink skips those again.
func (s *Store) LostRawRanges(ctx context.Context) ([]LostRaw, error) {
	parts, err := s.DetachedBroken(ctx)
	if err != nil {
		return nil, err
	}
	var out []LostRaw
	for _, st := range append(append([]schemas.Stream(nil), schemas.Streams...), schemas.StreamDeadLetter) {
		var mine []DetachedPart
		for _, p := range parts {
			if strings.TrimSuffix(p.Table, "_local") == st.Table() {
				mine = append(mine, p)
			}
		}
		if len(mine) == 0 {
			continue
		}
		ranges, rows, err := s.missingSpans(ctx, st)
		if err != nil {
			return out, err
		}
		out = append(out, LostRaw{Stream: st, Parts: mine, Ranges: ranges, Rows: rows})
	}
	return out, nil
}

// missingSpans compares every logged span of the stream with the runs of
// consecutive offsets the table holds (one pass over the offset columns).
func (s *Store) missingSpans(ctx context.Context, st schemas.Stream) ([]ingest.Range, int, error) {
	pcol, ocol := "kafka_partition", "kafka_offset"
	if st == schemas.StreamDeadLetter {
		pcol, ocol = "dl_partition", "dl_offset"
	}
	type run struct{ first, last int64 }
	runs := map[int32][]run{}
	rows, err := s.conn.Query(ctx, fmt.Sprintf(`SELECT p, min(o), max(o) FROM (
    SELECT p, o, o - row_number() OVER (PARTITION BY p ORDER BY o) AS g
    FROM (SELECT DISTINCT %s AS p, %s AS o FROM %s))
GROUP BY p, g ORDER BY p, 2`, pcol, ocol, s.table(st.Table())))
	if err != nil {
		return nil, 0, fmt.Errorf("read the stored offsets of %s: %w", st, err)
	}
	for rows.Next() {
		var p int32
		var r run
		if err := rows.Scan(&p, &r.first, &r.last); err != nil {
			rows.Close()
			return nil, 0, err
		}
		runs[p] = append(runs[p], r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	spans, err := s.conn.Query(ctx, "SELECT partition, first_offset, last_offset, max(rows) FROM "+s.table("ingest_batches")+
		" WHERE topic = ? GROUP BY partition, first_offset, last_offset ORDER BY partition, first_offset", st.Topic())
	if err != nil {
		return nil, 0, fmt.Errorf("read the span log of %s: %w", st, err)
	}
	defer spans.Close()
	var out []ingest.Range
	missing := 0
	for spans.Next() {
		var p int32
		var first, last int64
		var logged uint32
		if err := spans.Scan(&p, &first, &last, &logged); err != nil {
			return nil, 0, err
		}
		var have int64
		for _, r := range runs[p] { // runs are few: a gap is an invalid record or a loss
			if lo, hi := max(r.first, first), min(r.last, last); lo <= hi {
				have += hi - lo + 1
			}
		}
		if have >= int64(logged) {
			continue
		}
		missing += int(int64(logged) - have)
		if n := len(out); n > 0 && out[n-1].Partition == int(p) && first <= out[n-1].Last+1 {
			out[n-1].Last = max(out[n-1].Last, last)
			continue
		}
		out = append(out, ingest.Range{Topic: st.Topic(), Partition: int(p), First: first, Last: last})
	}
	return out, missing, spans.Err()
}

// DropDetached removes detached parts whose content is back (read again
// from Kafka).
func (s *Store) DropDetached(ctx context.Context, parts []DetachedPart) error {
	for _, p := range parts {
		drop := fmt.Sprintf("ALTER TABLE %s.%s DROP DETACHED PART %s SETTINGS allow_drop_detached = 1", s.db, p.Table, quoteString(p.Name))
		if err := s.conn.Exec(ctx, drop); err != nil {
			return fmt.Errorf("remove part %s of %s: %w", p.Name, p.Table, err)
		}
	}
	return nil
}
