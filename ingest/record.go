package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/bussola-pa/bussola/schemas"
)

// codec knows how to decode and validate the records of one stream.
type codec struct {
	stream schemas.Stream
	check  schemas.InstrumentChecker
	// retention, when set, refuses records about a moment older than it:
	// the tables' TTL would delete them on arrival, unseen.
	retention time.Duration
}

// decode parses one JSON object strictly (unknown fields are errors) into
// the stream's record type and validates it at the given stage. It returns
// the record, its envelope, and the field errors (nil when valid). Records
// decoded with the same interner share their repeated string values.
func (c codec) decode(data []byte, stage schemas.Stage, in interner) (any, *schemas.Envelope, []schemas.FieldError) {
	rec, env := c.newRecord()
	if rec == nil {
		return nil, nil, []schemas.FieldError{{Field: "", Rule: schemas.RuleFormat, Message: "unknown stream " + string(c.stream)}}
	}
	// A string that is not valid UTF-8 would decode with U+FFFD in place
	// of its bytes: refuse it, naming the field. The record is still
	// decoded, for its envelope (tenant, employee_id), as far as it goes.
	if fe := invalidUTF8(data); fe != nil {
		_ = c.strictDecode(data, rec)
		return nil, env, []schemas.FieldError{*fe}
	}
	// Three decoders, fastest first. An intranet event in its common form
	// takes the hand-written path; goccy/go-json decodes the others about
	// four times faster than encoding/json. A record either refuses is
	// decoded again, into a fresh value, by encoding/json, which has the
	// last word and says precisely which field broke which rule.
	ev, isEvent := rec.(*schemas.IntranetEvent)
	if !isEvent || !decodeIntranetFast(data, ev, in) {
		rec, env = c.newRecord()
		fast := gojson.NewDecoder(bytes.NewReader(data))
		fast.DisallowUnknownFields()
		if fast.Decode(rec) != nil || fast.More() {
			rec, env = c.newRecord()
			if fe := c.strictDecode(data, rec); fe != nil {
				return nil, env, []schemas.FieldError{*fe}
			}
		}
	}
	var err error
	switch r := rec.(type) {
	case *schemas.DiaryEntry:
		err = r.Validate(stage)
	case *schemas.SurveyResponse:
		err = r.Validate(stage, c.check)
	case *schemas.IntranetEvent:
		err = r.Validate(stage)
	}
	if err != nil {
		var ve *schemas.ValidationError
		if errors.As(err, &ve) {
			return nil, env, ve.Fields
		}
		return nil, env, []schemas.FieldError{{Rule: schemas.RuleFormat, Message: err.Error()}}
	}
	if fe := c.checkRetention(rec); fe != nil {
		return nil, env, []schemas.FieldError{*fe}
	}
	return rec, env, nil
}

// checkRetention refuses a record about a moment before the retention
// period: stored, it would be deleted at once by the tables' TTL, which
// counts from the day a record is about.
func (c codec) checkRetention(rec any) *schemas.FieldError {
	if c.retention <= 0 {
		return nil
	}
	var field string
	var at time.Time
	switch r := rec.(type) {
	case *schemas.DiaryEntry:
		field = "date"
		at, _ = time.Parse(time.DateOnly, r.Date) // validated
	case *schemas.SurveyResponse:
		field, at = "submitted_at", r.SubmittedAt
	case *schemas.IntranetEvent:
		field, at = "ts", r.TS
	default:
		return nil
	}
	// The TTL is toDate(column) + days: a row expires once that day has
	// begun, so the oldest day kept is today - days + 1 (UTC, the engine's
	// time zone).
	days := int(c.retention / (24 * time.Hour))
	oldest := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1-days)
	if !at.Before(oldest) {
		return nil
	}
	return &schemas.FieldError{Field: field, Rule: schemas.RuleRetention,
		Message: fmt.Sprintf("is before %s, outside the retention period of %d days: it would be deleted on arrival", oldest.Format(time.DateOnly), days)}
}

// newRecord returns a fresh record of the stream's type and its envelope.
func (c codec) newRecord() (any, *schemas.Envelope) {
	switch c.stream {
	case schemas.StreamDiary:
		r := new(schemas.DiaryEntry)
		return r, &r.Envelope
	case schemas.StreamSurvey:
		r := new(schemas.SurveyResponse)
		return r, &r.Envelope
	case schemas.StreamIntranet:
		r := new(schemas.IntranetEvent)
		return r, &r.Envelope
	}
	return nil, nil
}

// strictDecode decodes data into rec with encoding/json, refusing unknown
// fields and trailing data; nil means the record decoded.
func (c codec) strictDecode(data []byte, rec any) *schemas.FieldError {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(rec); err != nil {
		fe := c.jsonFieldError(err)
		return &fe
	}
	if dec.More() {
		return &schemas.FieldError{Rule: schemas.RuleSyntax, Message: "one JSON object per line expected; found more data after it"}
	}
	return nil
}

// jsonFieldError turns an encoding/json error into a FieldError that names
// the field where it can.
func (c codec) jsonFieldError(err error) schemas.FieldError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tpe *time.ParseError
	msg := err.Error()
	switch {
	case errors.As(err, &syn):
		return schemas.FieldError{Rule: schemas.RuleSyntax, Message: fmt.Sprintf("invalid JSON at byte %d: %s", syn.Offset, syn.Error())}
	case errors.As(err, &typ):
		// Value is "number 123" for a number out of range: keep the kind
		// only, since the number itself may be an identifier.
		got, _, _ := strings.Cut(typ.Value, " ")
		return schemas.FieldError{Field: typ.Field, Rule: schemas.RuleFormat, Message: fmt.Sprintf("must be a JSON %s, got %s", jsonKind(typ.Type.Kind().String()), got)}
	case strings.HasPrefix(msg, "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
		return schemas.FieldError{Field: f, Rule: schemas.RuleUnknown, Message: "is not a field of this record"}
	case errors.As(err, &tpe):
		return schemas.FieldError{Field: c.timeField(), Rule: schemas.RuleFormat, Message: "must be an RFC 3339 timestamp such as 2025-11-03T09:15:00Z"}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return schemas.FieldError{Rule: schemas.RuleSyntax, Message: "empty or truncated JSON object"}
	}
	return schemas.FieldError{Rule: schemas.RuleSyntax, Message: msg}
}

func jsonKind(k string) string {
	switch k {
	case "int", "int64", "float64":
		return "number"
	case "bool":
		return "boolean"
	case "map":
		return "object"
	}
	return k
}

// timeField names the stream's timestamp field: each record type has one.
func (c codec) timeField() string {
	if c.stream == schemas.StreamSurvey {
		return "submitted_at"
	}
	return "ts"
}

// marshalRecord encodes a record for its topic: the same bytes as
// encoding/json, faster.
func marshalRecord(rec any) ([]byte, error) { return gojson.Marshal(rec) }
