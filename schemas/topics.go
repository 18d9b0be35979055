package schemas

import (
	"strings"
	"time"
)

// Stream names one kind of evidence and everything that goes with it: the
// intake route, the Kafka topic and the ClickHouse table.
type Stream string

// The streams.
const (
	StreamDiary      Stream = "diary"
	StreamSurvey     Stream = "survey"
	StreamIntranet   Stream = "intranet"
	StreamDeadLetter Stream = "deadletter"
)

// Streams lists the evidence streams (not the dead-letter stream).
var Streams = []Stream{StreamDiary, StreamSurvey, StreamIntranet}

// Topic returns the Kafka topic of the stream, e.g. "bussola.diary.v1".
func (s Stream) Topic() string { return "bussola." + string(s) + ".v1" }

// EntityTopic returns the stream's topic for one entity (tenant), e.g.
// "bussola.diary.v1.comune-aurelia": systems that write straight to Kafka
// write there with the entity's own account, which may write nothing
// else; Bussola checks each record's tenant against it before the record
// joins the stream's topic.
func (s Stream) EntityTopic(tenant string) string { return s.Topic() + "." + tenant }

// Table returns the ClickHouse table the stream lands in.
func (s Stream) Table() string {
	switch s {
	case StreamDiary:
		return "diary_entries"
	case StreamSurvey:
		return "survey_answers"
	case StreamIntranet:
		return "intranet_events"
	case StreamDeadLetter:
		return "dead_letters"
	}
	return ""
}

// StreamOfTopic is the inverse of Topic and EntityTopic (an evidence
// stream's topic of one valid tenant); ok is false for a foreign topic.
func StreamOfTopic(topic string) (Stream, bool) {
	for _, s := range append(Streams, StreamDeadLetter) {
		if s.Topic() == topic {
			return s, true
		}
	}
	for _, s := range Streams {
		if t, ok := strings.CutPrefix(topic, s.Topic()+"."); ok && IsTenant(t) {
			return s, true
		}
	}
	return "", false
}

// DeadLetter is the message written to the dead-letter topic for a record
// that could not be accepted, by the intake (Source "intake /api/v1/...",
// with the line number) or by a consumer (Source the topic, with partition
// and offset). Payload is the original record with any raw employee
// identifier replaced by its pseudonym; it is left out when the record was
// not even valid JSON, so that an identifier cannot leak through it.
type DeadLetter struct {
	Source          string       `json:"source"`
	SourcePartition int          `json:"source_partition"`
	SourceOffset    int64        `json:"source_offset"`
	SourceLine      int          `json:"source_line,omitempty"`
	Tenant          string       `json:"tenant,omitempty"`
	Reason          string       `json:"reason"`
	Errors          []FieldError `json:"errors,omitempty"`
	Payload         string       `json:"payload,omitempty"`
	At              time.Time    `json:"at"`
}
