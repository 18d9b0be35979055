package ingest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/internal/kafkaembed"
	"github.com/bussola-pa/bussola/internal/testenv"
	"github.com/bussola-pa/bussola/schemas"
)

// gatedSink holds the insert of the batch starting at offset 0 until
// released, and records the batches inserted.
type gatedSink struct {
	release  chan struct{}
	mu       sync.Mutex
	inserted []Range
	done     chan struct{} // closed once the batch starting at offset 10 is in
}

func (s *gatedSink) Insert(ctx context.Context, b *Batch) (Inserted, error) {
	first := b.Ranges[0].First
	if first == 0 {
		select {
		case <-s.release:
		case <-ctx.Done():
			return Inserted{}, ctx.Err()
		}
	}
	s.mu.Lock()
	s.inserted = append(s.inserted, b.Ranges...)
	s.mu.Unlock()
	if first == 10 {
		close(s.done)
	}
	return Inserted{}, nil
}

// mustStartBroker starts an embedded broker in memory with topics and the
// entities' accounts, and returns it with the service account's login.
func mustStartBroker(tb testing.TB, topics []string, entities map[string][]string) (*kafkaembed.Broker, KafkaAuth) {
	tb.Helper()
	b := testenv.MustStartKafka(tb, kafkaembed.Config{Topics: topics, Partitions: 1, Entities: entities})
	return b, loginAs(tb, b, b.Credentials().Service)
}

// loginAs is the login of account a on b.
func loginAs(tb testing.TB, b *kafkaembed.Broker, a kafkaembed.Account) KafkaAuth {
	tb.Helper()
	mech, err := SCRAM(b.Credentials().Mechanism, a.User, a.Password)
	if err != nil {
		tb.Fatal(err)
	}
	return KafkaAuth{SASL: mech}
}

type discardPublisher struct{}

func (discardPublisher) Publish(context.Context, ...kafka.Message) error { return nil }

// TestConsumerCommitsInOrder has the second batch's insert finish while
// the first one's is still running, and checks that no offset is committed
// until the first one finished: a crash then re-reads both batches, and
// nothing the first held is skipped.
func TestConsumerCommitsInOrder(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	topic := schemas.StreamIntranet.Topic()
	broker, auth := mustStartBroker(t, []string{topic}, nil)
	brokers := []string{broker.Addr()}
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), RequiredAcks: kafka.RequireAll, Transport: auth.Transport()}
	defer w.Close()
	var msgs []kafka.Message
	for i := 0; i < 30; i++ {
		msgs = append(msgs, kafka.Message{Topic: topic, Value: fmt.Appendf(nil,
			`{"event_id":"00000000-0000-4000-8000-%012d","tenant":"comune-aurelia","org_unit":"Tributi","grade":"C","cohort":"comparison","person":"0123456789abcdef","ts":"2025-11-03T09:00:00Z","kind":"page_view","section":"notizie","device":"desktop"}`, i)})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}

	sink := &gatedSink{release: make(chan struct{}), done: make(chan struct{})}
	c := NewConsumer(ConsumerConfig{Brokers: brokers, Auth: auth, Group: "order", Stream: schemas.StreamIntranet, MaxRows: 10,
		MaxWait: 100 * time.Millisecond, Inserters: 2, Logger: log}, sink, discardPublisher{})
	runCtx, stop := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() { ran <- c.Run(runCtx) }()

	committed := func() int64 {
		t.Helper()
		cl := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: auth.Transport()}
		resp, err := cl.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: "order.intranet", Topics: map[string][]int{topic: {0}}})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Topics[topic][0].CommittedOffset
	}
	select {
	case <-sink.done:
	case <-ctx.Done():
		t.Fatal("the second batch was never inserted while the first was held")
	}
	time.Sleep(300 * time.Millisecond) // a wrong commit would be sent now
	if off := committed(); off > 0 {
		t.Fatalf("offset %d committed while the first batch was still inserting", off)
	}
	close(sink.release)
	deadline := time.Now().Add(30 * time.Second)
	for committed() != 30 {
		if time.Now().After(deadline) {
			t.Fatalf("want offset 30 committed once every batch is in, got %d", committed())
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	n := 0
	for _, r := range sink.inserted {
		n += r.Messages
	}
	if n != 30 {
		t.Errorf("want the 30 messages inserted once, got %d (%+v)", n, sink.inserted)
	}
}
