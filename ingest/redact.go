package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

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

// redactPath cleans a field path ("texts.q3", "extra[2].note") segment by
// segment, as keys are cleaned.
func redactPath(stream schemas.Stream, path string) string {
	if path == "" {
		return ""
	}
	segs := strings.Split(path, ".")
	for i, s := range segs {
		name, index := s, ""
		if j := strings.IndexByte(s, '['); j > 0 && strings.HasSuffix(s, "]") && isDigits(s[j+1:len(s)-1]) {
			name, index = s[:j], s[j:]
		}
		segs[i] = redactKey(stream, name) + index
	}
	return strings.Join(segs, ".")
}

// redactKey returns k when it names a field of the stream's records or
// looks like a field name, and "~key(n)" (its length) otherwise.
func redactKey(stream schemas.Stream, k string) string {
	if recordFields[stream][strings.ToLower(k)] || isFieldName(k) || isRedactedKey(k) {
		return k
	}
	return "~key(" + strconv.Itoa(utf8.RuneCountInString(k)) + ")"
}

// isFieldName reports whether k looks like the name of a field: letters,
// '_', '-', '.' or spaces, at most 40 bytes, beginning with a letter, and
// at most two trailing digits after lower-case letters.
func isFieldName(k string) bool {
	if k == "" || len(k) > 40 {
		return false
	}
	digits, upper := 0, false
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case 'a' <= c && c <= 'z':
		case 'A' <= c && c <= 'Z':
			upper = true
		case i > 0 && (c == '_' || c == '-' || c == '.' || c == ' '):
		case i > 0 && '0' <= c && c <= '9':
			digits++
			continue
		default:
			return false
		}
		if digits > 0 { // a letter after a digit
			return false
		}
	}
	return digits == 0 || (digits <= 2 && !upper)
}

// isRedactedKey reports whether k is a key this redaction wrote.
func isRedactedKey(k string) bool {
	if k == "~omitted" || k == "~not_json" {
		return true
	}
	rest, ok := strings.CutPrefix(k, "~key(")
	if !ok {
		return false
	}
	n, suffix, _ := strings.Cut(rest, ")")
	return isDigits(n) && (suffix == "" || (strings.HasPrefix(suffix, "#") && isDigits(suffix[1:])))
}

// isDescription reports whether s is a value this redaction wrote.
func isDescription(s string) bool {
	switch s {
	case "~number", "~bool", "~null":
		return true
	}
	for _, p := range []string{"~string(", "~array(", "~object(", "~keys(", "~bytes("} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			n, ok := strings.CutSuffix(rest, ")")
			return ok && isDigits(n)
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// redactPayload returns the redacted JSON payload of a refused record.
func redactPayload(stream schemas.Stream, raw []byte, ferrs []schemas.FieldError, person string) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if dec.Decode(&obj) != nil || obj == nil {
		return fmt.Sprintf(`{"~not_json":"~bytes(%d)"}`, len(raw))
	}
	kept := safeValues(stream, raw, ferrs)
	r := redaction{stream: stream}
	r.buf.WriteByte('{')
	if person != "" || isPseudonym(obj["person"]) {
		if person == "" {
			person = obj["person"].(string)
		}
		r.entry("person", person)
	}
	type key struct{ raw, redacted string }
	keys := make([]key, 0, len(obj))
	for k := range obj {
		if k != "person" {
			keys = append(keys, key{k, redactKey(stream, k)})
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].redacted != keys[j].redacted {
			return keys[i].redacted < keys[j].redacted
		}
		return keys[i].raw < keys[j].raw
	})
	for i, k := range keys {
		v, ok := kept[k.raw]
		if !ok {
			v = r.describe(obj[k.raw], 1)
		}
		if !r.fits(k.redacted, v) {
			v = r.describe(obj[k.raw], 2) // an object's size, not its keys
		}
		if !r.fits(k.redacted, v) {
			r.omitted(len(keys) - i)
			break
		}
		r.entry(k.redacted, v)
	}
	r.buf.WriteByte('}')
	return r.buf.String()
}

