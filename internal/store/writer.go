package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/schemas"
)

var _ ingest.Sink = (*Store)(nil)

// Insert writes the records of a consumer batch that are not stored yet,
// then logs its Kafka ranges, and returns how many records it skipped.
// Every row keeps the partition and offset of its Kafka message, so
// inserting a batch again (a retry after an error whose outcome was unknown,
// or a re-delivery after a consumer crashed between insert and commit)
// inserts nothing twice, in the table or in the rollups its materialized
// views feed, and completes an insert that had landed only in part.
func (s *Store) Insert(ctx context.Context, b *ingest.Batch) (int, error) {
	present, err := s.presentIn(ctx, b)
	if err != nil {
		return 0, err
	}
	skipped := 0
	switch b.Stream {
	case schemas.StreamDiary:
		recs, pos, n := unstored(b.Diary, b.Positions, present)
		skipped, err = n, s.insertColumns(ctx, b.Token, "diary_entries", withPositions(diaryColumns(recs), pos, nil))
	case schemas.StreamSurvey:
		recs, pos, n := unstored(b.Surveys, b.Positions, present)
		cols, perResponse := surveyColumns(recs)
		skipped, err = n, s.insertColumns(ctx, b.Token, "survey_answers", withPositions(cols, pos, perResponse))
	case schemas.StreamIntranet:
		recs, pos, n := unstored(b.Intranet, b.Positions, present)
		skipped, err = n, s.insertColumns(ctx, b.Token, "intranet_events", withPositions(intranetColumns(recs), pos, nil))
	case schemas.StreamDeadLetter:
		recs, _, n := unstored(b.DeadLetters, deadLetterPositions(b.DeadLetters), present)
		skipped, err = n, s.insertColumns(ctx, b.Token, "dead_letters", deadLetterColumns(recs))
	default:
		err = schemas.Errorf(schemas.EINVALID, "stream: %q has no table", b.Stream)
	}
	if err != nil {
		return 0, err
	}
	return skipped, s.recordRanges(ctx, b)
}

// presentIn returns the positions of the batch's records that already
// have rows, looking up each partition's span of offsets once.
func (s *Store) presentIn(ctx context.Context, b *ingest.Batch) (map[ingest.Position]bool, error) {
	pos := b.Positions
	if b.Stream == schemas.StreamDeadLetter {
		pos = deadLetterPositions(b.DeadLetters)
	}
	span := map[int32][2]int64{}
	for _, p := range pos {
		r, ok := span[p.Partition]
		if !ok {
			r = [2]int64{p.Offset, p.Offset}
		}
		span[p.Partition] = [2]int64{min(r[0], p.Offset), max(r[1], p.Offset)}
	}
	out := map[ingest.Position]bool{}
	for part, r := range span {
		offs, err := s.presentRange(ctx, b.Stream, int(part), r[0], r[1])
		if err != nil {
			return nil, err
		}
		for o := range offs {
			out[ingest.Position{Partition: part, Offset: o}] = true
		}
	}
	return out, nil
}

// unstored keeps the records whose position is not present, with their
// positions, and counts the others.
func unstored[T any](recs []T, pos []ingest.Position, present map[ingest.Position]bool) ([]T, []ingest.Position, int) {
	if len(present) == 0 {
		return recs, pos, 0
	}
	keep, keepPos := recs[:0:0], pos[:0:0]
	for i, r := range recs {
		if present[pos[i]] {
			continue
		}
		keep, keepPos = append(keep, r), append(keepPos, pos[i])
	}
	return keep, keepPos, len(recs) - len(keep)
}

func deadLetterPositions(recs []ingest.DeadLetterRow) []ingest.Position {
	pos := make([]ingest.Position, len(recs))
	for i, r := range recs {
		pos[i] = ingest.Position{Partition: int32(r.Partition), Offset: r.Offset}
	}
	return pos
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
	ctx = clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{
		"insert_deduplication_token":                         token,
		"deduplicate_blocks_in_dependent_materialized_views": 1,
	}))
	batch, err := s.conn.PrepareBatch(ctx, fmt.Sprintf("INSERT INTO %s (%s)", s.table(table), strings.Join(cols.names, ", ")))
	if err != nil {
		return fmt.Errorf("insert %s: prepare: %w", table, err)
	}
	for i, d := range cols.data {
		if err := batch.Column(i).Append(d); err != nil {
			batch.Abort()
			return fmt.Errorf("insert %s: column %s: %w", table, cols.names[i], err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("insert %d rows into %s: %w", cols.rows, table, err)
	}
	return nil
}

func (s *Store) recordRanges(ctx context.Context, b *ingest.Batch) error {
	n := len(b.Ranges)
	groups, topics, tokens := make([]string, n), make([]string, n), make([]string, n)
	parts, rows := make([]int32, n), make([]uint32, n)
	firsts, lasts := make([]int64, n), make([]int64, n)
	for i, r := range b.Ranges {
		groups[i], topics[i], tokens[i] = b.Group, r.Topic, b.Token
		parts[i], firsts[i], lasts[i], rows[i] = int32(r.Partition), r.First, r.Last, uint32(r.Messages)
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
	return s.insertColumns(ctx, b.Token+"/ranges", "ingest_batches", c)
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

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
