package reports

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
)

// readinessFixture: three units over two dimensions, one unit wholly
// hidden, the entity means 3,0 and 2,5; a second wave whose "b" cell
// was hidden in the earlier wave.
func readinessFixture() ReadinessData {
	pub := func(v, lo, hi float64, n int) Cell { return Cell{Value: v, Lo: lo, Hi: hi, N: n} }
	hid := func(r string) Cell { c := Cell{}; c.Hide(r); return c }
	return ReadinessData{
		Dimensions: []string{"a", "b"}, DimensionLabels: map[string]string{"a": "Area A", "b": "Area B"},
		Heatmap: []UnitScore{
			{Unit: "Anagrafe", Dimension: "a", Cell: pub(2.9, 2.7, 3.1, 30)}, {Unit: "Anagrafe", Dimension: "b", Cell: pub(2.4, 2.2, 2.6, 30)},
			{Unit: "Bilancio", Dimension: "a", Cell: hid(ReasonSmallGroup)}, {Unit: "Bilancio", Dimension: "b", Cell: hid(ReasonComplementary)},
			{Unit: "Cultura", Dimension: "a", Cell: pub(3.6, 3.3, 3.9, 40)}, {Unit: "Cultura", Dimension: "b", Cell: hid(ReasonComplementary)},
		},
		DimensionTotals: []UnitScore{{Dimension: "a", Cell: pub(3.0, 2.9, 3.1, 90)}, {Dimension: "b", Cell: pub(2.5, 2.4, 2.6, 90)}},
		Training: []UnitScore{
			{Unit: "Anagrafe", Dimension: "a", Cell: Cell{Value: 0.4, N: 30}}, {Unit: "Cultura", Dimension: "a", Cell: Cell{Value: 0.25, N: 40}},
		},
		Waves: []WaveChange{
			{Dimension: "a", FromWave: "2024", ToWave: "2025", Before: pub(2.8, 2.7, 2.9, 80), After: pub(3.0, 2.9, 3.1, 90), Change: pub(0.2, 0.05, 0.35, 80)},
			{Dimension: "b", FromWave: "2024", ToWave: "2025", Before: hid(ReasonSmallGroup), After: pub(2.5, 2.4, 2.6, 90), Change: pub(0.1, -0.1, 0.3, 80)},
		},
	}
}

func widgetByID(t *testing.T, ws []Widget, id string) (Widget, map[string]any) {
	t.Helper()
	for _, w := range ws {
		if w.ID == id {
			raw, err := json.Marshal(w.Option)
			if err != nil {
				t.Fatal(err)
			}
			var o map[string]any
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Fatal(err)
			}
			return w, o
		}
	}
	t.Fatalf("no widget %s", id)
	return Widget{}, nil
}

func seriesOf(o map[string]any) []map[string]any {
	var out []map[string]any
	list, _ := o["series"].([]any)
	for _, s := range list {
		m, _ := s.(map[string]any)
		out = append(out, m)
	}
	return out
}

