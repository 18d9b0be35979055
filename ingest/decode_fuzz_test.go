package ingest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bussola-pa/bussola/schemas"
)

// The intake decoders under fuzzing. In `make test` these run on their
// seeds (and on testdata/fuzz/ when a crasher was kept there); run one for
// longer with e.g. go test -run '^$' -fuzz FuzzCodecDecode -fuzztime 2m ./ingest/

var testTime = time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)

var fuzzStreams = []schemas.Stream{schemas.StreamIntranet, schemas.StreamDiary, schemas.StreamSurvey}

func addDecodeSeeds(f *testing.F) {
	survey := `{"event_id":"6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41","tenant":"comune-aurelia","org_unit":"Tributi","grade":"C","cohort":"pilot-1","employee_id":"AUR-1","instrument_id":"x","instrument_version":1,"wave":"w","submitted_at":"2025-11-03T09:00:00Z","answers":{"q1":3},"texts":{"t1":"due\nrighe"}}`
	for i, line := range []string{fastEvent, diaryLine, survey, intakeEvent + `"EMPLOYEE_ID":"AUR-9"}`, topicEvent + `"Employee_ID":"AUR-9"}`,
		set(diaryLine, "org_unit", `"Tributi\u0000"`), set(diaryLine, "text", "\"caf\xc3\""), `{"a":`, `[]`, `null`, "{\"\xff\":1}"} {
		f.Add([]byte(line), uint8(i), i%2 == 0)
	}
	for i, v := range identifierVariants {
		f.Add([]byte(intakeEvent+fmt.Sprintf(v.field, "AUR-0042")+"}"), uint8(0), true)
		f.Add([]byte(topicEvent+fmt.Sprintf(v.field, "AUR-0042")+"}"), uint8(0), i%2 == 0)
	}
}

// FuzzCodecDecode decodes any line as any stream, at the intake and on a
// topic: it must not panic; what it accepts is valid UTF-8 and encodes to
// valid JSON; what it refuses gives a dead letter within its size caps,
// whose redaction comes out unchanged when the dead letter is stored.
func FuzzCodecDecode(f *testing.F) {
	addDecodeSeeds(f)
	in := testIntake(f)
	f.Fuzz(func(t *testing.T, line []byte, s uint8, atIntake bool) {
		stream := fuzzStreams[int(s)%len(fuzzStreams)]
		stage := schemas.OnTopic
		if atIntake {
			stage = schemas.AtIntake
		}
		c := codec{stream: stream}
		rec, env, ferrs := c.decode(line, stage, interner{})
		if len(ferrs) == 0 {
			if !utf8.Valid(line) {
				t.Fatalf("accepted a line that is not valid UTF-8: %q", line)
			}
			b, err := marshalRecord(rec)
			if err != nil || !json.Valid(b) {
				t.Fatalf("accepted record does not encode: %v %s", err, b)
			}
			return
		}
		source := stream.Topic()
		var msgValue []byte
		if atIntake {
			source = "intake " + Routes[stream]
			msgValue = in.deadLetter(stream, Routes[stream], 1, "comune-aurelia", line, env, ferrs, testTime).Value
		} else {
			dl := schemas.DeadLetter{Source: source, At: testTime}
			redactedDeadLetter(&dl, stream, line, ferrs, "")
			msgValue, _ = json.Marshal(dl)
		}
		var dl schemas.DeadLetter
		if err := json.Unmarshal(msgValue, &dl); err != nil {
			t.Fatal(err)
		}
		if len(dl.Payload) > MaxDeadLetterPayload || !json.Valid([]byte(dl.Payload)) || len(dl.Errors) > maxDeadLetterErrors || dl.Reason == "" {
			t.Fatalf("dead letter out of bounds (%d bytes, %d errors): %s", len(dl.Payload), len(dl.Errors), msgValue)
		}
		stored := dl
		redactStoredDeadLetter(&stored)
		if stored.Payload != dl.Payload || stored.Reason != dl.Reason || stored.Source != source {
			t.Fatalf("storing changed the dead letter:\nsent   %+v\nstored %+v", dl, stored)
		}
	})
}

