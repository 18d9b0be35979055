package ingest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/schemas"
)

const fastEvent = `{"event_id":"6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41","tenant":"comune-aurelia","org_unit":"Tributi","grade":"C","cohort":"pilot-1","person":"0123456789abcdef","ts":"2025-11-03T09:00:00.5+01:00","kind":"page_view","section":"notizie","page":"/notizie/è-arrivato","device":"desktop","remote":true,"referent":false}`

// agreesWithStd checks the fast decoder's promise on one input: what it
// accepts, encoding/json (strict) accepts and decodes to the same record.
func agreesWithStd(t *testing.T, line string) (accepted bool) {
	t.Helper()
	var fast schemas.IntranetEvent
	if !decodeIntranetFast([]byte(line), &fast, interner{}) {
		return false
	}
	c := codec{stream: schemas.StreamIntranet}
	var std schemas.IntranetEvent
	if fe := c.strictDecode([]byte(line), &std); fe != nil {
		t.Fatalf("the fast decoder accepted what encoding/json refuses (%+v): %s", fe, line)
	}
	if !reflect.DeepEqual(fast, std) {
		t.Fatalf("decoders differ on %s\nfast %+v\nstd  %+v", line, fast, std)
	}
	return true
}

func TestDecodeIntranetFast(t *testing.T) {
	accept := []string{
		fastEvent,
		" \t\r\n" + fastEvent + " \n",
		`{}`,
		`{ "tenant" : "a" , "remote" : false }`,
		`{"tenant":"a","tenant":"b"}`, // the last one wins, as in encoding/json
		`{"ts":"2025-11-03T09:00:00Z","employee_id":"AUR-1"}`,
	}
	for _, line := range accept {
		if !agreesWithStd(t, line) {
			t.Errorf("the fast decoder must take %s", line)
		}
	}
	refuse := map[string]string{
		"an escaped character":  strings.Replace(fastEvent, "notizie\"", `noti\"zie"`, 1),
		"a unicode escape":      `{"tenant":"\u0061"}`,
		"a null":                `{"page":null}`,
		"a number":              `{"remote":1}`,
		"a string flag":         `{"remote":"true"}`,
		"a key in another case": `{"Tenant":"a"}`,
		"an unknown key":        `{"colour":"red"}`,
		"an object value":       `{"page":{"a":1}}`,
		"a literal running on":  `{"remote":truex}`,
		"trailing data":         fastEvent + `{}`,
		"a trailing comma":      `{"tenant":"a",}`,
		"a truncated object":    `{"tenant":"a"`,
		"invalid UTF-8":         "{\"page\":\"\xff\"}",
		"a control character":   "{\"page\":\"a\tb\"}",
		"a malformed timestamp": `{"ts":"yesterday"}`,
		"not an object":         `["tenant"]`,
		"an empty line":         ``,
	}
	for why, line := range refuse {
		if agreesWithStd(t, line) {
			t.Errorf("the fast decoder must leave %s to the general decoders: %s", why, line)
		}
	}
}

// TestDecodeIntranetFastTakesGeneratedEvents checks that the fast path is
// the one taken for the demo's events, in both forms (at the intake, with
// the raw identifier, and on the topic, with the pseudonym).
func TestDecodeIntranetFastTakesGeneratedEvents(t *testing.T) {
	names := interner{}
	p, _ := schemas.NewPseudonymizer([]byte("a test secret of at least 32 bytes"))
	n := 0
	err := synth.Generate(synth.Config{Seed: 3, Scale: 0.002, Streams: []schemas.Stream{schemas.StreamIntranet}}, func(_ schemas.Stream, line []byte) error {
		n++
		if !agreesWithStd(t, string(line)) {
			t.Fatalf("line %d took the slow path: %s", n, line)
		}
		var r schemas.IntranetEvent
		_ = decodeIntranetFast(line, &r, names)
		r.Person, r.EmployeeID = p.Person(r.Tenant, r.EmployeeID), ""
		topic, err := marshalRecord(&r)
		if err != nil {
			return err
		}
		if !agreesWithStd(t, string(topic)) {
			t.Fatalf("topic form of line %d took the slow path: %s", n, topic)
		}
		return nil
	})
	if err != nil || n < 1000 {
		t.Fatalf("generated %d events: %v", n, err)
	}
	if len(names) == 0 || len(names) > maxInterned {
		t.Errorf("the interner holds %d values", len(names))
	}
}

func FuzzDecodeIntranetFast(f *testing.F) {
	f.Add(fastEvent)
	f.Add(`{"tenant":"a","remote":true}`)
	f.Add(`{"page":"\u00e8"}`)
	f.Add(`{"ts":"2025-11-03T24:00:00Z"}`)
	f.Fuzz(func(t *testing.T, line string) { agreesWithStd(t, line) })
}
