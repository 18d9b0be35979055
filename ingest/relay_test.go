package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/schemas"
)

// capturePublisher keeps what it is asked to publish.
type capturePublisher struct {
	mu   sync.Mutex
	msgs []kafka.Message
}

func (p *capturePublisher) Publish(_ context.Context, msgs ...kafka.Message) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.msgs = append(p.msgs, msgs...)
	return nil
}

func (p *capturePublisher) taken() []kafka.Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]kafka.Message(nil), p.msgs...)
}

func intranetLine(i int, tenant string) []byte {
	return fmt.Appendf(nil, `{"event_id":"00000000-0000-4000-8000-%012d","tenant":"%s","org_unit":"Tributi","grade":"C","cohort":"comparison","person":"0123456789abcdef","ts":"%s","kind":"page_view","section":"notizie","device":"desktop"}`,
		i, tenant, time.Now().UTC().Add(-time.Hour).Format(time.RFC3339))
}

// TestEntityTopicRefusesOtherEntitiesRecords has comune-a's own account
// write, on comune-a's topic, records of comune-a and one claiming to be
// comune-b's: only comune-a's reach the stream's topic (through the
// Relay); the other goes to the dead letters, as comune-a's, with the
// tenant field and the rule named.
func TestEntityTopicRefusesOtherEntitiesRecords(t *testing.T) {
	s := schemas.StreamIntranet
	own := s.EntityTopic("comune-a")
	broker, auth := mustStartBroker(t, []string{own, s.Topic(), s.EntityTopic("comune-b")},
		map[string][]string{"comune-a": {own}, "comune-b": {s.EntityTopic("comune-b")}})
	entity := loginAs(t, broker, broker.Credentials().Entities["comune-a"])
	w := &kafka.Writer{Addr: kafka.TCP(broker.Addr()), RequiredAcks: kafka.RequireAll, Transport: entity.Transport()}
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	msgs := []kafka.Message{
		{Topic: own, Value: intranetLine(1, "comune-a")},
		{Topic: own, Value: intranetLine(2, "comune-b")},
		{Topic: own, Value: intranetLine(3, "comune-a")},
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}

	relayed, dead := &capturePublisher{}, &capturePublisher{}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := NewConsumer(ConsumerConfig{Brokers: []string{broker.Addr()}, Auth: auth, Group: "relay", Stream: s, Entity: "comune-a",
		MaxRows: 10, MaxWait: 100 * time.Millisecond, Logger: log}, NewRelay(relayed), dead)
	runCtx, stop := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() { ran <- c.Run(runCtx) }()
	for len(relayed.taken())+len(dead.taken()) < 3 && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}

	got := relayed.taken()
	if len(got) != 2 {
		t.Fatalf("want comune-a's 2 records relayed, got %d", len(got))
	}
	for _, m := range got {
		var env schemas.Envelope
		if err := json.Unmarshal(m.Value, &env); err != nil {
			t.Fatal(err)
		}
		if m.Topic != s.Topic() || env.Tenant != "comune-a" {
			t.Errorf("relayed to %s a record of %s; want only comune-a's, on %s", m.Topic, env.Tenant, s.Topic())
		}
	}
	dls := dead.taken()
	if len(dls) != 1 {
		t.Fatalf("want the record claiming comune-b in the dead letters, got %d dead letters", len(dls))
	}
	var dl schemas.DeadLetter
	if err := json.Unmarshal(dls[0].Value, &dl); err != nil {
		t.Fatal(err)
	}
	if dl.Tenant != "comune-a" || dl.Source != own || len(dl.Errors) != 1 || dl.Errors[0].Field != "tenant" || dl.Errors[0].Rule != schemas.RuleForbidden {
		t.Errorf("dead letter: want tenant comune-a, source %s, a tenant/forbidden error; got %+v", own, dl)
	}
}
