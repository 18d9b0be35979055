package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/schemas"
)

func TestCodecDecode(t *testing.T) {
	const ok = `{"event_id":"6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41","tenant":"comune-aurelia","org_unit":"Tributi","grade":"C","cohort":"pilot-1","employee_id":"AUR-1","ts":"2025-11-03T09:00:00Z","kind":"page_view","section":"notizie","device":"desktop"}`
	tests := []struct {
		name, line, field, rule string
	}{
		{"A valid event decodes.", ok, "", ""},
		{"An unknown field is named.", ok[:len(ok)-1] + `,"colour":"red"}`, "colour", schemas.RuleUnknown},
		{"A string where a boolean belongs names the field.", ok[:len(ok)-1] + `,"remote":"yes"}`, "remote", schemas.RuleFormat},
		{"A malformed timestamp names the timestamp field.", `{"ts":"yesterday"}`, "ts", schemas.RuleFormat},
		{"Broken JSON is a syntax error.", `{"tenant":`, "", schemas.RuleSyntax},
		{"Two objects on one line are refused.", ok + ok, "", schemas.RuleSyntax},
		{"A rule broken after decoding is reported.", ok[:len(ok)-1] + `,"kind":"like"}`, "kind", schemas.RuleEnum},
	}
	c := codec{stream: schemas.StreamIntranet}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, _, errs := c.decode([]byte(tt.line), schemas.AtIntake, nil)
			if tt.rule == "" {
				if len(errs) > 0 || rec == nil {
					t.Fatalf("want valid, got %+v", errs)
				}
				return
			}
			if len(errs) == 0 {
				t.Fatal("want an error")
			}
			if errs[0].Field != tt.field || errs[0].Rule != tt.rule {
				t.Errorf("want %s/%s, got %+v", tt.field, tt.rule, errs)
			}
		})
	}
}

func TestBatchToken(t *testing.T) {
	a := batchToken("g", []Range{{Topic: "t", Partition: 0, First: 1, Last: 9}})
	if a != batchToken("g", []Range{{Topic: "t", Partition: 0, First: 1, Last: 9}}) {
		t.Error("the same ranges must give the same token")
	}
	if a == batchToken("g", []Range{{Topic: "t", Partition: 0, First: 1, Last: 10}}) || a == batchToken("h", []Range{{Topic: "t", Partition: 0, First: 1, Last: 9}}) {
		t.Error("other ranges or another group must give another token")
	}
}

// TestFastDecoderAgrees checks that the fast decoder yields exactly what
// encoding/json yields on every generated record of every stream, and that
// the intake's encoding is byte for byte encoding/json's.
func TestFastDecoderAgrees(t *testing.T) {
	n := 0
	err := synth.Generate(synth.Config{Seed: 5, Scale: 0.005}, func(s schemas.Stream, line []byte) error {
		n++
		c := codec{stream: s}
		fast, _, errs := c.decode(line, schemas.AtIntake, nil)
		if len(errs) > 0 {
			t.Fatalf("%s line %d: %+v", s, n, errs)
		}
		std, _ := c.newRecord()
		if fe := c.strictDecode(line, std); fe != nil {
			t.Fatalf("%s line %d: %+v", s, n, fe)
		}
		if !reflect.DeepEqual(fast, std) {
			t.Fatalf("%s line %d: fast decoder gives %+v, encoding/json %+v", s, n, fast, std)
		}
		a, err1 := marshalRecord(fast)
		b, err2 := json.Marshal(std)
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Fatalf("%s line %d: encodings differ (%v %v)\n%s\n%s", s, n, err1, err2, a, b)
		}
		return nil
	})
	if err != nil || n < 1000 {
		t.Fatalf("generated %d records: %v", n, err)
	}
}

func TestCodecRetention(t *testing.T) {
	c := codec{stream: schemas.StreamIntranet, retention: 30 * 24 * time.Hour}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	line := func(ts time.Time) []byte {
		return fmt.Appendf(nil, `{"event_id":"6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41","tenant":"comune-aurelia","org_unit":"Tributi","grade":"C","cohort":"pilot-1","employee_id":"AUR-1","ts":%q,"kind":"page_view","section":"notizie","device":"desktop"}`,
			ts.Format(time.RFC3339))
	}
	t.Run("OK the oldest day the tables keep is taken", func(t *testing.T) {
		if _, _, errs := c.decode(line(today.AddDate(0, 0, -29)), schemas.AtIntake, nil); len(errs) > 0 {
			t.Errorf("want valid, got %+v", errs)
		}
	})
	t.Run("ErrRetention for the day before, naming the field", func(t *testing.T) {
		_, _, errs := c.decode(line(today.AddDate(0, 0, -29).Add(-time.Second)), schemas.AtIntake, nil)
		if len(errs) != 1 || errs[0].Field != "ts" || errs[0].Rule != schemas.RuleRetention {
			t.Errorf("want ts/retention, got %+v", errs)
		}
	})
	t.Run("OK without a retention every valid record is taken", func(t *testing.T) {
		keep := codec{stream: schemas.StreamIntranet}
		if _, _, errs := keep.decode(line(today.AddDate(-5, 0, 0)), schemas.AtIntake, nil); len(errs) > 0 {
			t.Errorf("want valid, got %+v", errs)
		}
	})
}
