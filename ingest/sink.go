package ingest

import (
	"context"

	"github.com/bussola-pa/bussola/schemas"
)

// Sink is where the consumers put what they read: an analytical store
// (ClickHouse in Bussola). Insert must be idempotent per Kafka message: it
// stores each record with its position (Positions) and skips the records
// whose position is already stored, so a batch inserted again after a
// retry or a crash lands exactly once.
type Sink interface {
	// Insert stores the records of b not stored yet and says which it
	// left out.
	Insert(ctx context.Context, b *Batch) (Inserted, error)
}

// Inserted counts the records of a batch a sink did not insert.
type Inserted struct {
	// AlreadyStored records were in storage before (a retry, a re-delivery).
	AlreadyStored int
	// Erased records belong to a person whose data was erased: Kafka still
	// held them, storage must not have them again.
	Erased int
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
	// Positions[i] is the Kafka message of the i-th record (dead letters
	// carry their own).
	Positions []Position
	// Ranges are the Kafka offsets the batch covers, per partition.
	Ranges []Range
}

// Position is where a record was read from.
type Position struct {
	Partition int32
	Offset    int64
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
