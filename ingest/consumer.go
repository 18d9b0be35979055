package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
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
	// Entity, when set, makes this the consumer of that entity's own topic
	// of Stream (Stream.EntityTopic), written by the entity's systems with
	// the entity's account: a record whose tenant is not Entity goes to
	// the dead letters, and the valid ones go to the sink (a Relay).
	Entity string
	// Auth is how the consumer logs in to Kafka.
	Auth KafkaAuth
	// A batch is flushed at MaxRows messages, MaxBytes of message values or
	// MaxWait after its first message, whichever comes first.
	MaxRows  int
	MaxBytes int
	MaxWait  time.Duration
	// Inserters is how many batches may be inserting at once; offsets are
	// still committed in order. Default 2: an insert spends much of its
	// time waiting (on the network, on the server's parsing of a block),
	// and two keep the server busy.
	Inserters int
	// CheckSurvey validates survey answers against their instrument (optional).
	CheckSurvey schemas.InstrumentChecker
	// Retention sends records about a moment older than it to the dead
	// letters (the storage TTL would delete them on arrival); 0 keeps all.
	Retention time.Duration
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
	if c.Inserters <= 0 {
		c.Inserters = 2
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
// batches. Offsets are committed only after the batch's insert, and every
// earlier batch's, succeeded; while the sink fails the consumer retries the
// batches it holds and reads no further, so memory stays bounded by a few
// batches plus the reader's queue.
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
	group, topic := cfg.Group+"."+string(cfg.Stream), cfg.Stream.Topic()
	if cfg.Entity != "" {
		group, topic = group+"."+cfg.Entity, cfg.Stream.EntityTopic(cfg.Entity)
	}
	return &Consumer{
		cfg:   cfg,
		group: group,
		reader: kafka.NewReader(kafka.ReaderConfig{
			Brokers:           cfg.Brokers,
			Dialer:            cfg.Auth.Dialer(),
			GroupID:           group,
			Topic:             topic,
			MinBytes:          1,
			MaxBytes:          8 << 20,
			MaxWait:           250 * time.Millisecond,
			QueueCapacity:     4096,
			CommitInterval:    0, // commit synchronously, after the insert
			StartOffset:       kafka.FirstOffset,
			HeartbeatInterval: time.Second,
			SessionTimeout:    slowInsert,
			RebalanceTimeout:  10 * time.Second,
			JoinGroupBackoff:  time.Second,
			ReadBackoffMin:    50 * time.Millisecond,
			ReadBackoffMax:    time.Second,
			MaxAttempts:       3,
			// kafka-go's own lines, errors included, are debug output: it
			// retries what it reports (a fetch that outlived its deadline
			// on a busy machine, say), and what reaches this consumer is
			// logged by it.
			Logger:      kafkaLogger(cfg.Logger, slog.LevelDebug),
			ErrorLogger: kafkaLogger(cfg.Logger, slog.LevelDebug),
		}),
		sink:  sink,
		dlq:   dlq,
		codec: codec{stream: cfg.Stream, check: cfg.CheckSurvey, retention: cfg.Retention},
	}
}

