package privacy

import (
	"reflect"
	"testing"
)

func TestSmall(t *testing.T) {
	tests := []struct {
		name string
		k, n int
		want bool
	}{
		{"A cell with no people is not small.", 5, 0, false},
		{"A cell of one person under a minimum of five is small.", 5, 1, true},
		{"A cell one short of the minimum is small.", 5, 4, true},
		{"A cell of exactly the minimum is not small.", 5, 5, false},
		{"No cell is small under a minimum of one.", 1, 1, false},
		{"No cell is small under a minimum of zero.", 0, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Small(tt.k, tt.n); got != tt.want {
				t.Errorf("Small(%d, %d) = %v, want %v", tt.k, tt.n, got, tt.want)
			}
		})
	}
}

func TestHideMargin(t *testing.T) {
	tests := []struct {
		name      string
		k         int
		n         []int
		hidden    []bool
		wantSmall []int
		wantComp  []int
	}{
		{"Nothing is hidden when every cell has at least k people.",
			5, []int{10, 7, 5}, nil, nil, nil},
		{"An empty margin hides nothing.",
			5, nil, nil, nil, nil},
		{"One small cell is hidden with the smallest other visible cell.",
			5, []int{12, 3, 8, 20}, nil, []int{1}, []int{2}},
		{"Two small cells holding k people together are hidden with no complement.",
			5, []int{12, 3, 2, 20}, nil, []int{1, 2}, nil},
		{"Two small cells holding fewer than k people together take the smallest visible cell.",
			5, []int{12, 1, 2, 20}, nil, []int{1, 2}, []int{0}},
		{"Complements are added one at a time until the hidden cells hold k people.",
			10, []int{1, 2, 3, 50}, nil, []int{0, 1, 2}, []int{3}},
		{"A complement is added again while the hidden cells still hold fewer than k people.",
			5, []int{1, 1, 1, 9}, []bool{false, false, false, false}, []int{0, 1, 2}, []int{3}},
		{"On a tie for the smallest visible cell the first one is the complement.",
			5, []int{9, 2, 7, 7}, nil, []int{1}, []int{2}},
		{"Empty cells are neither hidden nor chosen as complements.",
			5, []int{0, 4, 9, 0}, nil, []int{1}, []int{2}},
		{"A small cell whose only neighbours are empty stays the only hidden cell.",
			5, []int{0, 3, 0}, nil, []int{1}, nil},
		{"A margin of small cells only is hidden entirely with no complement.",
			5, []int{1, 2, 1}, nil, []int{0, 1, 2}, nil},
		{"A cell hidden on input counts towards the hidden people and is not reported.",
			5, []int{4, 6, 8}, []bool{false, true, false}, []int{0}, nil},
		{"A small cell hidden on input still takes a complement.",
			5, []int{3, 9, 6}, []bool{true, false, false}, nil, []int{2}},
		{"An empty cell hidden on input holds nobody and takes a complement.",
			5, []int{0, 9, 6}, []bool{true, false, false}, nil, []int{2}},
		{"Under a minimum of one nothing is small.",
			1, []int{1, 0, 3}, nil, nil, nil},
		{"Under a minimum of zero a hidden empty cell needs no complement.",
			0, []int{0, 2}, []bool{true, false}, nil, nil},
		{"Under a minimum above the whole margin every populated cell is hidden as small.",
			100, []int{10, 0, 30}, nil, []int{0, 2}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := append([]int(nil), tt.n...)
			hidden := append([]bool(nil), tt.hidden...)
			small, comp := HideMargin(tt.k, n, hidden)
			if !reflect.DeepEqual(small, tt.wantSmall) {
				t.Errorf("k %d, n %v: small %v, want %v", tt.k, tt.n, small, tt.wantSmall)
			}
			if !reflect.DeepEqual(comp, tt.wantComp) {
				t.Errorf("k %d, n %v: complementary %v, want %v", tt.k, tt.n, comp, tt.wantComp)
			}
			if !reflect.DeepEqual(n, tt.n) || !reflect.DeepEqual(hidden, append([]bool(nil), tt.hidden...)) {
				t.Errorf("inputs modified: n %v, hidden %v", n, hidden)
			}
		})
	}
}

func TestHideMarginPanicsOnLengthMismatch(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for 2 hidden flags on 3 cells")
		}
	}()
	HideMargin(5, []int{1, 2, 3}, []bool{false, false})
}
