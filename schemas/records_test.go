package schemas

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func validDiary() DiaryEntry {
	return DiaryEntry{
		Envelope: Envelope{EventID: "6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41", Tenant: "comune-bologna",
			OrgUnit: "Servizi demografici", Grade: "C", Cohort: "pilot-1", EmployeeID: "E00042"},
		Date: "2025-11-12", Lang: "it", Text: "Giornata produttiva, poche interruzioni.",
		Productivity: 4, WorkLifeBalance: 5, Connection: 3, Location: "home",
	}
}

func fieldRules(err error) map[string]string {
	out := map[string]string{}
	var ve *ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			out[f.Field] = f.Rule
		}
	}
	return out
}

func TestDiaryEntryValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*DiaryEntry)
		stage Stage
		want  map[string]string // field -> rule; empty means valid
	}{
		{"A complete entry at the intake is valid.", func(*DiaryEntry) {}, AtIntake, nil},
		{"A rating of 6 breaks the range rule.", func(d *DiaryEntry) { d.Productivity = 6 }, AtIntake, map[string]string{"productivity": RuleRange}},
		{"A missing rating breaks the range rule.", func(d *DiaryEntry) { d.Connection = 0 }, AtIntake, map[string]string{"connection": RuleRange}},
		{"A date in another format breaks the format rule.", func(d *DiaryEntry) { d.Date = "12/11/2025" }, AtIntake, map[string]string{"date": RuleFormat}},
		{"An unknown location breaks the enum rule.", func(d *DiaryEntry) { d.Location = "beach" }, AtIntake, map[string]string{"location": RuleEnum}},
		{"A non-UUID event id breaks the format rule.", func(d *DiaryEntry) { d.EventID = "42" }, AtIntake, map[string]string{"event_id": RuleFormat}},
		{"A pseudonym sent to the intake is refused.", func(d *DiaryEntry) { d.Person = "0123456789abcdef" }, AtIntake, map[string]string{"person": RuleForbidden}},
		{"A raw identifier on a topic is refused.", func(d *DiaryEntry) {}, OnTopic, map[string]string{"employee_id": RuleRawID, "person": RuleRequired}},
		{"A pseudonymised entry on a topic is valid.", func(d *DiaryEntry) { d.EmployeeID = ""; d.Person = "0123456789abcdef" }, OnTopic, nil},
		{"Several problems are all reported.", func(d *DiaryEntry) { d.Tenant = ""; d.Lang = "fr"; d.Text = strings.Repeat("x", MaxDiaryText+1) }, AtIntake,
			map[string]string{"tenant": RuleRequired, "lang": RuleEnum, "text": RuleMaxLength}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validDiary()
			tt.edit(&d)
			err := d.Validate(tt.stage)
			got := fieldRules(err)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("want %v, got %v (%v)", tt.want, got, err)
			}
			for f, r := range tt.want {
				if got[f] != r {
					t.Errorf("field %s: want rule %s, got %q (%v)", f, r, got[f], err)
				}
			}
		})
	}
}

func TestSurveyAndIntranetValidate(t *testing.T) {
	env := validDiary().Envelope
	s := SurveyResponse{Envelope: env, InstrumentID: "digital-readiness", InstrumentVersion: 1, Wave: "2025-10",
		SubmittedAt: time.Date(2025, 10, 3, 9, 0, 0, 0, time.UTC), Answers: map[string]float64{"dr01": 4}}
	if err := s.Validate(AtIntake, nil); err != nil {
		t.Fatalf("valid survey response: %v", err)
	}
	s.Answers = nil
	s.InstrumentVersion = 0
	got := fieldRules(s.Validate(AtIntake, nil))
	if got["answers"] != RuleRequired || got["instrument_version"] != RuleRange {
		t.Errorf("want answers required and version range, got %v", got)
	}
	s.Answers = map[string]float64{"dr01": 9}
	s.InstrumentVersion = 1
	check := func(r *SurveyResponse) []FieldError {
		return []FieldError{{Field: "answers.dr01", Rule: RuleRange, Message: "must be 1-5"}}
	}
	if got := fieldRules(s.Validate(AtIntake, check)); got["answers.dr01"] != RuleRange {
		t.Errorf("instrument checker errors must be reported, got %v", got)
	}

	e := IntranetEvent{Envelope: env, TS: time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC), Kind: KindCloudTool,
		Section: "strumenti", Device: "laptop"}
	if got := fieldRules(e.Validate(AtIntake)); got["tool"] != RuleRequired || len(got) != 1 {
		t.Errorf("cloud_tool without tool: want tool required only, got %v", got)
	}
	e.Tool = "docs"
	e.Kind = "like"
	if got := fieldRules(e.Validate(AtIntake)); got["kind"] != RuleEnum {
		t.Errorf("unknown kind: want enum, got %v", got)
	}
}

func TestPseudonymizer(t *testing.T) {
	if _, err := NewPseudonymizer([]byte("short")); ErrorCode(err) != EINVALID {
		t.Fatalf("a short secret must be refused, got %v", err)
	}
	p, _ := NewPseudonymizer([]byte("0123456789abcdef0123456789abcdef"))
	q, _ := NewPseudonymizer([]byte("another secret of sufficient size"))
	a := p.Person("comune-bologna", "E00042")
	if len(a) != 16 || a != p.Person("comune-bologna", "E00042") {
		t.Fatalf("pseudonyms must be stable 16-hex strings, got %q", a)
	}
	if a == p.Person("comune-prato", "E00042") {
		t.Error("the same employee id in two tenants must give different pseudonyms")
	}
	if a == q.Person("comune-bologna", "E00042") {
		t.Error("a different secret must give a different pseudonym")
	}
	n, err := ParsePerson(a)
	if err != nil || FormatPerson(n) != a || n != p.PersonID("comune-bologna", "E00042") {
		t.Errorf("ParsePerson/FormatPerson/PersonID disagree: %v %x %s", err, n, a)
	}
}
