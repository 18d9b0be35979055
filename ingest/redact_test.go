package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/schemas"
)

// identifierVariants are the ways a producer may send a raw identifier:
// the record's own field in other letter cases, other spellings of it,
// other identifiers, nested in objects and arrays, and as a key. Each
// entry is the JSON text to add to a record, with %s for the identifier.
var identifierVariants = []struct{ name, field string }{
	{"employee_id", `"employee_id":%q`},
	{"EMPLOYEE_ID", `"EMPLOYEE_ID":%q`},
	{"Employee_ID", `"Employee_ID":%q`},
	{"employeeId", `"employeeId":%q`},
	{"EmployeeID", `"EmployeeID":%q`},
	{"employee id", `"employee id":%q`},
	{"Employee-Id", `"Employee-Id":%q`},
	{"person_id", `"person_id":%q`},
	{"PERSON_ID", `"PERSON_ID":%q`},
	{"matricola", `"matricola":%q`},
	{"Matricola", `"Matricola":%q`},
	{"codice_fiscale", `"codice_fiscale":%q`},
	{"CODICE_FISCALE", `"CODICE_FISCALE":%q`},
	{"email", `"email":%q`},
	{"E-Mail", `"E-Mail":%q`},
	{"nested object", `"extra":{"EMPLOYEE_ID":%q}`},
	{"nested twice", `"meta":{"hr":{"Employee_ID":%q}}`},
	{"in an array of objects", `"extra":[{"matricola":%q}]`},
	{"in an array", `"ids":[%q]`},
	{"under an unrelated key", `"note":%q`},
	{"as a key", `%q:1`},
	{"as a nested key", `"answers_by_person":{%q:1}`},
}

const (
	intakeEvent = `{"event_id":"6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41","tenant":"comune-aurelia","org_unit":"Tributi","grade":"C","cohort":"pilot-1","ts":"2025-11-03T09:00:00Z","kind":"page_view","section":"notizie","device":"toaster",`
	topicEvent  = `{"event_id":"6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41","tenant":"comune-aurelia","org_unit":"Tributi","grade":"C","cohort":"pilot-1","person":"0123456789abcdef","ts":"2025-11-03T09:00:00Z","kind":"page_view","section":"notizie","device":"desktop",`
)