// FuzzRedactionIgnoresValues puts any value under any key (at the top and
// nested) of a refused record, and checks that the dead letter is the same
// as with another value of the same length: nothing of a value outside the
// record's safe fields reaches it.
func FuzzRedactionIgnoresValues(f *testing.F) {
	for _, k := range []string{"employee_id", "EMPLOYEE_ID", "Employee_ID", "matricola", "email", "note", "AUR-0042", "tenant", "device", "person", "org_unit"} {
		f.Add(k, "AUR-0042", false)
		f.Add(k, "mario.rossi@comune.it", true)
	}
	f.Add("kind", "page_view", false)
	f.Fuzz(func(t *testing.T, key, value string, nested bool) {
		if !utf8.ValidString(key) || !utf8.ValidString(value) || isDescription(value) || key == "person" ||
			strings.Contains(topicEvent, value) {
			t.Skip()
		}
		other := strings.Repeat("Q", utf8.RuneCountInString(value))
		build := func(v string) []byte {
			kv := map[string]any{key: v}
			var field any = kv
			if !nested {
				field = v
			}
			b, _ := json.Marshal(field)
			k, _ := json.Marshal(key)
			if nested {
				return []byte(topicEvent + `"extra":` + string(b) + `}`)
			}
			return []byte(topicEvent[:len(topicEvent)-1] + `,` + string(k) + `:` + string(b) + `,"device":"toaster"}`)
		}
		c := codec{stream: schemas.StreamIntranet}
		redact := func(line []byte) string {
			_, _, ferrs := c.decode(line, schemas.OnTopic, nil)
			dl := schemas.DeadLetter{Source: c.stream.Topic()}
			redactedDeadLetter(&dl, c.stream, line, ferrs, "")
			return dl.Payload
		}
		a, b := redact(build(value)), redact(build(other))
		if safeFields[c.stream][key] {
			return // the field's own value, kept when it passes its checks
		}
		var pa, pb map[string]any
		if json.Unmarshal([]byte(a), &pa) != nil || json.Unmarshal([]byte(b), &pb) != nil || len(pa) != len(pb) {
			t.Fatalf("payloads differ in shape:\n%s\n%s", a, b)
		}
		for k, va := range pa {
			vb := pb[k]
			if fmt.Sprint(va) == fmt.Sprint(vb) {
				continue
			}
			// Whether a safe field keeps the value of the base record may
			// depend on the rest of the record (a key in another letter
			// case decodes into the same field); it never holds the value.
			sa, _ := va.(string)
			sb, _ := vb.(string)
			if safeFields[c.stream][k] && (isDescription(sa) || isDescription(sb)) && !strings.Contains(sa+sb, value) {
				continue
			}
			t.Fatalf("a value under %q reaches the dead letter (at %q):\n%s\n%s", key, k, a, b)
		}
	})
}

// FuzzInvalidUTF8 locates the first invalid byte of any input without
// panicking, and reports an error exactly when the input is not UTF-8.
func FuzzInvalidUTF8(f *testing.F) {
	f.Add([]byte(set(diaryLine, "text", "\"caf\xc3\"")))
	f.Add([]byte("{\"a\":[{\"b\xff\":1}]}"))
	f.Add([]byte("\xff"))
	f.Add([]byte(diaryLine))
	f.Fuzz(func(t *testing.T, data []byte) {
		fe := invalidUTF8(data)
		if (fe != nil) == utf8.Valid(data) {
			t.Fatalf("invalidUTF8 = %+v for valid=%v: %q", fe, utf8.Valid(data), data)
		}
		if fe != nil && (fe.Rule != schemas.RuleUTF8 || fe.MessageIT == "") {
			t.Fatalf("want a utf8 error in both languages, got %+v", fe)
		}
	})
}
