package clickhouse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"

	chgo "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/schemas"
)

var _ ingest.Sink = (*Store)(nil)

// Insert writes the records of a consumer batch that are neither stored
// yet nor of an erased person, and counts those it left out. Every row
// keeps the partition and offset of its Kafka message, so inserting a batch
// again (a retry after an error whose outcome was unknown, or a
// re-delivery after a consumer crashed between insert and commit) inserts
// nothing twice and completes an insert that had landed only in part.
//
// Before its rows, a batch logs the offset spans it is about to insert
// (ingest_batches), then reads the spans logged over the same offsets.
// Rows can exist only inside a logged span, so a batch that continues
// where the last one stopped reads the small log only; one that overlaps
// an earlier span (a retry, a re-delivery after a restart or a rebalance)
// looks up at once which of its offsets have rows and inserts the others.
//
// Nothing waits for another consumer's insert: a consumer that lost its
// partition (paused, or slow) may still land rows the new owner stored
// too. Such copies carry the same event ids, which every table a page
// reads counts once: the evidence tables collapse them (ReplacingMergeTree
// on a key ending with event_id) and the rollups hold sets of event ids
// (0006_identity_rollups.sql). A re-sent batch with the same Kafka ranges
// has the same token, and insert deduplication drops it whole.
func (s *Store) Insert(ctx context.Context, b *ingest.Batch) (ingest.Inserted, error) {
	pos := positionsOf(b)
	spans := spansOf(pos)
	overlap, err := s.logAndRead(ctx, b, spans)
	if err != nil {
		return ingest.Inserted{}, err
	}
	present := map[ingest.Position]bool{}
	if overlap {
		if present, err = s.presentIn(ctx, b.Stream, spans); err != nil {
			return ingest.Inserted{}, err
		}
	}
	erased, err := s.erasedPeople(ctx)
	if err != nil {
		return ingest.Inserted{}, err
	}
	var res ingest.Inserted
	switch b.Stream {
	case schemas.StreamDiary:
		var recs []*schemas.DiaryEntry
		recs, pos, res = leftOut(b.Diary, pos, present, erased, func(r *schemas.DiaryEntry) bool { return erased.erased(&r.Envelope) })
		err = s.insertColumns(ctx, b.Token, "diary_entries", withPositions(diaryColumns(recs), pos, nil))
	case schemas.StreamSurvey:
		var recs []*schemas.SurveyResponse
		recs, pos, res = leftOut(b.Surveys, pos, present, erased, func(r *schemas.SurveyResponse) bool { return erased.erased(&r.Envelope) })
		cols, perResponse := surveyColumns(recs)
		err = s.insertColumns(ctx, b.Token, "survey_answers", withPositions(cols, pos, perResponse))
	case schemas.StreamIntranet:
		var recs []*schemas.IntranetEvent
		recs, pos, res = leftOut(b.Intranet, pos, present, erased, func(r *schemas.IntranetEvent) bool { return erased.erased(&r.Envelope) })
		err = s.insertColumns(ctx, b.Token, "intranet_events", withPositions(intranetColumns(recs), pos, nil))
	case schemas.StreamDeadLetter:
		var recs []ingest.DeadLetterRow
		recs, _, res = leftOut(b.DeadLetters, pos, present, erased, erased.names)
		err = s.insertColumns(ctx, b.Token, "dead_letters", deadLetterColumns(recs))
	default:
		err = schemas.Errorf(schemas.EINVALID, "stream: %q has no table", b.Stream)
	}
	if err != nil {
		return ingest.Inserted{}, err
	}
	return res, nil
}

// logAndRead logs the batch's spans, then says whether anything else is
// logged over them. Within this process the two steps are one: of two
// batches inserting at once, the second sees the first's spans.
func (s *Store) logAndRead(ctx context.Context, b *ingest.Batch, spans []span) (bool, error) {
	s.spanLog.Lock()
	defer s.spanLog.Unlock()
	if err := s.logSpans(ctx, b, spans); err != nil {
		return false, err
	}
	return s.overlapsLogged(ctx, b, spans)
}

// span is the range of offsets of one Kafka partition a batch holds.
type span struct {
	partition   int32
	first, last int64
	messages    int
}

// positionsOf returns the Kafka positions of the batch's records.
func positionsOf(b *ingest.Batch) []ingest.Position {
	if b.Stream == schemas.StreamDeadLetter {
		return deadLetterPositions(b.DeadLetters)
	}
	return b.Positions
}

