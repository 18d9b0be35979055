package privacy

import (
	"reflect"
	"sync"
	"testing"
)

func TestKnowledgeDeterminesTwoByTwo(t *testing.T) {
	l, n := twoWay(t, [][]int{{2, 10}, {12, 20}})
	p, err := Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	kn := p.Knowledge(n)
	a, b, c, d := l.Index(0, 0), l.Index(0, 1), l.Index(1, 0), l.Index(1, 1)
	tests := []struct {
		name  string
		cells []int
		want  bool
	}{
		{"A published cell is determined.", []int{l.Index(0, Total)}, true},
		{"The hidden small cell alone is not.", []int{a}, false},
		{"A row of hidden cells is its published row total.", []int{a, b}, true},
		{"A column of hidden cells is its published column total.", []int{b, d}, true},
		{"A diagonal moves with the hidden rectangle.", []int{a, d}, false},
		{"The entity total minus one hidden cell is not determined.", []int{a, b, c}, false},
		{"All four hidden cells are the entity total.", []int{a, b, c, d}, true},
		{"A hidden cell counted twice plus its partner counted twice is twice a row.", []int{a, a, b, b}, true},
		{"No cells at all sum to a known zero.", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kn.Determines(tt.cells...); got != tt.want {
				t.Errorf("Determines(%v) = %v, want %v", tt.cells, got, tt.want)
			}
		})
	}
}

func TestKnowledgeDeterminesRangesOfWeeks(t *testing.T) {
	// Eight people write in weeks 1, 3 and 4; two others only in week 2.
	// Week 2 (2 people) is hidden with week 1 as its complement; the
	// entity total over the four weeks has 10 people.
	l := mustLattice(t, Dimension{Name: "week", Categories: cats("W", 4), Overlapping: true})
	var ps []person
	for range 8 {
		ps = append(ps, person{{0, 2, 3}})
	}
	for range 2 {
		ps = append(ps, person{{1}})
	}
	n := countsOf(l, ps)
	p, err := Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hiddenLabels(p), []string{"week=W1", "week=W2"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("hidden %q, want %q", got, want)
	}
	kn := p.Knowledge(n)
	w := func(i int) int { return l.Index(i - 1) }
	tests := []struct {
		name  string
		cells []int
		want  bool
	}{
		{"The whole period is the published total.", []int{w(1), w(2), w(3), w(4)}, true},
		{"Weeks 1-2 are the total minus the published weeks 3 and 4.", []int{w(1), w(2)}, true},
		{"Weeks 2-3 would give week 2 from the published week 3.", []int{w(2), w(3)}, false},
		{"Weeks 1-3 are the total minus the published week 4.", []int{w(1), w(2), w(3)}, true},
		{"Week 1 alone is hidden.", []int{w(1)}, false},
		{"Weeks 3-4 are published.", []int{w(3), w(4)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kn.Determines(tt.cells...); got != tt.want {
				t.Errorf("Determines(%v) = %v, want %v", tt.cells, got, tt.want)
			}
		})
	}
}

func TestKnowledgeIsSafeForConcurrentUse(t *testing.T) {
	l, n := randomLattice(t, 2)
	p, err := Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	kn := p.Knowledge(n)
	want := make([]bool, l.Len())
	for i := range want {
		want[i] = kn.Determines(i)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := range want {
				if got := kn.Determines(i); got != want[i] {
					t.Errorf("%s: %v concurrently, %v alone", l.Label(i), got, want[i])
				}
			}
		})
	}
	wg.Wait()
}
