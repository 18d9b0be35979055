package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/schemas"
)

// ConsumerConfig configures one stream's consumer.
type ConsumerConfig struct {
	Brokers []string
	// Group is the consumer group prefix; each stream consumes in group
	// "<Group>.<stream>", so instances of `bussola ingest` share the work.
	Group  string
	Stream schemas.Stream
	// A batch is flushed at MaxRows messages, MaxBytes of message values or
	// MaxWait after its first message, whichever comes first.
	MaxRows  int
	MaxBytes int
	MaxWait  time.Duration
	// CheckSurvey validates survey answers against their instrument (optional).
	CheckSurvey schemas.InstrumentChecker
	// ShutdownTimeout bounds the final flush on shutdown.
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
	Metrics         *Metrics
}

func (c ConsumerConfig) withDefaults() ConsumerConfig {
	if c.Group == "" {
		c.Group = "bussola-ingest"
	}
	if c.MaxRows <= 0 {
		c.MaxRows = 50_000
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = 32 << 20
	}
	if c.MaxWait <= 0 {
		c.MaxWait = time.Second
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 30 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Metrics == nil {
		c.Metrics = NewMetrics(nil)
	}
	return c
}

// Consumer reads one stream's topic in a consumer group and inserts it in
// batches. Offsets are committed only after the batch's insert succeeded;
// while the sink fails the consumer retries the same batch and reads no
// further, so memory stays bounded by one batch plus the reader's queue.
type Consumer struct {
	cfg    ConsumerConfig
	group  string
	reader *kafka.Reader
	sink   Sink
	dlq    MessagePublisher
	codec  codec
}

// NewConsumer returns a consumer of cfg.Stream writing to sink and sending
// invalid messages to the dead-letter topic through dlq.
func NewConsumer(cfg ConsumerConfig, sink Sink, dlq MessagePublisher) *Consumer {
	cfg = cfg.withDefaults()
	group := cfg.Group + "." + string(cfg.Stream)
	return &Consumer{
		cfg:   cfg,
		group: group,
		reader: kafka.NewReader(kafka.ReaderConfig{
			Brokers:           cfg.Brokers,
			GroupID:           group,
			Topic:             cfg.Stream.Topic(),
			MinBytes:          1,
			MaxBytes:          8 << 20,
			MaxWait:           250 * time.Millisecond,
			QueueCapacity:     4096,
			CommitInterval:    0, // commit synchronously, after the insert
			StartOffset:       kafka.FirstOffset,
			HeartbeatInterval: time.Second,
			SessionTimeout:    10 * time.Second,
			RebalanceTimeout:  10 * time.Second,
			JoinGroupBackoff:  time.Second,
			ReadBackoffMin:    50 * time.Millisecond,
			ReadBackoffMax:    time.Second,
			MaxAttempts:       3,
		}),
		sink:  sink,
		dlq:   dlq,
		codec: codec{stream: cfg.Stream, check: cfg.CheckSurvey},
	}
}

// Run consumes until ctx is cancelled, then flushes and commits what it has
// read (bounded by ShutdownTimeout) and leaves the group.
func (c *Consumer) Run(ctx context.Context) error {
	defer c.reader.Close()
	var (
		pending  []kafka.Message
		bytes    int
		deadline time.Time
	)
	flush := func(fctx context.Context) error {
		if len(pending) == 0 {
			return nil
		}
		err := c.flush(fctx, pending)
		pending, bytes = pending[:0], 0
		return err
	}
	for {
		fctx, cancel := ctx, context.CancelFunc(func() {})
		if len(pending) > 0 {
			fctx, cancel = context.WithDeadline(ctx, deadline)
		}
		m, err := c.reader.FetchMessage(fctx)
		cancel()
		switch {
		case err == nil:
			if len(pending) == 0 {
				deadline = time.Now().Add(c.cfg.MaxWait)
			}
			pending = append(pending, m)
			bytes += len(m.Value)
			if len(pending) >= c.cfg.MaxRows || bytes >= c.cfg.MaxBytes {
				if err := flush(ctx); err != nil {
					return c.stop(err)
				}
			}
		case ctx.Err() != nil:
			sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.ShutdownTimeout)
			err := flush(sctx)
			scancel()
			return c.stop(err)
		case errors.Is(err, context.DeadlineExceeded):
			if err := flush(ctx); err != nil {
				return c.stop(err)
			}
		default:
			c.cfg.Logger.Warn("kafka fetch failed; retrying", "stream", c.cfg.Stream, "err", err)
			if !sleep(ctx, time.Second) {
				continue // the ctx.Err() case flushes
			}
		}
	}
}

func (c *Consumer) stop(err error) error {
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("consumer %s: %w", c.cfg.Stream, err)
	}
	return nil
}

