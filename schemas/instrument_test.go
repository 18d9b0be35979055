package schemas

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestBuiltinInstruments(t *testing.T) {
	list, err := BuiltinInstruments()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"digital-readiness": 30, "digital-attitude": 16, "change-readiness": 5, "comm-status": 20, "page-feedback": 3}
	if len(list) != len(want) {
		t.Fatalf("got %d instruments, want %d", len(list), len(want))
	}
	for id, n := range want {
		in, ok := FindInstrument(list, id, 1)
		if !ok {
			t.Errorf("instrument %s@1 is missing", id)
			continue
		}
		if len(in.Items) != n {
			t.Errorf("%s has %d items, want %d", id, len(in.Items), n)
		}
	}
	t.Run("digital readiness covers the five Syllabus areas with reversed items", func(t *testing.T) {
		in, _ := FindInstrument(list, "digital-readiness", 1)
		if len(in.Dimensions) != 5 {
			t.Fatalf("%d dimensions, want 5", len(in.Dimensions))
		}
		rev := 0
		for _, d := range in.Dimensions {
			if d.Syllabus == "" || d.DigComp == "" {
				t.Errorf("dimension %s lacks its Syllabus or DigComp mapping", d.ID)
			}
			for _, it := range in.DimensionItems(d.ID) {
				if it.Reversed {
					rev++
				}
			}
		}
		if rev == 0 {
			t.Error("no reversed item")
		}
	})
	t.Run("attitude has two enabling and two inhibiting dimensions", func(t *testing.T) {
		in, _ := FindInstrument(list, "digital-attitude", 1)
		poles := map[string]int{}
		for _, d := range in.Dimensions {
			poles[d.Pole]++
		}
		if poles["enabling"] != 2 || poles["inhibiting"] != 2 {
			t.Errorf("poles = %v", poles)
		}
	})
	t.Run("page feedback limits the comment to 200 characters", func(t *testing.T) {
		in, _ := FindInstrument(list, "page-feedback", 1)
		it, ok := in.Item("comment")
		if !ok || it.MaxLength != 200 || it.ItemType() != ItemText {
			t.Errorf("comment item = %+v", it)
		}
	})
}

const goodInstrument = `{"id":"mini","version":2,"kind":"likert","title":{"it":"Mini","en":"Mini"},
 "scale":{"min":1,"max":5},"dimensions":[{"id":"d","title":{"it":"D","en":"D"}}],
 "items":[{"id":"q1","dimension":"d","text":{"it":"a","en":"a"}},{"id":"q2","dimension":"d","reversed":true,"text":{"it":"b","en":"b"}}]}`

func TestParseInstrument(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		wantErr string
	}{
		{"A minimal valid definition loads.", goodInstrument, ""},
		{"An item naming an undefined dimension is rejected.", strings.Replace(goodInstrument, `"dimension":"d","reversed"`, `"dimension":"x","reversed"`, 1), `items[1].dimension`},
		{"A missing English text is rejected.", strings.Replace(goodInstrument, `{"it":"b","en":"b"}`, `{"it":"b"}`, 1), `items[1].text.en`},
		{"An inverted scale is rejected.", strings.Replace(goodInstrument, `"min":1,"max":5`, `"min":5,"max":1`, 1), `scale: min (5) must be below max (1)`},
		{"A duplicate item id is rejected.", strings.Replace(goodInstrument, `"id":"q2"`, `"id":"q1"`, 1), `item "q1" is defined twice`},
		{"An unknown field is rejected.", strings.Replace(goodInstrument, `"kind"`, `"colour":"red","kind"`, 1), `unknown field "colour"`},
		{"A wrong number of scale labels is rejected.", strings.Replace(goodInstrument, `"max":5}`, `"max":5,"labels":{"it":["a"]}}`, 1), `scale.labels.it`},
		{"A choice item without options is rejected.", strings.Replace(goodInstrument, `"id":"q2","dimension":"d","reversed":true`, `"id":"q2","dimension":"d","type":"choice"`, 1), `items[1].options`},
		{"A share above 1 is rejected.", strings.Replace(goodInstrument, `"kind"`, `"min_answered_share":1.5,"kind"`, 1), `min_answered_share`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseInstrument([]byte(tc.json))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want it to mention %q", err, tc.wantErr)
			}
		})
	}
}

func TestLoadInstrumentsNamesTheBadFile(t *testing.T) {
	fsys := fstest.MapFS{
		"good.json": {Data: []byte(goodInstrument)},
		"bad.json":  {Data: []byte(`{"id":"Bad Id","version":0}`)},
	}
	_, err := LoadInstruments(fsys)
	if err == nil || !strings.Contains(err.Error(), "bad.json") || !strings.Contains(err.Error(), "id: must be a lower-case slug") {
		t.Fatalf("error = %v", err)
	}
	fsys = fstest.MapFS{"a.json": {Data: []byte(goodInstrument)}, "b.json": {Data: []byte(goodInstrument)}}
	if _, err := LoadInstruments(fsys); err == nil || !strings.Contains(err.Error(), "mini@2 is already defined") {
		t.Fatalf("duplicate: error = %v", err)
	}
}

func TestInstrumentCheck(t *testing.T) {
	list, err := BuiltinInstruments()
	if err != nil {
		t.Fatal(err)
	}
	check := Checker(list)
	tests := []struct {
		name  string
		resp  SurveyResponse
		field string
	}{
		{"A valid page feedback passes.", SurveyResponse{InstrumentID: "page-feedback", InstrumentVersion: 1,
			Answers: map[string]float64{"stars": 4}, Choices: map[string]string{"reason": "clear"}, Texts: map[string]string{"comment": "ok"}}, ""},
		{"Six stars are out of range.", SurveyResponse{InstrumentID: "page-feedback", InstrumentVersion: 1, Answers: map[string]float64{"stars": 6}}, "answers.stars"},
		{"A reason not on the list is rejected.", SurveyResponse{InstrumentID: "page-feedback", InstrumentVersion: 1, Choices: map[string]string{"reason": "boring"}}, "choices.reason"},
		{"A comment over 200 characters is rejected.", SurveyResponse{InstrumentID: "page-feedback", InstrumentVersion: 1, Texts: map[string]string{"comment": strings.Repeat("x", 201)}}, "texts.comment"},
		{"An unknown item is rejected.", SurveyResponse{InstrumentID: "digital-readiness", InstrumentVersion: 1, Answers: map[string]float64{"nope": 3}}, "answers.nope"},
		{"An unknown instrument is rejected.", SurveyResponse{InstrumentID: "nope", InstrumentVersion: 1}, "instrument_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := check(&tc.resp)
			if tc.field == "" {
				if len(errs) != 0 {
					t.Fatalf("unexpected errors: %v", errs)
				}
				return
			}
			if len(errs) != 1 || errs[0].Field != tc.field {
				t.Fatalf("errors = %v, want one on %s", errs, tc.field)
			}
		})
	}
}
