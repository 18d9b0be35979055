package ingest

import (
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/schemas"
)

const diaryLine = `{"event_id":"6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41","tenant":"comune-aurelia","org_unit":"Tributi","grade":"C","cohort":"pilot-1","employee_id":"AUR-1","date":"2025-11-03","lang":"it","text":"ok","productivity":3,"work_life_balance":3,"connection":3,"tech_problems":false,"location":"home"}`

// set replaces the JSON text after "key": up to the next comma with value.
func set(line, key, value string) string {
	i := strings.Index(line, `"`+key+`":`) + len(key) + 3
	j := i + strings.IndexAny(line[i:], ",}")
	return line[:i] + value + line[j:]
}

// TestTextRefusedNamingTheField: invalid UTF-8 and control characters are
// refused with the field and the rule, in Italian and English; what is
// valid (tab and line breaks in free text, a literal U+FFFD) is taken.
func TestTextRefusedNamingTheField(t *testing.T) {
	tests := []struct {
		name, line, field, rule string
	}{
		{"Tab and line breaks in the diary text are taken.", set(diaryLine, "text", `"riga 1\n\triga 2\r\n"`), "", ""},
		{"A replacement character sent as such is taken.", set(diaryLine, "text", "\"\uFFFD e \\ufffd\""), "", ""},
		{"Accented text is taken.", set(diaryLine, "org_unit", `"Ufficio Qualità"`), "", ""},
		{"Invalid UTF-8 in org_unit names org_unit.", set(diaryLine, "org_unit", "\"Trib\xffuti\""), "org_unit", schemas.RuleUTF8},
		{"Invalid UTF-8 in the text names text.", set(diaryLine, "text", "\"caf\xc3\""), "text", schemas.RuleUTF8},
		{"A truncated sequence at the end of a string is caught.", set(diaryLine, "grade", "\"C\xe2\x82\""), "grade", schemas.RuleUTF8},
		{"An escaped NUL in org_unit names org_unit.", set(diaryLine, "org_unit", `"Tributi\u0000"`), "org_unit", schemas.RuleControl},
		{"A line break in org_unit names org_unit.", set(diaryLine, "org_unit", `"Tri\nbuti"`), "org_unit", schemas.RuleControl},
		{"DEL in grade names grade.", set(diaryLine, "grade", `"C\u007f"`), "grade", schemas.RuleControl},
		{"A C1 control in cohort names cohort.", set(diaryLine, "cohort", `"pilot\u0085"`), "cohort", schemas.RuleControl},
		{"An escaped NUL in the diary text names text.", set(diaryLine, "text", `"ok\u0000"`), "text", schemas.RuleControl},
		{"A control character in employee_id names it.", set(diaryLine, "employee_id", `"AUR\u00001"`), "employee_id", schemas.RuleControl},
		{"A raw NUL byte is a JSON syntax error.", set(diaryLine, "org_unit", "\"Trib\x00uti\""), "", schemas.RuleSyntax},
	}
	in := testIntake(t)
	c := codec{stream: schemas.StreamDiary}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := in.process(c, "/api/v1/diary", "comune-aurelia", []byte(tt.line), false)
			if tt.rule == "" {
				if res.accepted != 1 {
					t.Fatalf("want the line taken, got %+v", res.errors)
				}
				return
			}
			if res.accepted != 0 || len(res.errors) == 0 {
				t.Fatalf("want the line refused, got %+v", res)
			}
			e := res.errors[0]
			if e.Field != tt.field || e.Rule != tt.rule {
				t.Errorf("want %s/%s, got %+v", tt.field, tt.rule, res.errors)
			}
			if tt.rule != schemas.RuleSyntax && (e.MessageIT == "" || e.Message == "") {
				t.Errorf("want the message in Italian and English, got %+v", e)
			}
		})
	}
}

func TestTextRefusedInSurveys(t *testing.T) {
	survey := `{"event_id":"6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41","tenant":"comune-aurelia","org_unit":"Tributi","grade":"C","cohort":"pilot-1","employee_id":"AUR-1","instrument_id":"x","instrument_version":1,"wave":"w","submitted_at":"2025-11-03T09:00:00Z","answers":{"q1":3},"texts":{"t1":"due\nrighe"}}`
	c := codec{stream: schemas.StreamSurvey}
	for line, want := range map[string]string{
		survey: "",
		strings.Replace(survey, `"due\nrighe"`, "\"d\xffue\"", 1):           "texts.t1/" + schemas.RuleUTF8,
		strings.Replace(survey, `"t1"`, `"t\u00001"`, 1):                    "texts/" + schemas.RuleControl,
		strings.Replace(survey, `"wave":"w"`, `"wave":"w\t"`, 1):            "wave/" + schemas.RuleControl,
		strings.Replace(survey, `"q1":3`, "\"q\xc01\":3", 1):                "answers/" + schemas.RuleUTF8,
		strings.Replace(survey, `"t1":`, `"extra":{"n":"\u0001"},"t1":`, 1): "texts/" + schemas.RuleFormat,
	} {
		_, _, errs := c.decode([]byte(line), schemas.AtIntake, nil)
		got := ""
		if len(errs) > 0 {
			got = errs[0].Field + "/" + errs[0].Rule
		}
		if got != want {
			t.Errorf("%q: want %q, got %q (%+v)", line, want, got, errs)
		}
	}
}

func TestFieldAt(t *testing.T) {
	for _, tt := range []struct {
		json, needle, want string
	}{
		{`{"a":"x","b":"NEEDLE"}`, "NEEDLE", "b"},
		{`{"a":{"b":[1,{"c":"NEEDLE"}]}}`, "NEEDLE", "a.b[1].c"},
		{`{"a":[["x"],["y","NEEDLE"]]}`, "NEEDLE", "a[1][1]"},
		{`{"a":{"NEEDLE":1}}`, "NEEDLE", "a"},
		{`{"NEEDLE":1}`, "NEEDLE", ""},
		{`{"a":1,"b":true,"c":null,"d":"NEEDLE"}`, "NEEDLE", "d"},
	} {
		if got := fieldAt([]byte(tt.json), strings.Index(tt.json, tt.needle)+2); got != tt.want {
			t.Errorf("%s: want %q, got %q", tt.json, tt.want, got)
		}
	}
}