func testIntake(t testing.TB) *Intake {
	t.Helper()
	p, _ := schemas.NewPseudonymizer([]byte("0123456789abcdef0123456789abcdef"))
	in, err := NewIntake(IntakeConfig{Pseudonyms: p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// holdsIdentifier reports whether b holds id as written or JSON-escaped.
func holdsIdentifier(b []byte, id string) bool {
	esc, _ := json.Marshal(id)
	return bytes.Contains(b, []byte(id)) || bytes.Contains(b, esc[1:len(esc)-1]) ||
		bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(id)))
}

func TestDeadLettersKeepNoIdentifier(t *testing.T) {
	in := testIntake(t)
	cons := &Consumer{cfg: ConsumerConfig{Stream: schemas.StreamIntranet}.withDefaults(), codec: codec{stream: schemas.StreamIntranet}}
	for i, v := range identifierVariants {
		id := fmt.Sprintf("AUR-%04d-XQ", i)
		t.Run("OK intake, "+v.name, func(t *testing.T) {
			line := intakeEvent + fmt.Sprintf(v.field, id) + "}"
			res := in.process(codec{stream: schemas.StreamIntranet}, "/api/v1/events", "comune-aurelia", []byte(line), false)
			if res.rejected != 1 || len(res.msgs) != 1 {
				t.Fatalf("want one dead letter, got %+v", res)
			}
			checkDeadLetter(t, res.msgs[0], id)
		})
		t.Run("OK topic, "+v.name, func(t *testing.T) {
			line := topicEvent + fmt.Sprintf(v.field, id) + "}"
			dl, ok := cons.add(&Batch{}, kafka.Message{Topic: schemas.StreamIntranet.Topic(), Value: []byte(line)}, interner{})
			if ok {
				t.Fatal("a record with a raw identifier was taken")
			}
			checkDeadLetter(t, dl, id)
		})
	}
}

func checkDeadLetter(t *testing.T, m kafka.Message, id string) {
	t.Helper()
	if holdsIdentifier(m.Value, id) || holdsIdentifier(m.Key, id) {
		t.Fatalf("the dead letter keeps the raw identifier %s: %s", id, m.Value)
	}
	var dl schemas.DeadLetter
	if err := json.Unmarshal(m.Value, &dl); err != nil {
		t.Fatal(err)
	}
	if dl.Reason == "" || len(dl.Errors) == 0 || dl.Errors[0].Rule == "" {
		t.Errorf("the dead letter lost its reasons: %s", m.Value)
	}
	if !json.Valid([]byte(dl.Payload)) || !strings.Contains(dl.Payload, `"section":"notizie"`) {
		t.Errorf("the payload should keep the record's safe fields: %s", dl.Payload)
	}
}

// TestIntakeDeadLetterNamesThePseudonym: erasure finds a dead letter by the
// pseudonym of the record's employee_id, whatever its letter case.
func TestIntakeDeadLetterNamesThePseudonym(t *testing.T) {
	in := testIntake(t)
	for _, key := range []string{"employee_id", "EMPLOYEE_ID", "Employee_ID"} {
		line := intakeEvent + fmt.Sprintf(`%q:"AUR-0042"}`, key)
		res := in.process(codec{stream: schemas.StreamIntranet}, "/api/v1/events", "comune-aurelia", []byte(line), false)
		want := `\"person\":\"` + in.cfg.Pseudonyms.Person("comune-aurelia", "AUR-0042") + `\"`
		if len(res.msgs) != 1 || !strings.Contains(string(res.msgs[0].Value), want) {
			t.Errorf("%s: the dead letter should name %s: %+v", key, want, res.msgs)
		}
	}
}

// TestDeadLetterTopicRedacted: a dead letter produced straight to the
// dead-letter topic is redacted before it is stored; one the service wrote
// is stored unchanged.
func TestDeadLetterTopicRedacted(t *testing.T) {
	cons := &Consumer{cfg: ConsumerConfig{Stream: schemas.StreamDeadLetter}.withDefaults()}
	forged := `{"source":"AUR-0042","tenant":"AUR-0042","reason":"AUR-0042","errors":[{"field":"AUR-0042","rule":"x","message":"m"}],"payload":"{\"matricola\":\"AUR-0042\"}"}`
	b := &Batch{}
	cons.add(b, kafka.Message{Value: []byte(forged)}, nil)
	got, _ := json.Marshal(b.DeadLetters)
	if holdsIdentifier(got, "AUR-0042") {
		t.Errorf("a forged dead letter was stored with the identifier: %s", got)
	}

	in := testIntake(t)
	res := in.process(codec{stream: schemas.StreamIntranet}, "/api/v1/events", "comune-aurelia", []byte(intakeEvent+`"employee_id":"AUR-1","x":{"y":{"z":1}},"Q12345":2}`), false)
	var sent schemas.DeadLetter
	_ = json.Unmarshal(res.msgs[0].Value, &sent)
	b = &Batch{}
	cons.add(b, res.msgs[0], nil)
	if stored := b.DeadLetters[0].DeadLetter; stored.Payload != sent.Payload || stored.Reason != sent.Reason {
		t.Errorf("the service's dead letter changed when stored:\nsent   %+v\nstored %+v", sent, stored)
	}
}

func TestDeadLetterPayloadCapped(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(intakeEvent + `"employee_id":"AUR-1","big":"` + strings.Repeat("x", 100_000) + `"`)
	for i := range 500 {
		fmt.Fprintf(&sb, `,"field_%c%c":{"a":%d,"b":"%s"}`, 'a'+i%26, 'a'+i/26, i, strings.Repeat("y", i))
	}
	sb.WriteString(`,"answers":{`)
	for i := range 300 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `"q%d":%d`, i, i)
	}
	sb.WriteString("}}")
	in := testIntake(t)
	res := in.process(codec{stream: schemas.StreamIntranet}, "/api/v1/events", "comune-aurelia", []byte(sb.String()), false)
	var dl schemas.DeadLetter
	if err := json.Unmarshal(res.msgs[0].Value, &dl); err != nil {
		t.Fatal(err)
	}
	if len(dl.Payload) > MaxDeadLetterPayload || !json.Valid([]byte(dl.Payload)) || !strings.Contains(dl.Payload, `"~omitted"`) {
		t.Errorf("want a valid payload of at most %d bytes counting what it omits, got %d bytes: %.200s", MaxDeadLetterPayload, len(dl.Payload), dl.Payload)
	}
	if len(res.msgs[0].Value) > 2*MaxDeadLetterPayload+4096 {
		t.Errorf("the dead letter is %d bytes", len(res.msgs[0].Value))
	}

	survey := `{"event_id":"6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41","tenant":"comune-aurelia","org_unit":"Tributi","grade":"C","cohort":"pilot-1","employee_id":"AUR-1","instrument_id":"x","instrument_version":1,"wave":"w","submitted_at":"2025-11-03T09:00:00Z","answers":{`
	for i := range 200 {
		if i > 0 {
			survey += ","
		}
		survey += fmt.Sprintf(`"q%d":1e400`, i)
	}
	survey += "}}"
	res = in.process(codec{stream: schemas.StreamSurvey}, "/api/v1/surveys/responses", "comune-aurelia", []byte(survey), false)
	_ = json.Unmarshal(res.msgs[0].Value, &dl)
	if len(dl.Errors) > maxDeadLetterErrors {
		t.Errorf("want at most %d errors kept, got %d", maxDeadLetterErrors, len(dl.Errors))
	}
}

