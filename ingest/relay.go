package ingest

import (
	"context"
	"fmt"

	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/schemas"
)

// Relay is the Sink of the consumers of the entities' own topics. Systems
// that write straight to Kafka log in with their entity's account, which
// may write only that entity's topics (bussola.<stream>.v1.<tenant>); the
// consumer of such a topic (ConsumerConfig.Entity) validates each record,
// sends those whose tenant is another entity's to the dead letters, and
// hands the rest to the Relay, which publishes them, as Bussola, to the
// stream's own topic. The stream's topic is thus written only by Bussola
// (the intake and the relays), and every record on it was checked to
// belong to the entity that wrote it; its consumer and the store stay as
// they are.
//
// A publish may be repeated after a crash between it and the commit of the
// entity topic's offsets. The copies carry the same event_id, which the
// evidence tables collapse, as for a record an intake client sends twice,
// and the rollups, which hold sets of event ids, count once.
type Relay struct {
	pub MessagePublisher
}

var _ Sink = (*Relay)(nil)

// NewRelay returns a Relay publishing through pub (acks=all).
func NewRelay(pub MessagePublisher) *Relay { return &Relay{pub: pub} }

// Insert publishes the batch's records to its stream's topic, keyed like
// the intake's (tenant/person), and returns once all were acknowledged.
func (r *Relay) Insert(ctx context.Context, b *Batch) (Inserted, error) {
	topic := b.Stream.Topic()
	msgs := make([]kafka.Message, 0, b.Len())
	add := func(rec any, env *schemas.Envelope) error {
		value, err := marshalRecord(rec)
		if err != nil {
			return fmt.Errorf("relay %s record: %w", b.Stream, err)
		}
		msgs = append(msgs, kafka.Message{Topic: topic, Key: []byte(env.Tenant + "/" + env.Person), Value: value})
		return nil
	}
	var err error
	for _, rec := range b.Diary {
		err = firstErr(err, add(rec, &rec.Envelope))
	}
	for _, rec := range b.Surveys {
		err = firstErr(err, add(rec, &rec.Envelope))
	}
	for _, rec := range b.Intranet {
		err = firstErr(err, add(rec, &rec.Envelope))
	}
	if err != nil {
		return Inserted{}, err
	}
	if len(msgs) == 0 {
		return Inserted{}, nil
	}
	return Inserted{}, r.pub.Publish(ctx, msgs...)
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
