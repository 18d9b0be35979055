package ingest

import (
	"context"

	"github.com/bussola-pa/bussola/schemas"
)

// Sink is where the consumers put what they read: an analytical store
// (ClickHouse in Bussola). Implementations must make Insert of the same
// Batch (same Token) idempotent, and record Ranges so that Watermark can
// answer after a restart.
type Sink interface {
	// Insert stores every record of b and then records b.Ranges.
	Insert(ctx context.Context, b *Batch) error
	// Watermark returns the highest offset of topic's partition that the
	// consumer group has inserted, or -1 when it has inserted none.
	Watermark(ctx context.Context, group, topic string, partition int) (int64, error)
}

// Batch is what one consumer flush inserts: the valid records of one
// stream read from a set of partition ranges.
type Batch struct {
	Stream schemas.Stream
	Group  string
	// Token identifies the batch for insert deduplication: the same Kafka
	// ranges always give the same token.
	Token string
	// Exactly one of these is filled, by Stream.
	Diary       []*schemas.DiaryEntry
	Surveys     []*schemas.SurveyResponse
	Intranet    []*schemas.IntranetEvent
	DeadLetters []DeadLetterRow
	// Ranges are the Kafka offsets the batch covers, per partition.
	Ranges []Range
}

// Range is a contiguous run of offsets of one partition.
type Range struct {
	Topic     string
	Partition int
	First     int64
	Last      int64
	Messages  int
}

// DeadLetterRow is a dead letter as stored, with its own place in the
// dead-letter topic as identity.
type DeadLetterRow struct {
	schemas.DeadLetter
	Partition int
	Offset    int64
}

// Len is the number of rows the batch carries (survey responses count once).
func (b *Batch) Len() int {
	return len(b.Diary) + len(b.Surveys) + len(b.Intranet) + len(b.DeadLetters)
}
