package reports

import (
	"strings"
	"testing"
)

func TestHeatmapDivergesFromTheEntity(t *testing.T) {
	d := readinessFixture()
	// Filtered to a selection whose mean of a is 3.6; the entity's is 3.2.
	d.DimensionTotals = []UnitScore{{Dimension: "a", Cell: Cell{Value: 3.6, Lo: 3.3, Hi: 3.9, N: 40}}}
	d.EntityTotals = []UnitScore{{Dimension: "a", Cell: Cell{Value: 3.2, Lo: 3.1, Hi: 3.3, N: 90}}}
	b := &builder{t: tr{"it"}, p: Privacy{MinGroup: 5}, q: Query{Unit: "Cultura"}}
	w, o := widgetByID(t, readinessWidgets(b, d), "readiness-heatmap")
	data := o["series"].([]any)[0].(map[string]any)["data"].([]any)
	found := false
	for _, x := range data {
		m := x.(map[string]any)
		name, _ := m["name"].(string)
		if !strings.HasPrefix(name, "Cultura · Area A") {
			continue
		}
		found = true
		v := m["value"].([]any)
		// 3.6 - 3.2 (the entity), not 3.6 - 3.6 (the selection); the
		// interval 3.3-3.9 excludes 3.2: ▲.
		if v[2] != 0.4 || !strings.Contains(name, "▲") || !strings.Contains(m["label"].(map[string]any)["formatter"].(string), "▲") {
			t.Errorf("Cultura · Area A: %v, want the difference 0,4 from the entity mean, marked ▲", m)
		}
	}
	if !found {
		t.Fatal("no Cultura · Area A cell")
	}
	if !strings.Contains(w.Note, "media dell'ente intero") {
		t.Errorf("the legend does not say the reference is the whole entity's mean: %s", w.Note)
	}
}