// spansOf groups record positions by partition.
func spansOf(pos []ingest.Position) []span {
	index := map[int32]int{} // an index, not a pointer: out grows
	var out []span
	for _, p := range pos {
		i, ok := index[p.Partition]
		if !ok {
			i = len(out)
			index[p.Partition] = i
			out = append(out, span{partition: p.Partition, first: p.Offset, last: p.Offset})
		}
		sp := &out[i]
		sp.first, sp.last = min(sp.first, p.Offset), max(sp.last, p.Offset)
		sp.messages++
	}
	return out
}

// overlapsLogged reports whether spans other than this attempt's are
// logged over the batch's: an earlier attempt of the same batch, or
// another batch (its rows may be stored). One query for all the batch's
// partitions.
func (s *Store) overlapsLogged(ctx context.Context, b *ingest.Batch, spans []span) (bool, error) {
	if len(spans) == 0 {
		return false, nil
	}
	conds := make([]string, len(spans))
	args := []any{b.Token, b.Token, b.Stream.Topic()}
	for i, sp := range spans {
		conds[i] = "(partition = ? AND last_offset >= ? AND first_offset <= ?)"
		args = append(args, sp.partition, sp.first, sp.last)
	}
	var others, own uint64
	err := s.conn.QueryRow(ctx, "SELECT countIf(token != ?), countIf(token = ?) FROM "+
		s.table("ingest_batches")+" WHERE topic = ? AND ("+strings.Join(conds, " OR ")+")", args...).Scan(&others, &own)
	if err != nil {
		return false, fmt.Errorf("read logged spans of %s: %w", b.Stream, err)
	}
	// This attempt logged one span per partition; more of its own token
	// are earlier attempts.
	return others > 0 || own > uint64(len(spans)), nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// presentIn returns the positions within the spans that have rows.
func (s *Store) presentIn(ctx context.Context, stream schemas.Stream, spans []span) (map[ingest.Position]bool, error) {
	out := map[ingest.Position]bool{}
	for _, sp := range spans {
		offs, err := s.presentRange(ctx, stream, int(sp.partition), sp.first, sp.last)
		if err != nil {
			return nil, err
		}
		for o := range offs {
			out[ingest.Position{Partition: sp.partition, Offset: o}] = true
		}
	}
	return out, nil
}

// leftOut keeps the records whose position is not present and whose
// person is not erased (isErased is not called when erased is nil), with
// their positions, and counts the others. One pass, and none at all in
// the common case of a fresh batch and an empty erasure register.
func leftOut[T any](recs []T, pos []ingest.Position, present map[ingest.Position]bool, erased *erasedSet, isErased func(T) bool) ([]T, []ingest.Position, ingest.Inserted) {
	var res ingest.Inserted
	if len(present) == 0 && erased == nil {
		return recs, pos, res
	}
	keep, keepPos := recs[:0:0], pos[:0:0]
	for i, r := range recs {
		switch {
		case present[pos[i]]:
			res.AlreadyStored++
		case erased != nil && isErased(r):
			res.Erased++
		default:
			keep, keepPos = append(keep, r), append(keepPos, pos[i])
		}
	}
	return keep, keepPos, res
}

func deadLetterPositions(recs []ingest.DeadLetterRow) []ingest.Position {
	pos := make([]ingest.Position, len(recs))
	for i, r := range recs {
		pos[i] = ingest.Position{Partition: int32(r.Partition), Offset: r.Offset}
	}
	return pos
}

// appendColumns fills the batch's columns. Each column has its own
// buffers, so large batches fill them on every core: building the
// LowCardinality dictionaries is the costliest step of an insert.
func appendColumns(batch driver.Batch, cols columns) error {
	workers := 1
	if cols.rows >= 10_000 {
		workers = min(runtime.GOMAXPROCS(0), len(cols.data))
	}
	next := make(chan int, len(cols.data))
	for i := range cols.data {
		next <- i
	}
	close(next)
	errs := make([]error, len(cols.data))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				if err := batch.Column(i).Append(cols.data[i]); err != nil {
					errs[i] = fmt.Errorf("column %s: %w", cols.names[i], err)
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// InsertSettings are the settings of every batch insert. The token lets
// replicated tables (cluster form) drop a re-sent block. optimize_on_insert
// is off because the rollups' materialized views already aggregate each
// block: summing it again on insert made inserts into intranet_events about
// five times slower (909 ms vs 203 ms for 300,000 rows into the rollup).
func InsertSettings(token string) chgo.Settings {
	return chgo.Settings{
		"insert_deduplication_token":                         token,
		"deduplicate_blocks_in_dependent_materialized_views": 1,
		"optimize_on_insert":                                 0,
	}
}

// columns is a column-oriented batch: names and one slice per column.
type columns struct {
	names []string
	data  []any
	rows  int
}

func (c *columns) add(name string, data any) {
	c.names = append(c.names, name)
	c.data = append(c.data, data)
}

func (s *Store) insertColumns(ctx context.Context, token, table string, cols columns) error {
	if cols.rows == 0 {
		return nil
	}
	opts := []chgo.QueryOption{chgo.WithSettings(InsertSettings(token))}
	if s.http {
		types, err := s.insertTypes(ctx, table, cols.names)
		if err != nil {
			return err
		}
		opts = append(opts, chgo.WithColumnNamesAndTypes(types))
	}
	ctx = chgo.Context(ctx, opts...)
	batch, err := s.conn.PrepareBatch(ctx, fmt.Sprintf("INSERT INTO %s (%s)", s.table(table), strings.Join(cols.names, ", ")))
	if err != nil {
		return fmt.Errorf("insert %s: prepare: %w", table, err)
	}
	if err := appendColumns(batch, cols); err != nil {
		batch.Abort()
		return fmt.Errorf("insert %s: %w", table, err)
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("insert %d rows into %s: %w", cols.rows, table, err)
	}
	return nil
}

// logSpans records the spans a batch is about to insert.
func (s *Store) logSpans(ctx context.Context, b *ingest.Batch, spans []span) error {
	n := len(spans)
	if n == 0 {
		return nil
	}
	groups, topics, tokens := make([]string, n), make([]string, n), make([]string, n)
	parts, rows := make([]int32, n), make([]uint32, n)
	firsts, lasts := make([]int64, n), make([]int64, n)
	for i, sp := range spans {
		groups[i], topics[i], tokens[i] = b.Group, b.Stream.Topic(), b.Token
		parts[i], firsts[i], lasts[i], rows[i] = sp.partition, sp.first, sp.last, uint32(sp.messages)
	}
	var c columns
	c.rows = n
	c.add("consumer_group", groups)
	c.add("topic", topics)
	c.add("partition", parts)
	c.add("first_offset", firsts)
	c.add("last_offset", lasts)
	c.add("rows", rows)
	c.add("token", tokens)
	return s.insertColumns(ctx, b.Token+"/spans", "ingest_batches", c)
}

// Present returns the offsets at or after from of the stream's Kafka
// partition that have rows.
func (s *Store) Present(ctx context.Context, stream schemas.Stream, partition int, from int64) (map[int64]bool, error) {
	return s.presentRange(ctx, stream, partition, from, math.MaxInt64)
}

func (s *Store) presentRange(ctx context.Context, stream schemas.Stream, partition int, first, last int64) (map[int64]bool, error) {
	pcol, ocol := "kafka_partition", "kafka_offset"
	if stream == schemas.StreamDeadLetter {
		pcol, ocol = "dl_partition", "dl_offset"
	}
	table := stream.Table()
	if table == "" {
		return nil, schemas.Errorf(schemas.EINVALID, "stream: %q has no table", stream)
	}
	rows, err := s.conn.Query(ctx, fmt.Sprintf("SELECT DISTINCT %s FROM %s WHERE %s = ? AND %s BETWEEN ? AND ?", ocol, s.table(table), pcol, ocol),
		int32(partition), first, last)
	if err != nil {
		return nil, fmt.Errorf("read stored offsets of %s/%d: %w", stream, partition, err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var o int64
		if err := rows.Scan(&o); err != nil {
			return nil, err
		}
		out[o] = true
	}
	return out, rows.Err()
}

// withPositions adds the Kafka partition and offset of every row; rows[i]
// belongs to record owner[i] (nil: row i is record i).
func withPositions(c columns, pos []ingest.Position, owner []int) columns {
	parts, offs := make([]int32, c.rows), make([]int64, c.rows)
	for i := 0; i < c.rows; i++ {
		j := i
		if owner != nil {
			j = owner[i]
		}
		if j < len(pos) {
			parts[i], offs[i] = pos[j].Partition, pos[j].Offset
		}
	}
	c.add("kafka_partition", parts)
	c.add("kafka_offset", offs)
	return c
}

func envelopeColumns(c *columns, envs []*schemas.Envelope) error {
	n := len(envs)
	tenant, unit, grade, cohort, ids := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	person := make([]uint64, n)
	for i, e := range envs {
		p, err := schemas.ParsePerson(e.Person)
		if err != nil {
			return err
		}
		tenant[i], person[i], ids[i], unit[i], grade[i], cohort[i] = e.Tenant, p, e.EventID, e.OrgUnit, e.Grade, e.Cohort
	}
	c.add("tenant", tenant)
	c.add("person", person)
	c.add("event_id", ids)
	c.add("org_unit", unit)
	c.add("grade", grade)
	c.add("cohort", cohort)
	return nil
}

func diaryColumns(recs []*schemas.DiaryEntry) columns {
	n := len(recs)
	c := columns{rows: n}
	envs := make([]*schemas.Envelope, n)
	date := make([]time.Time, n)
	lang, text, loc := make([]string, n), make([]string, n), make([]string, n)
	prod, wlb, conn := make([]uint8, n), make([]uint8, n), make([]uint8, n)
	tech := make([]bool, n)
	for i, r := range recs {
		envs[i] = &r.Envelope
		date[i], _ = time.Parse(time.DateOnly, r.Date) // validated before
		lang[i], text[i], loc[i] = r.Lang, r.Text, r.Location
		prod[i], wlb[i], conn[i] = uint8(r.Productivity), uint8(r.WorkLifeBalance), uint8(r.Connection)
		tech[i] = r.TechProblems
	}
	_ = envelopeColumns(&c, envs) // pseudonyms were validated by the consumer
	c.add("date", date)
	c.add("lang", lang)
	c.add("text", text)
	c.add("productivity", prod)
	c.add("work_life_balance", wlb)
	c.add("connection", conn)
	c.add("tech_problems", tech)
	c.add("location", loc)
	return c
}

func intranetColumns(recs []*schemas.IntranetEvent) columns {
	n := len(recs)
	c := columns{rows: n}
	envs := make([]*schemas.Envelope, n)
	ts := make([]time.Time, n)
	kind, section, page, device, tool := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	remote, referent := make([]bool, n), make([]bool, n)
	for i, r := range recs {
		envs[i] = &r.Envelope
		ts[i], kind[i], section[i], page[i], device[i], tool[i] = r.TS, r.Kind, r.Section, r.Page, r.Device, r.Tool
		remote[i], referent[i] = r.Remote, r.Referent
	}
	_ = envelopeColumns(&c, envs)
	c.add("ts", ts)
	c.add("kind", kind)
	c.add("section", section)
	c.add("page", page)
	c.add("device", device)
	c.add("remote", remote)
	c.add("tool", tool)
	c.add("referent", referent)
	return c
}

// surveyColumns flattens responses into one row per answered item and
// says which response each row came from.
func surveyColumns(recs []*schemas.SurveyResponse) (columns, []int) {
	var owner []int
	var envs []*schemas.Envelope
	var instr, wave, ctxs, item, typ, choice, text []string
	var ver []uint16
	var at []time.Time
	var value []float64
	for ri, r := range recs {
		emit := func(it, t string, v float64, ch, tx string) {
			owner = append(owner, ri)
			envs = append(envs, &r.Envelope)
			instr, ver, wave, at, ctxs = append(instr, r.InstrumentID), append(ver, uint16(r.InstrumentVersion)), append(wave, r.Wave), append(at, r.SubmittedAt), append(ctxs, r.Context)
			item, typ, value, choice, text = append(item, it), append(typ, t), append(value, v), append(choice, ch), append(text, tx)
		}
		for _, k := range sortedKeys(r.Answers) {
			emit(k, "number", r.Answers[k], "", "")
		}
		for _, k := range sortedKeys(r.Choices) {
			emit(k, "choice", 0, r.Choices[k], "")
		}
		for _, k := range sortedKeys(r.Texts) {
			emit(k, "text", 0, "", r.Texts[k])
		}
	}
	c := columns{rows: len(envs)}
	_ = envelopeColumns(&c, envs)
	c.add("instrument_id", instr)
	c.add("instrument_version", ver)
	c.add("wave", wave)
	c.add("submitted_at", at)
	c.add("context", ctxs)
	c.add("item", item)
	c.add("answer_type", typ)
	c.add("value", value)
	c.add("choice", choice)
	c.add("text", text)
	return c, owner
}

func deadLetterColumns(recs []ingest.DeadLetterRow) columns {
	n := len(recs)
	c := columns{rows: n}
	tenant, source, reason, errs, payload := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	dlp, sp, line := make([]int32, n), make([]int32, n), make([]int32, n)
	dlo, so := make([]int64, n), make([]int64, n)
	at := make([]time.Time, n)
	for i, r := range recs {
		tenant[i], source[i], reason[i], payload[i], at[i] = r.Tenant, r.Source, r.Reason, r.Payload, r.At
		dlp[i], dlo[i], sp[i], so[i], line[i] = int32(r.Partition), r.Offset, int32(r.SourcePartition), r.SourceOffset, int32(r.SourceLine)
		b, _ := json.Marshal(r.Errors)
		errs[i] = string(b)
	}
	c.add("tenant", tenant)
	c.add("dl_partition", dlp)
	c.add("dl_offset", dlo)
	c.add("source", source)
	c.add("source_partition", sp)
	c.add("source_offset", so)
	c.add("source_line", line)
	c.add("reason", reason)
	c.add("errors", errs)
	c.add("payload", payload)
	c.add("at", at)
	return c
}