func TestRedactKey(t *testing.T) {
	for k, want := range map[string]string{
		"employee_id": "employee_id", "EMPLOYEE_ID": "EMPLOYEE_ID", "employee id": "employee id", "comu01": "comu01",
		"AUR-0042": "~key(8)", "aur-0042": "~key(8)", "RSSMRA80A01H501U": "~key(16)", "mario.rossi@comune.it": "~key(21)",
		"12345": "~key(5)", "Q12": "~key(3)", "~key(4)": "~key(4)", "": "~key(0)",
	} {
		if got := redactKey(schemas.StreamIntranet, k); got != want {
			t.Errorf("%q: want %q, got %q", k, want, got)
		}
	}
}

// TestDeadLetterKeepsOnlyCheckedValues: a safe field keeps its value only
// when the value passes the field's checks, even when the record's decode
// stopped at an earlier error, and not when another letter case of the key
// carries another value.
func TestDeadLetterKeepsOnlyCheckedValues(t *testing.T) {
	in := testIntake(t)
	for name, line := range map[string]string{
		"an enum after an unknown field": intakeEvent[:len(intakeEvent)-len(`"device":"toaster",`)] + `"x":1,"device":"AUR-0042","employee_id":"A"}`,
		"a key in two letter cases":      intakeEvent + `"employee_id":"A","org_unit":"Tributi","ORG_UNIT":"AUR-0042"}`,
		"a wrong type":                   intakeEvent + `"employee_id":"A","remote":"AUR-0042"}`,
	} {
		res := in.process(codec{stream: schemas.StreamIntranet}, "/api/v1/events", "comune-aurelia", []byte(line), false)
		if len(res.msgs) != 1 || holdsIdentifier(res.msgs[0].Value, "AUR-0042") {
			t.Errorf("%s: the dead letter keeps the value: %s", name, res.msgs[0].Value)
		}
	}
}