// Run consumes until ctx is cancelled, then flushes and commits what it has
// read (bounded by ShutdownTimeout) and leaves the group.
//
// Reading, decoding and inserting overlap, as a pipeline: this loop fills
// a batch with fetched messages, a decoder decodes a full batch on every
// core, up to Inserters batches insert at once, and a committer commits
// their offsets in order, each once its own insert and every earlier one
// succeeded. At most Inserters+2 batches exist at once, so memory stays
// bounded whatever the backlog.
func (c *Consumer) Run(ctx context.Context) error {
	defer c.reader.Close()
	// The inserts outlive ctx by up to ShutdownTimeout, to finish the
	// batches read before the shutdown.
	fctx, fcancel := context.WithCancel(context.WithoutCancel(ctx))
	defer fcancel()
	stopTimer := context.AfterFunc(ctx, func() { time.AfterFunc(c.cfg.ShutdownTimeout, fcancel) })
	defer stopTimer()
	// An insert can fail only once the shutdown timeout cancelled fctx;
	// the committer then commits nothing more (what is left is not lost,
	// only uncommitted) and reports the error when the channel closes.
	batches := make(chan *pending)
	decoded := make(chan *pending)
	flushed := make(chan error, 1)
	go func() {
		for p := range batches {
			p.decode(c)
			decoded <- p
		}
		close(decoded)
	}()
	go func() {
		inserting := make(chan struct{}, c.cfg.Inserters)
		inOrder := make(chan *pending, c.cfg.Inserters)
		committed := make(chan error, 1)
		go func() {
			var err error
			for p := range inOrder {
				ierr := <-p.inserted
				if err == nil {
					err = ierr
				}
				if err == nil {
					err = c.commit(fctx, p)
				}
			}
			committed <- err
		}()
		for p := range decoded {
			inserting <- struct{}{}
			p.inserted = make(chan error, 1)
			go func() {
				defer func() { <-inserting }()
				err := c.insert(fctx, p)
				p.b, p.dead = nil, nil // only the offsets are needed now
				p.inserted <- err
			}()
			inOrder <- p
		}
		close(inOrder)
		flushed <- <-committed
	}()
	finish := func(p *pending) error {
		if p.n > 0 {
			batches <- p
		}
		close(batches) // the decoder then closes decoded
		return c.stop(<-flushed)
	}

	cur := c.newPending()
	deadline := batchDeadline{parent: ctx, ctx: ctx}
	defer deadline.clear()
	for {
		m, err := c.reader.FetchMessage(deadline.ctx)
		switch {
		case err == nil:
			if cur.n == 0 {
				deadline.start(c.cfg.MaxWait)
			}
			cur.add(m)
			if cur.n >= c.cfg.MaxRows || cur.bytes >= c.cfg.MaxBytes {
				deadline.clear()
				batches <- cur // waits while the previous batch is in flight
				cur = c.newPending()
			}
		case ctx.Err() != nil:
			return finish(cur)
		case errors.Is(err, context.DeadlineExceeded):
			deadline.clear()
			if cur.n > 0 {
				batches <- cur
				cur = c.newPending()
			}
		default:
			c.cfg.Logger.Warn("kafka fetch failed; retrying", "stream", c.cfg.Stream, "err", err)
			if !sleep(ctx, time.Second) {
				continue // the ctx.Err() case flushes
			}
		}
	}
}

// batchDeadline is the context a fetch waits under: the consumer's own
// while no batch is filling, one that ends MaxWait after a batch's first
// message otherwise. One context per batch, not per fetch.
type batchDeadline struct {
	parent context.Context
	ctx    context.Context
	cancel context.CancelFunc
}

func (d *batchDeadline) start(wait time.Duration) {
	d.clear()
	d.ctx, d.cancel = context.WithTimeout(d.parent, wait)
}

func (d *batchDeadline) clear() {
	if d.cancel != nil {
		d.cancel()
		d.cancel = nil
	}
	d.ctx = d.parent
}

func (c *Consumer) stop(err error) error {
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("consumer %s: %w", c.cfg.Stream, err)
	}
	return nil
}

// pending is a batch on its way through the pipeline: its messages, then
// their decoded records and the dead letters of the invalid ones, and the
// Kafka ranges it covers.
type pending struct {
	msgs   []kafka.Message
	b      *Batch
	dead   []kafka.Message
	ranges map[int]*Range
	last   map[int]kafka.Message
	n      int
	bytes  int
	// inserted receives the outcome of the batch's insert.
	inserted chan error
}

func (c *Consumer) newPending() *pending {
	return &pending{b: &Batch{Stream: c.cfg.Stream, Group: c.group}, ranges: map[int]*Range{}, last: map[int]kafka.Message{}}
}

