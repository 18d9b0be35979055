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

// The redacted payload of a dead letter; deadletter.go says what it keeps
// and why, redactkeys.go how keys and descriptions are written.

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
