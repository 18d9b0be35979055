package reports

import (
	"encoding/json"
	"strings"
	"testing"
)

func cellsN(ns ...int) []*Cell {
	out := make([]*Cell, len(ns))
	for i, n := range ns {
		out[i] = &Cell{Value: float64(n), N: n}
	}
	return out
}

func hiddenReasons(cs []*Cell) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Reason
	}
	return out
}

func TestHideMargin(t *testing.T) {
	const s, c = ReasonSmallGroup, ReasonComplementary
	for _, tc := range []struct {
		name string
		ns   []int
		want []string
	}{
		{"A group with no small cell shows every cell.", []int{10, 7, 5}, []string{"", "", ""}},
		{"One small cell hides the next smallest too so the total cannot reveal it.", []int{12, 3, 8, 20}, []string{"", s, c, ""}},
		{"Two small cells that together reach the minimum need no complement.", []int{12, 3, 2, 20}, []string{"", s, s, ""}},
		{"Two small cells below the minimum together pull in the smallest visible cell.", []int{12, 1, 2, 20}, []string{c, s, s, ""}},
		{"Empty cells are no data and are never chosen as complements.", []int{0, 4, 9, 0}, []string{"", s, c, ""}},
		{"A group that is all small cells is all hidden.", []int{1, 2, 1}, []string{s, s, s}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs := cellsN(tc.ns...)
			hideMargin(5, cs)
			if got := hiddenReasons(cs); strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("reasons %v, want %v", got, tc.want)
			}
			hiddenN := 0
			for i, c := range cs {
				if c.Suppressed {
					hiddenN += tc.ns[i]
				}
			}
			if hiddenN > 0 && hiddenN < 5 && len(cs) > 0 && !allHidden(cs) {
				t.Fatalf("hidden cells hold %d people: derivable from the total", hiddenN)
			}
		})
	}
}

func allHidden(cs []*Cell) bool {
	for _, c := range cs {
		if !c.Suppressed {
			return false
		}
	}
	return true
}

func TestPopulationBlocked(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Population
		q    Query
		want bool
	}{
		{"A selection below the minimum is blocked.", Population{N: 4, EntityN: 100}, Query{Unit: "x"}, true},
		{"A filter leaving out fewer than the minimum is blocked.", Population{N: 97, EntityN: 100}, Query{Grade: "g"}, true},
		{"A filter leaving out nobody is allowed.", Population{N: 100, EntityN: 100}, Query{Grade: "g"}, false},
		{"An unfiltered tenant of enough people is allowed.", Population{N: 6, EntityN: 6}, Query{}, false},
		{"A large filtered selection is allowed.", Population{N: 40, EntityN: 100}, Query{Unit: "x"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := populationBlocked(tc.p, tc.q, 5); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSuppressedCellMarshalsNoValue(t *testing.T) {
	c := Cell{Value: 4.2, Lo: 3, Hi: 5, N: 2}
	c.Hide(ReasonSmallGroup)
	b, _ := json.Marshal(c)
	if string(b) != `{"suppressed":true,"reason":"small_group"}` {
		t.Fatalf("got %s", b)
	}
	b, _ = json.Marshal(Cell{Value: 3.5, Lo: 3, Hi: 4, N: 12})
	if string(b) != `{"value":3.5,"lo":3,"hi":4,"n":12}` {
		t.Fatalf("got %s", b)
	}
}

func TestPrivacyConfig(t *testing.T) {
	t.Run("OK defaults are 5 and 10 and a tenant may raise them.", func(t *testing.T) {
		c := PrivacyConfig{PerTenant: map[string]Privacy{"a": {MinGroup: 8}}}
		if p := c.For("x"); p.MinGroup != 5 || p.MinText != 10 {
			t.Fatalf("default %+v", p)
		}
		if p := c.For("a"); p.MinGroup != 8 || p.MinText != 10 {
			t.Fatalf("tenant a %+v", p)
		}
	})
	t.Run("ErrInvalid a minimum below 3 is rejected and never applied.", func(t *testing.T) {
		c := PrivacyConfig{PerTenant: map[string]Privacy{"a": {MinGroup: 2}}}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "min_group") {
			t.Fatalf("want min_group error, got %v", err)
		}
		if p := c.For("a"); p.MinGroup != 3 {
			t.Fatalf("floor not applied: %+v", p)
		}
	})
}

func TestSuppressReadinessComplementsHeatmapColumns(t *testing.T) {
	d := ReadinessData{
		Population: Population{N: 50, EntityN: 50},
		Heatmap: []UnitScore{
			{Unit: "a", Dimension: "x", Cell: Cell{Value: 3, N: 30}},
			{Unit: "b", Dimension: "x", Cell: Cell{Value: 2, N: 16}},
			{Unit: "c", Dimension: "x", Cell: Cell{Value: 4, N: 4}},
		},
		DimensionTotals: []UnitScore{{Dimension: "x", Cell: Cell{Value: 2.86, N: 50}}},
	}
	orig := d.Heatmap[2].Cell
	got := suppressReadiness(d, Query{}, Privacy{MinGroup: 5, MinText: 10})
	if !got.Heatmap[2].Cell.Suppressed || !got.Heatmap[1].Cell.Suppressed || got.Heatmap[0].Cell.Suppressed {
		t.Fatalf("want c small and b complementary, got %+v", got.Heatmap)
	}
	if got.Heatmap[1].Cell.Reason != ReasonComplementary {
		t.Fatalf("b reason %q", got.Heatmap[1].Cell.Reason)
	}
	if d.Heatmap[2].Cell != orig {
		t.Fatal("suppression modified the store's data")
	}
}
