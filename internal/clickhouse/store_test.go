package clickhouse_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/internal/testenv"
	"github.com/bussola-pa/bussola/schemas"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// mustOpen returns a store on a fresh database with the schema applied.
func mustOpen(tb testing.TB) *clickhouse.Store {
	tb.Helper()
	s := openOn(tb, testenv.ClickHouseDatabase(tb))
	if _, err := s.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return s
}

// openOn returns a store on database db, as another process would open
// it.
func openOn(tb testing.TB, db string) *clickhouse.Store {
	tb.Helper()
	srv := testenv.MustStartClickHouse(tb)
	s, err := clickhouse.Open(context.Background(), clickhouse.Config{URL: srv.ServiceURL() + "/", DDL: schemas.DDLOptions{Database: db, RetentionDays: 3650},
		ErasureSettle: 200 * time.Millisecond})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func event(i int, person string) *schemas.IntranetEvent {
	return &schemas.IntranetEvent{
		Envelope: schemas.Envelope{EventID: uuidOf(i), Tenant: "comune-aurelia", OrgUnit: "Tributi", Grade: "Istruttori",
			Cohort: "pilot-1", Person: person},
		TS: time.Date(2025, 11, 3+i%20, 9, 0, 0, 0, time.UTC), Kind: schemas.KindCloudTool, Section: "strumenti",
		Device: "laptop", Tool: "docs", Remote: i%2 == 0,
	}
}

func uuidOf(i int) string {
	const hex = "0123456789abcdef"
	b := []byte("00000000-0000-4000-8000-000000000000")
	for j, k := 35, i; k > 0 && j > 24; j, k = j-1, k/16 {
		b[j] = hex[k%16]
	}
	return string(b)
}

func TestMigrate(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	applied, err := s.Migrate(ctx)
	if err != nil {
		t.Fatalf("second migrate must be a no-op, got %v", err)
	}
	if len(applied) != 0 {
		t.Errorf("second migrate applied %v again", applied)
	}
	for _, table := range []string{"diary_entries", "survey_answers", "intranet_events", "intranet_daily", "dead_letters", "ingest_batches"} {
		if _, err := s.Count(ctx, table); err != nil {
			t.Errorf("table %s: %v", table, err)
		}
	}
}

func TestInsert(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	var recs []*schemas.IntranetEvent
	var pos []ingest.Position
	for i := 0; i < 1000; i++ {
		recs = append(recs, event(i, schemas.FormatPerson(uint64(i%37+1))))
		pos = append(pos, ingest.Position{Partition: 2, Offset: int64(100 + i)})
	}
	b := &ingest.Batch{Stream: schemas.StreamIntranet, Group: "g.intranet", Token: "tok-1", Intranet: recs, Positions: pos,
		Ranges: []ingest.Range{{Topic: "bussola.intranet.v1", Partition: 2, First: 100, Last: 1099, Messages: 1000}}}

	t.Run("OK the same batch inserted twice lands once, also in the rollup", func(t *testing.T) {
		for i, wantSkipped := range []int{0, 1000} {
			res, err := s.Insert(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			if skipped := res.AlreadyStored; skipped != wantSkipped {
				t.Errorf("insert %d: want %d records skipped as stored, got %d", i+1, wantSkipped, skipped)
			}
		}
		n, err := s.Count(ctx, "intranet_events")
		if err != nil || n != 1000 {
			t.Fatalf("want 1000 rows, got %d (%v)", n, err)
		}
		var events uint64
		if err := s.Conn().QueryRow(ctx, "SELECT toUInt64(uniqExactMerge(events)) FROM "+s.Database()+".intranet_daily").Scan(&events); err != nil || events != 1000 {
			t.Fatalf("rollup must count 1000 events once, got %d (%v)", events, err)
		}
	})
	t.Run("OK a batch stored in part is completed without duplicates", func(t *testing.T) {
		var part, all []*schemas.IntranetEvent
		var partPos, allPos []ingest.Position
		for i := 0; i < 400; i++ {
			e := event(5000+i, schemas.FormatPerson(uint64(i%11+1)))
			p := ingest.Position{Partition: 1, Offset: int64(i)}
			all, allPos = append(all, e), append(allPos, p)
			if i%2 == 0 {
				part, partPos = append(part, e), append(partPos, p)
			}
		}
		if _, err := s.Insert(ctx, &ingest.Batch{Stream: schemas.StreamIntranet, Token: "half", Intranet: part, Positions: partPos}); err != nil {
			t.Fatal(err)
		}
		res, err := s.Insert(ctx, &ingest.Batch{Stream: schemas.StreamIntranet, Token: "whole", Intranet: all, Positions: allPos})
		if skipped := res.AlreadyStored; err != nil || skipped != 200 {
			t.Fatalf("want the 200 stored records skipped, got %d (%v)", skipped, err)
		}
		n, err := s.Count(ctx, "intranet_events")
		if err != nil || n != 1400 {
			t.Fatalf("want 1400 rows, got %d (%v)", n, err)
		}
		var events uint64
		if err := s.Conn().QueryRow(ctx, "SELECT toUInt64(uniqExactMerge(events)) FROM "+s.Database()+".intranet_daily").Scan(&events); err != nil || events != 1400 {
			t.Fatalf("rollup must count 1400 events once, got %d (%v)", events, err)
		}
	})
	t.Run("OK a batch interleaving partitions, re-delivered in part by another consumer, lands once", func(t *testing.T) {
		// Messages of partitions 3, 4 and 5 interleave, as a consumer
		// reading several partitions receives them; the re-delivery is a
		// middle range of the first partition, after a rebalance.
		var recs, again []*schemas.IntranetEvent
		var pos, againPos []ingest.Position
		for i := 0; i < 300; i++ {
			e := event(9000+i, schemas.FormatPerson(uint64(i%13+1)))
			p := ingest.Position{Partition: int32(3 + i%3), Offset: int64(i / 3)}
			recs, pos = append(recs, e), append(pos, p)
			if p.Partition == 3 && p.Offset >= 40 && p.Offset < 60 {
				again, againPos = append(again, e), append(againPos, p)
			}
		}
		if _, err := s.Insert(ctx, &ingest.Batch{Stream: schemas.StreamIntranet, Token: "first-owner", Intranet: recs, Positions: pos}); err != nil {
			t.Fatal(err)
		}
		res, err := s.Insert(ctx, &ingest.Batch{Stream: schemas.StreamIntranet, Token: "next-owner", Intranet: again, Positions: againPos})
		if skipped := res.AlreadyStored; err != nil || skipped != 20 {
			t.Fatalf("want the 20 re-delivered records skipped as stored, got %d (%v)", skipped, err)
		}
		var n, spans, logged uint64
		if err := s.Conn().QueryRow(ctx, "SELECT count() FROM "+s.Database()+".intranet_events WHERE kafka_partition BETWEEN 3 AND 5").Scan(&n); err != nil || n != 300 {
			t.Fatalf("want 300 rows in partitions 3-5, got %d (%v)", n, err)
		}
		err = s.Conn().QueryRow(ctx, "SELECT count(), sum(rows) FROM "+s.Database()+".ingest_batches WHERE token = 'first-owner' AND last_offset - first_offset = 99").Scan(&spans, &logged)
		if err != nil || spans != 3 || logged != 300 {
			t.Fatalf("want three logged spans of offsets 0-99 holding 300 messages, got %d spans of %d (%v)", spans, logged, err)
		}
	})
	t.Run("OK present offsets are those with rows, per partition", func(t *testing.T) {
		p, err := s.Present(ctx, schemas.StreamIntranet, 2, 1090)
		if err != nil || len(p) != 10 || !p[1090] || !p[1099] || p[1100] {
			t.Fatalf("want offsets 1090..1099, got %v (%v)", p, err)
		}
		p, err = s.Present(ctx, schemas.StreamIntranet, 0, 0)
		if err != nil || len(p) != 0 {
			t.Fatalf("a partition never inserted has no offsets, got %v (%v)", p, err)
		}
	})
	t.Run("OK survey responses become one row per item", func(t *testing.T) {
		r := &schemas.SurveyResponse{Envelope: recs[0].Envelope, InstrumentID: "page-feedback", InstrumentVersion: 1, Wave: "2025-11",
			SubmittedAt: time.Date(2025, 11, 4, 10, 0, 0, 0, time.UTC), Context: "/notizie/a",
			Answers: map[string]float64{"stars": 4}, Choices: map[string]string{"reason": "chiara"}, Texts: map[string]string{"comment": "Utile"}}
		sb := &ingest.Batch{Stream: schemas.StreamSurvey, Group: "g.survey", Token: "tok-s", Surveys: []*schemas.SurveyResponse{r},
			Positions: []ingest.Position{{Partition: 0, Offset: 0}},
			Ranges:    []ingest.Range{{Topic: "bussola.survey.v1", Partition: 0, First: 0, Last: 0, Messages: 1}}}
		if _, err := s.Insert(ctx, sb); err != nil {
			t.Fatal(err)
		}
		var stars float64
		var choice, text string
		err := s.Conn().QueryRow(ctx, "SELECT sumIf(value, item='stars'), anyIf(choice, item='reason'), anyIf(text, item='comment') FROM "+
			s.Database()+".survey_answers").Scan(&stars, &choice, &text)
		if err != nil || stars != 4 || choice != "chiara" || text != "Utile" {
			t.Fatalf("got %v %q %q (%v)", stars, choice, text, err)
		}
	})
}

// TestInsertConcurrentOwners has two consumers (two stores, as two
// processes) insert overlapping batches at the same moment, as the old and
// the new owner of a partition may during a rebalance: nothing waits, so
// both may land the offsets they share, and every record still counts
// once in every table a page reads, however the two interleave.
func TestInsertConcurrentOwners(t *testing.T) {
	a := openOn(t, testenv.ClickHouseDatabase(t))
	if _, err := a.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := openOn(t, a.Database())
	ctx := context.Background()
	const rounds, size = 6, 200
	for round := 0; round < rounds; round++ {
		part := int32(10 + round)
		batch := func(token string, lo, hi int) *ingest.Batch {
			out := &ingest.Batch{Stream: schemas.StreamIntranet, Group: "g.intranet", Token: token}
			for i := lo; i < hi; i++ {
				out.Intranet = append(out.Intranet, event(round*1000+i, schemas.FormatPerson(uint64(i%17+1))))
				out.Positions = append(out.Positions, ingest.Position{Partition: part, Offset: int64(i)})
			}
			return out
		}
		// The old owner's batch covers 0-199, the new owner's 100-299.
		old, young := batch(fmt.Sprintf("old-%d", round), 0, size), batch(fmt.Sprintf("new-%d", round), size/2, size+size/2)
		start := make(chan struct{})
		errs := make(chan error, 2)
		for _, job := range []struct {
			s *clickhouse.Store
			b *ingest.Batch
		}{{a, old}, {b, young}} {
			go func() {
				<-start
				_, err := job.s.Insert(ctx, job.b)
				errs <- err
			}()
		}
		close(start)
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		var rows, distinct uint64
		if err := a.Conn().QueryRow(ctx, "SELECT count(), uniqExact(kafka_offset) FROM "+a.Database()+".intranet_events FINAL WHERE kafka_partition = ?", part).Scan(&rows, &distinct); err != nil {
			t.Fatal(err)
		}
		if rows != size+size/2 || distinct != rows {
			t.Fatalf("round %d: want %d rows (FINAL), one per offset, got %d rows over %d offsets", round, size+size/2, rows, distinct)
		}
	}
	var events uint64
	if err := a.Conn().QueryRow(ctx, "SELECT toUInt64(uniqExactMerge(events)) FROM "+a.Database()+".intranet_daily").Scan(&events); err != nil || events != rounds*(size+size/2) {
		t.Fatalf("daily rollup must count %d events once, got %d (%v)", rounds*(size+size/2), events, err)
	}
	if err := a.Conn().QueryRow(ctx, "SELECT toUInt64(uniqExactMerge(events)) FROM "+a.Database()+".intranet_weekly").Scan(&events); err != nil || events != rounds*(size+size/2) {
		t.Fatalf("weekly rollup must count %d events once, got %d (%v)", rounds*(size+size/2), events, err)
	}
}

// TestRetentionBoundary checks the day the intake's retention rule
// (ingest, RuleRetention) takes as the oldest one kept against the
// engine's TTL: a record of that day stays, one of the day before is gone.
func TestRetentionBoundary(t *testing.T) {
	srv := testenv.MustStartClickHouse(t)
	ctx := context.Background()
	s, err := clickhouse.Open(ctx, clickhouse.Config{URL: srv.ServiceURL() + "/", DDL: schemas.DDLOptions{Database: testenv.ClickHouseDatabase(t), RetentionDays: 30}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	kept, expired := event(1, schemas.FormatPerson(1)), event(2, schemas.FormatPerson(1))
	kept.TS = today.AddDate(0, 0, -29)                      // the oldest day ingest takes
	expired.TS = today.AddDate(0, 0, -29).Add(-time.Second) // the last second ingest refuses
	b := &ingest.Batch{Stream: schemas.StreamIntranet, Token: "ttl", Intranet: []*schemas.IntranetEvent{kept, expired},
		Positions: []ingest.Position{{Partition: 0, Offset: 0}, {Partition: 0, Offset: 1}}}
	if _, err := s.Insert(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.Conn().Exec(ctx, "OPTIMIZE TABLE "+s.Database()+".intranet_events FINAL"); err != nil {
		t.Fatal(err)
	}
	var ids []string
	rows, err := s.Conn().Query(ctx, "SELECT event_id FROM "+s.Database()+".intranet_events")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) != 1 || ids[0] != kept.EventID {
		t.Errorf("want only the event of the oldest day kept (%s), got %v", kept.EventID, ids)
	}
}