// add puts m into the batch.
func (p *pending) add(m kafka.Message) {
	p.msgs = append(p.msgs, m)
	p.n++
	p.bytes += len(m.Value)
	p.last[m.Partition] = m
	r := p.ranges[m.Partition]
	if r == nil {
		r = &Range{Topic: m.Topic, Partition: m.Partition, First: m.Offset}
		p.ranges[m.Partition] = r
	}
	r.Last = m.Offset
	r.Messages++
}

// decode decodes the batch's messages on every core into p.b, and the
// invalid ones into dead letters, keeping the messages' order.
func (p *pending) decode(c *Consumer) {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(p.msgs)/1000))
	parts := make([]*pending, workers)
	var wg sync.WaitGroup
	for w := range parts {
		lo, hi := w*len(p.msgs)/workers, (w+1)*len(p.msgs)/workers
		part := &pending{b: &Batch{}}
		parts[w] = part
		wg.Go(func() {
			names := interner{}
			for _, m := range p.msgs[lo:hi] {
				if dl, ok := c.add(part.b, m, names); !ok {
					part.dead = append(part.dead, dl)
				}
			}
		})
	}
	wg.Wait()
	for _, part := range parts {
		p.b.Diary = append(p.b.Diary, part.b.Diary...)
		p.b.Surveys = append(p.b.Surveys, part.b.Surveys...)
		p.b.Intranet = append(p.b.Intranet, part.b.Intranet...)
		p.b.DeadLetters = append(p.b.DeadLetters, part.b.DeadLetters...)
		p.b.Positions = append(p.b.Positions, part.b.Positions...)
		p.dead = append(p.dead, part.dead...)
	}
	p.msgs = nil
}

// insert inserts a decoded batch (retrying while the sink fails), after
// publishing its dead letters.
func (c *Consumer) insert(ctx context.Context, p *pending) error {
	b := p.b
	for _, r := range p.ranges {
		b.Ranges = append(b.Ranges, *r)
	}
	sort.Slice(b.Ranges, func(i, j int) bool { return b.Ranges[i].Partition < b.Ranges[j].Partition })
	b.Token = batchToken(c.group, b.Ranges)
	c.cfg.Logger.Debug("insert batch", "stream", c.cfg.Stream, "token", b.Token, "ranges", b.Ranges, "records", b.Len(), "dead", len(p.dead))

	if len(p.dead) > 0 {
		if err := retry(ctx, c.cfg.Logger, "publish dead letters", func() error { return c.dlq.Publish(ctx, p.dead...) }); err != nil {
			return err
		}
		c.cfg.Metrics.DeadLettered.WithLabelValues(string(c.cfg.Stream), "consumer").Add(float64(len(p.dead)))
	}
	if b.Len() == 0 {
		return nil
	}
	start := time.Now()
	var res Inserted
	err := retry(ctx, c.cfg.Logger, "insert "+string(c.cfg.Stream)+" batch", func() error {
		r, err := c.sink.Insert(ctx, b)
		if err != nil {
			c.cfg.Metrics.InsertFailures.WithLabelValues(string(c.cfg.Stream)).Inc()
		}
		res = r
		return err
	})
	if err != nil {
		return err
	}
	stream := string(c.cfg.Stream)
	took := time.Since(start)
	c.cfg.Metrics.InsertLatency.WithLabelValues(stream).Observe(took.Seconds())
	if took > slowInsert {
		// Long enough for the group to have handed the partition to
		// another consumer, which may have stored the same records: the
		// copies count once (the tables are keyed by event id), but the
		// engine or the machine is in trouble.
		c.cfg.Logger.Warn("slow insert: the batch took longer than the consumer group's session timeout", "stream", stream,
			"took", took.Round(time.Millisecond), "records", b.Len(), "token", b.Token)
	}
	c.cfg.Metrics.Inserted.WithLabelValues(stream).Add(float64(b.Len() - res.AlreadyStored - res.Erased))
	if res.AlreadyStored > 0 {
		c.cfg.Metrics.Skipped.WithLabelValues(stream).Add(float64(res.AlreadyStored))
		c.cfg.Logger.Info("skipped messages already stored (re-delivered after a restart or a retry)", "stream", stream, "messages", res.AlreadyStored)
	}
	if res.Erased > 0 {
		c.cfg.Metrics.Erased.WithLabelValues(stream).Add(float64(res.Erased))
		c.cfg.Logger.Info("dropped records of erased people", "stream", stream, "records", res.Erased)
	}
	return nil
}

