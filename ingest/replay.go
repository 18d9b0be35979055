package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/segmentio/kafka-go"
)

// Replay reads the given offset ranges of cfg.Stream's topic again and
// inserts them through sink, as the consumer does (same decoding, same
// dead letters, same Insert): for records a broken part of a raw table
// took with it. The sink skips the offsets it still has and the records of
// erased people, so a range wider than what was lost is harmless. It reads
// outside the consumer group and commits nothing.
//
// It returns the ranges it could not replay because Kafka no longer holds
// them (its retention passed): their records are lost for good, and the
// caller must say so.
func Replay(ctx context.Context, cfg ConsumerConfig, ranges []Range, sink Sink, dlq MessagePublisher) ([]Range, error) {
	cfg = cfg.withDefaults()
	c := &Consumer{cfg: cfg, group: cfg.Group + "." + string(cfg.Stream) + ".replay", sink: sink, dlq: dlq,
		codec: codec{stream: cfg.Stream, check: cfg.CheckSurvey, retention: cfg.Retention}}
	topic := cfg.Stream.Topic()
	tr := cfg.Auth.Transport()
	defer tr.CloseIdleConnections()
	client := &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Timeout: 10 * time.Second, Transport: tr}
	var gone []Range
	for _, r := range ranges {
		resp, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: {kafka.FirstOffsetOf(r.Partition), kafka.LastOffsetOf(r.Partition)}}})
		if err != nil {
			return gone, fmt.Errorf("replay %s/%d: list offsets: %w", topic, r.Partition, err)
		}
		var logStart, logEnd int64 = -1, -1
		for _, po := range resp.Topics[topic] {
			if po.Partition == r.Partition && po.Error == nil {
				logStart, logEnd = po.FirstOffset, po.LastOffset
			}
		}
		if logStart < 0 {
			return gone, fmt.Errorf("replay %s/%d: the partition has no offsets", topic, r.Partition)
		}
		if r.First < logStart {
			lost := r
			lost.Last = min(r.Last, logStart-1)
			gone = append(gone, lost)
			r.First = logStart
		}
		r.Last = min(r.Last, logEnd-1)
		if r.First > r.Last {
			continue
		}
		if err := c.replayRange(ctx, topic, r); err != nil {
			return gone, err
		}
	}
	return gone, nil
}

// replayRange reads one range of one partition in batches of MaxRows and
// inserts each.
func (c *Consumer) replayRange(ctx context.Context, topic string, r Range) error {
	reader := kafka.NewReader(kafka.ReaderConfig{Brokers: c.cfg.Brokers, Dialer: c.cfg.Auth.Dialer(), Topic: topic, Partition: r.Partition,
		MinBytes: 1, MaxBytes: 8 << 20, MaxWait: 250 * time.Millisecond,
		Logger: kafkaLogger(c.cfg.Logger, slog.LevelDebug), ErrorLogger: kafkaLogger(c.cfg.Logger, slog.LevelDebug)})
	defer reader.Close()
	if err := reader.SetOffset(r.First); err != nil {
		return fmt.Errorf("replay %s/%d from %d: %w", topic, r.Partition, r.First, err)
	}
	p := c.newPending()
	flush := func() error {
		if p.n == 0 {
			return nil
		}
		p.decode(c)
		err := c.insert(ctx, p)
		p = c.newPending()
		return err
	}
	for {
		m, err := reader.FetchMessage(ctx)
		if err != nil {
			return fmt.Errorf("replay %s/%d at %d: %w", topic, r.Partition, reader.Offset(), err)
		}
		if m.Offset > r.Last {
			return flush()
		}
		p.add(m)
		if p.n >= c.cfg.MaxRows || p.bytes >= c.cfg.MaxBytes {
			if err := flush(); err != nil {
				return err
			}
		}
		if m.Offset == r.Last {
			return flush()
		}
	}
}