// safeValues returns the values of the safe fields of a refused record
// worth keeping: those present under their exact name whose value passes
// the field's own checks. The record's fields (under their exact names,
// each one that decodes on its own) are decoded again into a fresh record
// and validated in full, since the record's own decode may have stopped
// at its first error; a value is kept when it is what its field decoded
// to and no error names the field.
func safeValues(stream schemas.Stream, raw []byte, ferrs []schemas.FieldError) map[string]any {
	newRecord := func() (any, func() error) {
		switch stream {
		case schemas.StreamDiary:
			r := new(schemas.DiaryEntry)
			return r, func() error { return r.Validate(schemas.OnTopic) }
		case schemas.StreamIntranet:
			r := new(schemas.IntranetEvent)
			return r, func() error { return r.Validate(schemas.OnTopic) }
		case schemas.StreamSurvey:
			r := new(schemas.SurveyResponse)
			return r, func() error { return r.Validate(schemas.OnTopic, nil) }
		}
		return nil, nil
	}
	rec, validate := newRecord()
	if rec == nil {
		return nil
	}
	bad := map[string]bool{}
	mark := func(field string) {
		top, _, _ := strings.Cut(field, ".")
		top, _, _ = strings.Cut(top, "[")
		bad[top] = true
	}
	for _, fe := range ferrs {
		mark(fe.Field)
	}
	var present map[string]json.RawMessage
	if json.Unmarshal(raw, &present) != nil {
		return nil
	}
	fields := map[string]json.RawMessage{}
	for k, v := range present {
		if !recordFields[stream][k] { // exact names only
			continue
		}
		one, _ := json.Marshal(map[string]json.RawMessage{k: v})
		if probe, _ := newRecord(); json.Unmarshal(one, probe) != nil {
			mark(k)
			continue
		}
		fields[k] = v
	}
	all, _ := json.Marshal(fields)
	if json.Unmarshal(all, rec) != nil {
		return nil
	}
	var ve *schemas.ValidationError
	if errors.As(validate(), &ve) {
		for _, fe := range ve.Fields {
			mark(fe.Field)
		}
	}
	enc, _ := json.Marshal(rec)
	var decoded map[string]any
	dec := json.NewDecoder(bytes.NewReader(enc))
	dec.UseNumber()
	_ = dec.Decode(&decoded)
	kept := map[string]any{}
	for f := range safeFields[stream] {
		rv, ok := fields[f]
		if !ok || bad[f] {
			continue
		}
		var v any
		d := json.NewDecoder(bytes.NewReader(rv))
		d.UseNumber()
		if d.Decode(&v) == nil && keptValue(v) != nil && v == decoded[f] {
			kept[f] = v
		}
	}
	return kept
}

// redaction writes a redacted payload within MaxDeadLetterPayload bytes.
type redaction struct {
	stream  schemas.Stream
	buf     bytes.Buffer
	entries int
	seen    map[string]int
}

// fits reports whether an entry leaves room for the closing brace and an
// "~omitted" count.
func (r *redaction) fits(k string, v any) bool {
	return r.buf.Len()+len(entryJSON(k, v))+len(`,"~omitted":"~keys(1000000)"}`) <= MaxDeadLetterPayload
}

func (r *redaction) entry(k string, v any) {
	if r.seen == nil {
		r.seen = map[string]int{}
	}
	if n := r.seen[k]; n > 0 { // two keys redacted alike stay apart
		r.seen[k] = n + 1
		k += "#" + strconv.Itoa(n+1)
	} else {
		r.seen[k] = 1
	}
	if r.entries > 0 {
		r.buf.WriteByte(',')
	}
	r.buf.Write(entryJSON(k, v))
	r.entries++
}

func (r *redaction) omitted(n int) {
	if r.entries > 0 {
		r.buf.WriteByte(',')
	}
	fmt.Fprintf(&r.buf, `"~omitted":"~keys(%d)"`, n)
	r.entries++
}

func entryJSON(k string, v any) []byte {
	kb, _ := json.Marshal(k)
	vb, err := json.Marshal(v)
	if err != nil {
		vb = []byte(`"~invalid"`)
	}
	return append(append(kb, ':'), vb...)
}

// describe replaces a value by its type and size; an object keeps its
// keys (cleaned) down to two levels.
func (r *redaction) describe(v any, depth int) any {
	switch x := v.(type) {
	case string:
		if isDescription(x) {
			return x
		}
		return "~string(" + strconv.Itoa(utf8.RuneCountInString(x)) + ")"
	case json.Number:
		return "~number"
	case bool:
		return "~bool"
	case nil:
		return "~null"
	case []any:
		return "~array(" + strconv.Itoa(len(x)) + ")"
	case map[string]any:
		if depth >= 2 {
			return "~object(" + strconv.Itoa(len(x)) + ")"
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(map[string]any, len(x))
		for _, k := range keys {
			rk := redactKey(r.stream, k)
			for n := 2; out[rk] != nil; n++ {
				rk = redactKey(r.stream, k) + "#" + strconv.Itoa(n)
			}
			out[rk] = r.describe(x[k], depth+1)
		}
		return out
	}
	return "~invalid"
}

// keptValue returns v when it is a scalar short and clean enough to keep,
// and nil otherwise.
func keptValue(v any) any {
	switch x := v.(type) {
	case string:
		if len(x) <= 100 && clean(x) {
			return x
		}
	case json.Number:
		if len(x) <= 24 {
			return x
		}
	case bool:
		return x
	}
	return nil
}

// clean reports whether s is valid UTF-8 without control characters.
func clean(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 || (r >= 0x7f && r <= 0x9f) {
			return false
		}
	}
	return true
}

func isPseudonym(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	_, err := schemas.ParsePerson(s)
	return err == nil
}