// commit commits the offsets of an inserted batch.
func (c *Consumer) commit(ctx context.Context, p *pending) error {
	commits := make([]kafka.Message, 0, len(p.last))
	for _, m := range p.last {
		commits = append(commits, m)
	}
	if err := retry(ctx, c.cfg.Logger, "commit offsets", func() error { return c.reader.CommitMessages(ctx, commits...) }); err != nil {
		return err
	}
	for part, m := range p.last {
		c.cfg.Metrics.ConsumerLag.WithLabelValues(string(c.cfg.Stream), strconv.Itoa(part)).Set(float64(max(0, m.HighWaterMark-m.Offset-1)))
	}
	return nil
}

// add decodes m into b; for an invalid message it returns the dead letter.
func (c *Consumer) add(b *Batch, m kafka.Message, names interner) (kafka.Message, bool) {
	if c.cfg.Stream == schemas.StreamDeadLetter {
		var dl schemas.DeadLetter
		if err := json.Unmarshal(m.Value, &dl); err != nil {
			dl = schemas.DeadLetter{Source: "unknown", Reason: "the dead letter itself is not valid JSON"}
		} else {
			redactStoredDeadLetter(&dl)
		}
		if dl.At.IsZero() {
			dl.At = m.Time
		}
		b.DeadLetters = append(b.DeadLetters, DeadLetterRow{DeadLetter: dl, Partition: m.Partition, Offset: m.Offset})
		return kafka.Message{}, true
	}
	rec, env, ferrs := c.codec.decode(m.Value, schemas.OnTopic, names)
	if len(ferrs) == 0 && c.cfg.Entity != "" && env.Tenant != c.cfg.Entity {
		ferrs = []schemas.FieldError{{Field: "tenant", Rule: schemas.RuleForbidden,
			Message: "must be " + c.cfg.Entity + ": this topic takes only that entity's records"}}
	}
	if len(ferrs) > 0 {
		dl := schemas.DeadLetter{Source: m.Topic, SourcePartition: m.Partition, SourceOffset: m.Offset, At: time.Now().UTC()}
		switch {
		case c.cfg.Entity != "":
			dl.Tenant = c.cfg.Entity // the topic's entity, not what the record claims
		case env != nil && schemas.IsTenant(env.Tenant) && !namesField(ferrs, "tenant"):
			dl.Tenant = env.Tenant
		}
		redactedDeadLetter(&dl, c.cfg.Stream, m.Value, ferrs, "")
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

// slowInsert is the reader's session timeout: an insert that takes longer
// may outlive its consumer's ownership of the partition.
const slowInsert = 10 * time.Second

// kafkaLogger passes kafka-go's log lines to l at level.
func kafkaLogger(l *slog.Logger, level slog.Level) kafka.LoggerFunc {
	return func(msg string, args ...any) {
		if l.Enabled(context.Background(), level) {
			l.Log(context.Background(), level, "kafka: "+fmt.Sprintf(msg, args...))
		}
	}
}

// namesField reports whether one of ferrs is about field.
func namesField(ferrs []schemas.FieldError, field string) bool {
	for _, fe := range ferrs {
		if fe.Field == field {
			return true
		}
	}
	return false
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