// flush turns pending messages into one batch, inserts it (retrying while
// the sink fails), and commits the offsets.
func (c *Consumer) flush(ctx context.Context, msgs []kafka.Message) error {
	b := &Batch{Stream: c.cfg.Stream, Group: c.group}
	var dead []kafka.Message
	ranges := map[int]*Range{}
	last := map[int]kafka.Message{}
	for _, m := range msgs {
		last[m.Partition] = m
		r := ranges[m.Partition]
		if r == nil {
			r = &Range{Topic: m.Topic, Partition: m.Partition, First: m.Offset}
			ranges[m.Partition] = r
		}
		r.Last = m.Offset
		r.Messages++
		if dl, ok := c.add(b, m); !ok {
			dead = append(dead, dl)
		}
	}
	for _, r := range ranges {
		b.Ranges = append(b.Ranges, *r)
	}
	sort.Slice(b.Ranges, func(i, j int) bool { return b.Ranges[i].Partition < b.Ranges[j].Partition })
	b.Token = batchToken(c.group, b.Ranges)

	if len(dead) > 0 {
		if err := retry(ctx, c.cfg.Logger, "publish dead letters", func() error { return c.dlq.Publish(ctx, dead...) }); err != nil {
			return err
		}
		c.cfg.Metrics.DeadLettered.WithLabelValues(string(c.cfg.Stream), "consumer").Add(float64(len(dead)))
	}
	if len(b.Ranges) > 0 {
		start := time.Now()
		skipped := 0
		err := retry(ctx, c.cfg.Logger, "insert "+string(c.cfg.Stream)+" batch", func() error {
			n, err := c.sink.Insert(ctx, b)
			if err != nil {
				c.cfg.Metrics.InsertFailures.WithLabelValues(string(c.cfg.Stream)).Inc()
			}
			skipped = n
			return err
		})
		if err != nil {
			return err
		}
		c.cfg.Metrics.InsertLatency.WithLabelValues(string(c.cfg.Stream)).Observe(time.Since(start).Seconds())
		c.cfg.Metrics.Inserted.WithLabelValues(string(c.cfg.Stream)).Add(float64(b.Len() - skipped))
		if skipped > 0 {
			c.cfg.Metrics.Skipped.WithLabelValues(string(c.cfg.Stream)).Add(float64(skipped))
			c.cfg.Logger.Info("skipped messages already stored (re-delivered after a restart or a retry)", "stream", c.cfg.Stream, "messages", skipped)
		}
	}
	commits := make([]kafka.Message, 0, len(last))
	for _, m := range last {
		commits = append(commits, m)
	}
	if err := retry(ctx, c.cfg.Logger, "commit offsets", func() error { return c.reader.CommitMessages(ctx, commits...) }); err != nil {
		return err
	}
	for p, m := range last {
		c.cfg.Metrics.ConsumerLag.WithLabelValues(string(c.cfg.Stream), strconv.Itoa(p)).Set(float64(max(0, m.HighWaterMark-m.Offset-1)))
	}
	return nil
}

// add decodes m into b; for an invalid message it returns the dead letter.
func (c *Consumer) add(b *Batch, m kafka.Message) (kafka.Message, bool) {
	if c.cfg.Stream == schemas.StreamDeadLetter {
		var dl schemas.DeadLetter
		if err := json.Unmarshal(m.Value, &dl); err != nil {
			dl = schemas.DeadLetter{Source: "unknown", Reason: "the dead letter itself is not valid JSON: " + err.Error()}
		}
		if dl.At.IsZero() {
			dl.At = m.Time
		}
		b.DeadLetters = append(b.DeadLetters, DeadLetterRow{DeadLetter: dl, Partition: m.Partition, Offset: m.Offset})
		return kafka.Message{}, true
	}
	rec, env, ferrs := c.codec.decode(m.Value, schemas.OnTopic)
	if len(ferrs) > 0 {
		dl := schemas.DeadLetter{Source: m.Topic, SourcePartition: m.Partition, SourceOffset: m.Offset,
			Reason: ferrs[0].Error(), Errors: ferrs, At: time.Now().UTC(), Payload: redactRaw(m.Value)}
		if env != nil {
			dl.Tenant = env.Tenant
		}
		value, _ := json.Marshal(dl)
		return kafka.Message{Topic: schemas.StreamDeadLetter.Topic(), Key: m.Key, Value: value}, false
	}
	switch r := rec.(type) {
	case *schemas.DiaryEntry:
		b.Diary = append(b.Diary, r)
	case *schemas.SurveyResponse:
		b.Surveys = append(b.Surveys, r)
	case *schemas.IntranetEvent:
		b.Intranet = append(b.Intranet, r)
	}
	b.Positions = append(b.Positions, Position{Partition: int32(m.Partition), Offset: m.Offset})
	return kafka.Message{}, true
}

// redactRaw drops a raw employee identifier from a message produced
// straight to a topic, so it goes no further than the topic it was put on.
func redactRaw(value []byte) string {
	var obj map[string]any
	if json.Unmarshal(value, &obj) != nil {
		return ""
	}
	if _, ok := obj["employee_id"]; ok {
		obj["employee_id"] = "(removed)"
	}
	b, _ := json.Marshal(obj)
	return string(b)
}

// batchToken names a batch by the Kafka ranges it covers.
func batchToken(group string, ranges []Range) string {
	var sb strings.Builder
	sb.WriteString(group)
	for _, r := range ranges {
		fmt.Fprintf(&sb, "|%s/%d:%d-%d", r.Topic, r.Partition, r.First, r.Last)
	}
	h := sha256.Sum256([]byte(sb.String()))
	return hex.EncodeToString(h[:16])
}

// retry runs fn until it succeeds or ctx ends, backing off from 100 ms to 5 s.
func retry(ctx context.Context, log *slog.Logger, what string, fn func() error) error {
	backoff := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil {
			if attempt > 1 {
				log.Info(what+": succeeded after retries", "attempts", attempt)
			}
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w (gave up: %v)", what, err, ctx.Err())
		}
		if attempt == 1 || attempt%10 == 0 {
			log.Warn(what+": failed; retrying", "attempt", attempt, "err", err)
		}
		if !sleep(ctx, backoff) {
			return fmt.Errorf("%s: %w (gave up: %v)", what, err, ctx.Err())
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
