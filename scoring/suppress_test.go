package scoring

import (
	"reflect"
	"testing"
)

func TestHideMargin(t *testing.T) {
	tests := []struct {
		name string
		n    []int
		in   []string
		want []string
	}{
		{"Nothing is hidden when every cell has at least k people.",
			[]int{5, 9, 12}, []string{"", "", ""}, []string{"", "", ""}},
		{"A lone small cell takes the smallest visible cell with it.",
			[]int{3, 9, 6}, []string{"", "", ""}, []string{ReasonSmallGroup, "", ReasonComplementary}},
		{"Two small cells holding k people together need no complement.",
			[]int{3, 2, 6}, []string{"", "", ""}, []string{ReasonSmallGroup, ReasonSmallGroup, ""}},
		{"Two small cells holding fewer than k people take a complement.",
			[]int{1, 2, 7, 6}, []string{"", "", "", ""}, []string{ReasonSmallGroup, ReasonSmallGroup, "", ReasonComplementary}},
		{"An empty cell is neither hidden nor used as a complement.",
			[]int{0, 4, 8}, []string{"", "", ""}, []string{"", ReasonSmallGroup, ReasonComplementary}},
		{"A cell hidden elsewhere counts towards the hidden people.",
			[]int{4, 6, 8}, []string{"", ReasonComplementary, ""}, []string{ReasonSmallGroup, ReasonComplementary, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := append([]string(nil), tt.in...)
			hideMargin(5, tt.n, got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("n %v: got %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}

func TestHiddenGroups(t *testing.T) {
	groups := []string{"a", "b", "c", "d"}
	persons := map[string]int{"a": 20, "b": 12, "c": 9, "d": 30}
	// Dimension x: b has only 4 scored persons, so b is hidden, and c (the
	// smallest other) as its complement; both must then vanish from the
	// head counts too, which is already a valid margin (21 people hidden).
	dimX := map[string]int{"a": 20, "b": 4, "c": 9, "d": 30}
	got := hiddenGroups(5, groups, []map[string]int{persons, dimX})
	want := map[string]string{"b": ReasonSmallGroup, "c": ReasonComplementary}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
