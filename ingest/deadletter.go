package ingest

import (
	"fmt"

	"github.com/bussola-pa/bussola/schemas"
)

// Dead letters keep why a record was refused and what it looked like, but
// nothing that identifies a person: an identifier can hide under any key
// (employee_id in any letter case, employeeId, matricola, codice_fiscale,
// email, a key nested in an object...), so the payload keeps no value
// verbatim except those of the record's own fields that are safe to keep
// and passed their checks. Everything else is described by its type and
// length only. In detail:
//
//   - The top-level fields of the stream's record type named in safeFields
//     (organisational labels, enumerations, timestamps, ratings, the event
//     id) keep their value when it is a short, clean scalar and no error
//     of the record names the field. Free text (diary text, survey texts,
//     page, context), answers and the raw identifier are never kept.
//   - person holds the keyed pseudonym: the one the intake computed from
//     the record's employee_id, or on a topic the record's own person when
//     it is a well-formed pseudonym. Erasure finds dead letters by it.
//   - Every other value becomes "~string(12)", "~number", "~bool",
//     "~null", "~array(3)" or, for an object, its keys with their values
//     described the same way (two levels deep, then "~object(5)").
//   - A key is kept when it names a field of the record (in any letter
//     case) or looks like a field name: letters, '_', '-', '.' or spaces,
//     at most 40 characters, with at most two trailing digits after lower
//     case letters (survey item ids such as comu01). Any other key (one
//     with more digits, an '@', non-letters) may itself be an identifier
//     and becomes "~key(8)", its length.
//   - The payload is at most MaxDeadLetterPayload bytes: keys past the cap
//     are counted in "~omitted". The reasons keep at most
//     maxDeadLetterErrors field errors, their field paths cleaned the same
//     way as keys.
//
// Residual risk, by design: a safe field holding an identifier that passes
// its checks (an org_unit named after a person) is kept, as it would be
// stored in the evidence tables had the record been valid; and a key made
// of letters only (a surname used as a key) is kept as a name.

// MaxDeadLetterPayload caps the redacted payload of a dead letter, in bytes.
const MaxDeadLetterPayload = 2048

// maxDeadLetterErrors caps the field errors a dead letter keeps.
const maxDeadLetterErrors = 20

// safeFields are the fields, per stream, whose values a dead letter keeps.
var safeFields = map[schemas.Stream]map[string]bool{
	schemas.StreamDiary:    fieldSet("date", "lang", "productivity", "work_life_balance", "connection", "tech_problems", "location"),
	schemas.StreamSurvey:   fieldSet("instrument_id", "instrument_version", "wave", "submitted_at"),
	schemas.StreamIntranet: fieldSet("ts", "kind", "section", "device", "remote", "tool", "referent"),
}

// envelopeSafe are the envelope's fields a dead letter keeps.
var envelopeSafe = []string{"event_id", "tenant", "org_unit", "grade", "cohort"}

// recordFields are every field name, per stream, in lower case.
var recordFields = map[schemas.Stream]map[string]bool{
	schemas.StreamDiary:    fieldSet("date", "lang", "text", "productivity", "work_life_balance", "connection", "tech_problems", "location"),
	schemas.StreamSurvey:   fieldSet("instrument_id", "instrument_version", "wave", "submitted_at", "context", "answers", "choices", "texts"),
	schemas.StreamIntranet: fieldSet("ts", "kind", "section", "page", "device", "remote", "tool", "referent"),
}

func fieldSet(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range append(names, "event_id", "tenant", "org_unit", "grade", "cohort", "employee_id", "person") {
		m[n] = true
	}
	return m
}

func init() {
	for _, m := range safeFields {
		for _, f := range envelopeSafe {
			m[f] = true
		}
		delete(m, "employee_id")
		delete(m, "person") // set apart, only as a pseudonym
	}
	// A dead letter of unknown source is redacted knowing every stream's
	// field names, keeping no value.
	all := map[string]bool{}
	for _, s := range schemas.Streams {
		for f := range recordFields[s] {
			all[f] = true
		}
	}
	recordFields[schemas.StreamDeadLetter] = all
}

// redactedDeadLetter fills the payload, reasons and errors of dl from a
// refused record: raw is the record as received, ferrs its errors, person
// its pseudonym when known ("" otherwise).
func redactedDeadLetter(dl *schemas.DeadLetter, stream schemas.Stream, raw []byte, ferrs []schemas.FieldError, person string) {
	dl.Errors = redactErrors(stream, ferrs)
	dl.Reason = ""
	if len(dl.Errors) > 0 {
		dl.Reason = dl.Errors[0].Error()
	}
	dl.Payload = redactPayload(stream, raw, ferrs, person)
}

// redactStoredDeadLetter redacts a dead letter read from the dead-letter
// topic before it is stored. What the service wrote there is redacted
// already and comes out unchanged; whatever else was produced to the topic
// is redacted as a record of unknown stream would be.
func redactStoredDeadLetter(dl *schemas.DeadLetter) {
	const stream = schemas.StreamDeadLetter
	if !schemas.IsTenant(dl.Tenant) {
		dl.Tenant = ""
	}
	if _, ok := schemas.StreamOfTopic(dl.Source); !ok && !isIntakeSource(dl.Source) {
		dl.Source = "unknown"
	}
	dl.Errors = redactErrors(stream, dl.Errors)
	dl.Reason = "no reason given"
	if len(dl.Errors) > 0 {
		dl.Reason = dl.Errors[0].Error()
	}
	if dl.Payload != "" {
		dl.Payload = redactPayload(streamOfSource(dl.Source), []byte(dl.Payload), nil, "")
	}
}

func isIntakeSource(s string) bool {
	for _, r := range Routes {
		if s == "intake "+r {
			return true
		}
	}
	return false
}

// streamOfSource is the stream a dead letter's record belongs to, by its
// source; the dead-letter stream itself when the source is unknown (then
// no value is kept).
func streamOfSource(source string) schemas.Stream {
	for s, r := range Routes {
		if source == "intake "+r {
			return s
		}
	}
	if s, ok := schemas.StreamOfTopic(source); ok {
		return s
	}
	return schemas.StreamDeadLetter
}

// redactErrors returns ferrs with their field paths cleaned, at most
// maxDeadLetterErrors of them (the last one counting the rest).
func redactErrors(stream schemas.Stream, ferrs []schemas.FieldError) []schemas.FieldError {
	out := make([]schemas.FieldError, 0, min(len(ferrs), maxDeadLetterErrors))
	for i, fe := range ferrs {
		if i == maxDeadLetterErrors-1 && len(ferrs) > maxDeadLetterErrors {
			out = append(out, schemas.FieldError{Rule: "omitted", Message: fmt.Sprintf("%d more errors", len(ferrs)-i)})
			break
		}
		fe.Field = redactPath(stream, fe.Field)
		out = append(out, fe)
	}
	return out
}
