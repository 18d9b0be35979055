package clickhouse_test

import (
	"context"
	"testing"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/schemas"
)

// TestRebuildRollup loses part of a rollup partition, then derives it
// again from the raw events, twice and while a consumer inserts into it:
// the rollups come back to the raw table's counts, and rebuilding what is
// whole adds nothing.
func TestRebuildRollup(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	db := s.Database()
	batch := func(token string, lo, hi int) *ingest.Batch {
		b := &ingest.Batch{Stream: schemas.StreamIntranet, Group: "g.intranet", Token: token}
		for i := lo; i < hi; i++ {
			b.Intranet = append(b.Intranet, event(i, schemas.FormatPerson(uint64(i%23+1))))
			b.Positions = append(b.Positions, ingest.Position{Partition: 0, Offset: int64(i)})
		}
		return b
	}
	if _, err := s.Insert(ctx, batch("a", 0, 600)); err != nil {
		t.Fatal(err)
	}
	total := func(table, column string) uint64 {
		t.Helper()
		var n uint64
		if err := s.Conn().QueryRow(ctx, "SELECT toUInt64(uniqExactMerge("+column+")) FROM "+db+"."+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var raw, cloud uint64
	check := func(when string) {
		t.Helper()
		if err := s.Conn().QueryRow(ctx, "SELECT uniqExact(event_id), uniqExactIf(event_id, kind = 'cloud_tool') FROM "+db+".intranet_events").Scan(&raw, &cloud); err != nil {
			t.Fatal(err)
		}
		if d, w, c := total("intranet_daily", "events"), total("intranet_weekly", "events"), total("intranet_weekly", "cloud"); d != raw || w != raw || c != cloud {
			t.Fatalf("%s: raw %d (cloud %d), daily %d, weekly %d (cloud %d)", when, raw, cloud, d, w, c)
		}
	}
	check("after the insert")
	// The events are of November 2025 (event()): lose most of the month.
	for _, table := range []string{"intranet_daily", "intranet_weekly"} {
		if err := s.Conn().Exec(ctx, "ALTER TABLE "+db+"."+table+" DELETE WHERE person % 3 != 0 SETTINGS mutations_sync = 1"); err != nil {
			t.Fatal(err)
		}
	}
	if d := total("intranet_daily", "events"); d >= 600 {
		t.Fatalf("the loss must show before the rebuild, daily still holds %d", d)
	}
	for round := 0; round < 2; round++ {
		done := make(chan error, 1)
		go func() {
			_, err := s.Insert(ctx, batch("more-"+string(rune('a'+round)), 600+round*100, 700+round*100))
			done <- err
		}()
		for _, p := range []string{"202510", "202511"} {
			for _, table := range []string{"intranet_daily", "intranet_weekly"} {
				if err := s.RebuildRollup(ctx, table, p); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		check("after a rebuild")
	}
	if n, err := s.BrokenParts(ctx); err != nil || n != 0 {
		t.Errorf("a healthy store has no broken parts, got %d (%v)", n, err)
	}
	if err := s.RebuildRollup(ctx, "intranet_events", "202511"); err == nil {
		t.Error("only a rollup can be rebuilt")
	}
}
