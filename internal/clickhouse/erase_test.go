package clickhouse_test

import (
	"context"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/schemas"
)

func TestErase(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	gone, kept := schemas.FormatPerson(3), schemas.FormatPerson(4)
	var recs []*schemas.IntranetEvent
	var pos []ingest.Position
	for i := 0; i < 60; i++ { // 20 events of the erased person, 30 of another, 10 of the same pseudonym elsewhere
		e := event(i, []string{gone, kept}[i%2])
		if i%6 == 0 {
			e.Tenant = "comune-borgoverde" // the same pseudonym in another entity is another person
		}
		recs, pos = append(recs, e), append(pos, ingest.Position{Partition: 0, Offset: int64(i)})
	}
	batch := &ingest.Batch{Stream: schemas.StreamIntranet, Token: "before", Intranet: recs, Positions: pos}
	if _, err := s.Insert(ctx, batch); err != nil {
		t.Fatal(err)
	}
	dl := ingest.DeadLetterRow{DeadLetter: schemas.DeadLetter{Tenant: "comune-aurelia", Source: "bussola.intranet.v1", Reason: "kind: like is not allowed",
		Payload: `{"kind":"like","person":"` + gone + `"}`, At: time.Now().UTC()}, Partition: 0, Offset: 0}
	if _, err := s.Insert(ctx, &ingest.Batch{Stream: schemas.StreamDeadLetter, Token: "dl", DeadLetters: []ingest.DeadLetterRow{dl}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Conn().Exec(ctx, "INSERT INTO "+s.Database()+".readiness_persons (tenant, instrument_id, instrument_version, wave, person, scored_at) VALUES ('comune-aurelia', 'digital-readiness', 1, '2025-10', 3, now64(3))"); err != nil {
		t.Fatal(err)
	}
	count := func(table, cond string) uint64 {
		t.Helper()
		var n uint64
		if err := s.Conn().QueryRow(ctx, "SELECT count() FROM "+s.Database()+"."+table+" WHERE "+cond).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	rollup := func(person int) uint64 {
		t.Helper()
		var n uint64
		if err := s.Conn().QueryRow(ctx, "SELECT toUInt64(uniqExactMerge(events)) FROM "+s.Database()+".intranet_daily WHERE tenant = 'comune-aurelia' AND person = ?", uint64(person)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	keptBefore := count("intranet_events", "person = 4")

	res, err := s.Erase(ctx, "comune-aurelia", gone, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK every row of the person in that entity is deleted, and counted", func(t *testing.T) {
		if n := count("intranet_events", "tenant = 'comune-aurelia' AND person = 3"); n != 0 {
			t.Errorf("%d intranet events of the erased person remain", n)
		}
		if n := rollup(3); n != 0 {
			t.Errorf("the daily rollup still counts %d events of the erased person", n)
		}
		if n := count("readiness_persons", "person = 3"); n != 0 {
			t.Errorf("%d readiness rows of the erased person remain", n)
		}
		if n := count("dead_letters", "position(payload, '"+gone+"') > 0"); n != 0 {
			t.Errorf("%d dead letters naming the erased person remain", n)
		}
		if res.Deleted["intranet_events"] != 20 || res.Deleted["readiness_persons"] != 1 || res.Deleted["dead_letters"] != 1 || res.Deleted["intranet_daily"] == 0 {
			t.Errorf("deleted counts: %v", res.Deleted)
		}
	})
	t.Run("OK other people and the same pseudonym in another entity stay", func(t *testing.T) {
		if n := count("intranet_events", "person = 4"); n != keptBefore {
			t.Errorf("want %d rows of another person, got %d", keptBefore, n)
		}
		if n := count("intranet_events", "tenant = 'comune-borgoverde' AND person = 3"); n != 10 {
			t.Errorf("want the 10 rows of the other entity's person, got %d", n)
		}
		if rollup(4) == 0 {
			t.Error("the rollup lost another person's events")
		}
	})
	t.Run("OK records of the erased person read again from Kafka are dropped", func(t *testing.T) {
		again := &ingest.Batch{Stream: schemas.StreamIntranet, Token: "replay", Intranet: recs, Positions: pos}
		for i := range again.Positions {
			again.Positions[i].Partition = 1 // a replay into new positions: nothing counts as stored
		}
		res, err := s.Insert(ctx, again)
		if err != nil {
			t.Fatal(err)
		}
		if res.Erased != 20 || res.AlreadyStored != 0 {
			t.Errorf("want the 20 records of the erased person dropped, got %+v", res)
		}
		if n := count("intranet_events", "tenant = 'comune-aurelia' AND person = 3"); n != 0 {
			t.Errorf("the replay brought back %d rows of the erased person", n)
		}
		if n := count("intranet_events", "person = 4"); n != 2*keptBefore {
			t.Errorf("the replay must insert the other person's records: want %d rows, got %d", 2*keptBefore, n)
		}
	})
	t.Run("ErrInvalid for a malformed pseudonym", func(t *testing.T) {
		if _, err := s.Erase(ctx, "comune-aurelia", "EMP-1", "test"); err == nil || schemas.ErrorCode(err) != schemas.EINVALID {
			t.Errorf("want EINVALID, got %v", err)
		}
	})
}