// wcagContrast is the WCAG 2.1 contrast ratio of two #rrggbb colours,
// computed here independently of the page's code.
func wcagContrast(a, b string) float64 {
	lum := func(h string) float64 {
		var c [3]int
		fmt.Sscanf(strings.TrimPrefix(h, "#"), "%02x%02x%02x", &c[0], &c[1], &c[2])
		var l [3]float64
		for i, v := range c {
			s := float64(v) / 255
			if s <= 0.03928 {
				l[i] = s / 12.92
			} else {
				l[i] = math.Pow((s+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
	}
	x, y := lum(a), lum(b)
	return (math.Max(x, y) + 0.05) / (math.Min(x, y) + 0.05)
}

func TestReadinessWidgets(t *testing.T) {
	for _, lang := range []string{"it", "en"} {
		b := &builder{t: tr{lang}, p: Privacy{MinGroup: 5}}
		ws := readinessWidgets(b, readinessFixture())
		t.Run(lang+": OK heatmap units ranked by mean, the wholly hidden unit last, first column named", func(t *testing.T) {
			w, o := widgetByID(t, ws, "readiness-heatmap")
			y := o["yAxis"].([]any)[0].(map[string]any)
			got := fmt.Sprint(y["data"])
			if got != "[Cultura Anagrafe Bilancio]" {
				t.Errorf("units %s, want Cultura (3,6), Anagrafe (2,65), Bilancio (hidden)", got)
			}
			if name, _ := y["name"].(string); name == "" {
				t.Error("the units' column has no name")
			}
			if w.Table.Rows[0][0].Text != "Cultura" || w.Table.Rows[len(w.Table.Rows)-3][0].Text != "Bilancio" {
				t.Errorf("table not ranked: first %q", w.Table.Rows[0][0].Text)
			}
		})
		t.Run(lang+": OK colours diverge from the entity mean; labels contrast 4.5:1 with their fill", func(t *testing.T) {
			_, o := widgetByID(t, ws, "readiness-heatmap")
			vm := o["visualMap"].([]any)[0].(map[string]any)
			if vm["dimension"] != 2.0 || vm["type"] != "piecewise" {
				t.Fatalf("visual map %v does not colour the difference from the entity", vm)
			}
			fill := func(d float64) string { // the visual map's own pieces
				for _, p := range vm["pieces"].([]any) {
					pm := p.(map[string]any)
					lo, hasLo := pm["gte"].(float64)
					hi, hasHi := pm["lt"].(float64)
					if (!hasLo || d >= lo) && (!hasHi || d < hi) {
						return pm["color"].(string)
					}
				}
				t.Fatalf("no piece for %v", d)
				return ""
			}
			data := seriesOf(o)[0]["data"].([]any)
			if len(data) != 3 {
				t.Fatalf("%d published cells drawn, want 3", len(data))
			}
			for _, d := range data {
				dm := d.(map[string]any)
				v := dm["value"].([]any)
				label := dm["label"].(map[string]any)
				f := fill(v[2].(float64))
				if c := wcagContrast(label["color"].(string), f); c < 4.5 {
					t.Errorf("label %v on %s: contrast %.2f", label, f, c)
				}
			}
			cultura := data[0].(map[string]any)["value"].([]any)
			if math.Abs(cultura[2].(float64)-0.6) > 1e-9 || cultura[3] != 3.6 {
				t.Errorf("Cultura's cell %v: want the difference 0,6 from the entity and the mean 3,6", cultura)
			}
		})
		t.Run(lang+": OK a marker where the interval excludes the entity mean, none within noise or on hidden cells", func(t *testing.T) {
			_, o := widgetByID(t, ws, "readiness-heatmap")
			marks := map[string]bool{}
			for _, d := range seriesOf(o)[0]["data"].([]any) {
				dm, _ := d.(map[string]any)
				v, _ := dm["value"].([]any)
				if len(v) < 2 {
					t.Fatalf("cell %v", d)
				}
				lab, _ := dm["label"].(map[string]any)
				f, _ := lab["formatter"].(string)
				marks[fmt.Sprint(v[0], v[1])] = strings.ContainsAny(f, "▲▼")
			}
			// Cultura·a 3,3–3,9 excludes 3,0; Anagrafe·a 2,7–3,1 and ·b 2,2–2,6 include theirs.
			if !marks["0 0"] || marks["0 1"] || marks["1 1"] {
				t.Errorf("markers %v", marks)
			}
			for _, s := range seriesOf(o)[1:] {
				for _, d := range s["data"].([]any) {
					if strings.ContainsAny(fmt.Sprint(d), "▲▼") {
						t.Errorf("hidden cell marked: %v", d)
					}
				}
			}
		})
		t.Run(lang+": OK training shares say what they are and show headcounts", func(t *testing.T) {
			w, o := widgetByID(t, ws, "readiness-training")
			if w.Note == "" {
				t.Error("the percentage is not explained")
			}
			if len(w.Table.Rows) == 0 {
				t.Fatal("no rows")
			}
			row := w.Table.Rows[0] // Anagrafe·a: 40% of 30
			if !strings.Contains(fmt.Sprint(row), "12") {
				t.Errorf("row %v has no headcount 12 below threshold", row)
			}
			tip := fmt.Sprint(seriesOf(o)[0]["data"])
			if !strings.Contains(tip, "12") || !strings.Contains(tip, "30") {
				t.Errorf("tooltip %s lacks 12 of 30 people", tip)
			}
		})
		t.Run(lang+": OK change between waves drawn as differences with 95% intervals; a hidden wave cell hides the difference", func(t *testing.T) {
			w, o := widgetByID(t, ws, "readiness-waves")
			var dot, ci map[string]any
			for _, s := range seriesOf(o) {
				switch s["type"] {
				case "scatter":
					dot = s
				case "boxplot", "custom":
					ci = s
				case "bar":
					t.Errorf("series %v drawn as bars from 0", s["name"])
				}
			}
			if dot == nil || ci == nil {
				t.Fatalf("no difference dots or interval whiskers: %v", seriesOf(o))
			}
			dd, _ := dot["data"].([]any)
			cd, _ := ci["data"].([]any)
			if len(dd) < 2 || len(cd) < 2 {
				t.Fatalf("dots %v, whiskers %v", dd, cd)
			}
			v0 := dd[0].(map[string]any)["value"]
			w0 := fmt.Sprint(cd[0].(map[string]any)["value"])
			if v0 != 0.2 || w0 != "[0.05 0.2 0.2 0.2 0.35]" {
				t.Errorf("area A: dot %v, whisker %v; want 0,2 with 0,05–0,35", v0, w0)
			}
			if v1 := dd[1].(map[string]any)["value"]; v1 != "-" || fmt.Sprint(cd[1].(map[string]any)["value"]) != "[- - - - -]" {
				t.Errorf("area B, hidden in 2024, drawn: %v", v1)
			}
			if why := fmt.Sprint(dd[1].(map[string]any)["name"]); !strings.Contains(why, b.t.Why(ReasonSmallGroup, b.p, false)) {
				t.Errorf("hidden difference without its reason: %q", why)
			}
			last := w.Table.Rows[1]
			if c := last[6]; !c.Hidden {
				t.Errorf("table shows the difference %v of a hidden wave cell", c)
			}
		})
	}
}
