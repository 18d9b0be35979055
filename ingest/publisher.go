package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/schemas"
)

// KafkaConfig says how to reach Kafka.
type KafkaConfig struct {
	Brokers []string
	// Partitions of each topic created by EnsureTopics. Consumers of one
	// group scale out to at most this many instances per stream.
	Partitions int
	// ReplicationFactor of created topics (1 for the embedded broker).
	ReplicationFactor int
	// Entities get their own topic per stream, created by EnsureTopics
	// (schemas.Stream.EntityTopic), for systems that write straight to
	// Kafka; see Relay.
	Entities []string
	// Auth is how Bussola logs in.
	Auth KafkaAuth
}

// Publisher writes messages to Kafka. Publish returns only once every
// message was acknowledged by all in-sync replicas (acks=all).
type Publisher struct {
	w *kafka.Writer
}

// NewPublisher returns a Publisher for the given brokers.
func NewPublisher(cfg KafkaConfig) *Publisher {
	return &Publisher{w: &kafka.Writer{
		Addr:         kafka.TCP(cfg.Brokers...),
		Transport:    cfg.Auth.Transport(),
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll,
		BatchSize:    5000,
		// Kafka's default message.max.bytes is 1 MiB per record batch; a
		// larger batch is refused as a whole.
		BatchBytes:   1_000_000,
		BatchTimeout: 2 * time.Millisecond,
		MaxAttempts:  3,
		WriteTimeout: 10 * time.Second,
		ReadTimeout:  10 * time.Second,
	}}
}

// Publish writes msgs (each with its Topic set) and waits for acks=all.
// When Kafka acknowledges only some of them, it writes again just the
// others until ctx ends. When some stay unacknowledged it returns a
// *PublishError naming them, so that the intake can tell its client which
// lines were taken and which were not.
func (p *Publisher) Publish(ctx context.Context, msgs ...kafka.Message) error {
	backoff := 50 * time.Millisecond
	pending := make([]int, len(msgs)) // indexes into msgs not yet acknowledged
	for i := range pending {
		pending[i] = i
	}
	batch := msgs
	for len(pending) > 0 {
		err := p.w.WriteMessages(ctx, batch...)
		if err == nil {
			return nil
		}
		var we kafka.WriteErrors
		if !errors.As(err, &we) || len(we) != len(pending) {
			// No per-message answer (the context ended, the writer
			// failed as a whole): none of the pending is known written.
			return &PublishError{Unacked: pending, Err: schemas.Errorf(schemas.EUNAVAILABLE, "kafka did not acknowledge %d of %d messages: %s", len(pending), len(msgs), summarize(err))}
		}
		failed, still := batch[:0:0], pending[:0:0]
		for i, e := range we {
			if e != nil {
				failed = append(failed, batch[i])
				still = append(still, pending[i])
			}
		}
		pending, batch = still, failed
		if we.Count() == len(we) || ctx.Err() != nil || !sleep(ctx, backoff) {
			return &PublishError{Unacked: pending, Err: schemas.Errorf(schemas.EUNAVAILABLE, "kafka did not acknowledge %d of %d messages: %s", len(pending), len(msgs), summarize(err))}
		}
		backoff = min(2*backoff, time.Second)
	}
	return nil
}

// PublishError says which messages of a Publish call Kafka did not
// acknowledge. An unacknowledged message was either not written or written
// without its acknowledgement reaching us (a timeout): publishing it again
// is safe only because every record carries its event_id, by which the
// tables collapse copies.
type PublishError struct {
	Unacked []int // indexes into the published messages, ascending
	Err     error
}

func (e *PublishError) Error() string { return e.Err.Error() }
func (e *PublishError) Unwrap() error { return e.Err }

// summarize shortens kafka-go's per-message write errors, which repeat one
// cause for every message of a batch, to the failed count and each distinct
// cause once.
func summarize(err error) string {
	var we kafka.WriteErrors
	if !errors.As(err, &we) {
		return err.Error()
	}
	seen := map[string]bool{}
	var causes []string
	for _, e := range we {
		if e != nil && !seen[e.Error()] {
			seen[e.Error()] = true
			causes = append(causes, e.Error())
		}
	}
	return fmt.Sprintf("%d of %d failed: %s", we.Count(), len(we), strings.Join(causes, "; "))
}

// Close flushes and closes the writer.
func (p *Publisher) Close() error { return p.w.Close() }

// EnsureTopics creates the stream topics, the dead-letter topic and the
// entities' topics when they do not exist yet.
func EnsureTopics(ctx context.Context, cfg KafkaConfig) error {
	if cfg.Partitions <= 0 {
		cfg.Partitions = 3
	}
	if cfg.ReplicationFactor <= 0 {
		cfg.ReplicationFactor = 1
	}
	var topics []kafka.TopicConfig
	for _, s := range append(append([]schemas.Stream(nil), schemas.Streams...), schemas.StreamDeadLetter) {
		topics = append(topics, kafka.TopicConfig{Topic: s.Topic(), NumPartitions: cfg.Partitions, ReplicationFactor: cfg.ReplicationFactor})
	}
	for _, e := range cfg.Entities {
		for _, s := range schemas.Streams {
			topics = append(topics, kafka.TopicConfig{Topic: s.EntityTopic(e), NumPartitions: cfg.Partitions, ReplicationFactor: cfg.ReplicationFactor})
		}
	}
	tr := cfg.Auth.Transport()
	defer tr.CloseIdleConnections()
	client := &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Timeout: 10 * time.Second, Transport: tr}
	resp, err := client.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: topics})
	if err != nil {
		return fmt.Errorf("create kafka topics: %w", err)
	}
	for topic, terr := range resp.Errors {
		if terr != nil && !errors.Is(terr, kafka.TopicAlreadyExists) {
			return fmt.Errorf("create kafka topic %s: %w", topic, terr)
		}
	}
	return nil
}

// PingKafka checks that a broker answers metadata requests.
func PingKafka(ctx context.Context, brokers []string, auth KafkaAuth) error {
	tr := auth.Transport()
	defer tr.CloseIdleConnections()
	client := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 3 * time.Second, Transport: tr}
	_, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{schemas.StreamDiary.Topic()}})
	if err != nil {
		return schemas.Errorf(schemas.EUNAVAILABLE, "kafka %v: %v", brokers, err)
	}
	return nil
}
