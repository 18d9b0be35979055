package reports

import (
	"testing"

	"github.com/bussola-pa/bussola/privacy"
)

// TestHiddenOptionsArePatternsHiddenSelections: on a small protected
// lattice, the options hiddenOptions marks are exactly the neighbouring
// selections the pattern hides (none of these selections is empty or
// leaves out 1-4 people, so the population rule adds none of its own).
func TestHiddenOptionsArePatternsHiddenSelections(t *testing.T) {
	l, err := privacy.NewLattice(
		privacy.Dimension{Name: "unit", Categories: []string{"A", "B", "C"}},
		privacy.Dimension{Name: "grade", Categories: []string{"g1", "g2"}},
		privacy.Dimension{Name: "cohort", Categories: []string{"c1", "c2"}})
	if err != nil {
		t.Fatal(err)
	}
	// Interior head counts: unit C has 3 people, all g2/c1 but one.
	interior := map[[3]int]int{
		{0, 0, 0}: 9, {0, 0, 1}: 8, {0, 1, 0}: 7, {0, 1, 1}: 9,
		{1, 0, 0}: 6, {1, 0, 1}: 9, {1, 1, 0}: 8, {1, 1, 1}: 7,
		{2, 1, 0}: 2, {2, 1, 1}: 1,
	}
	n := make([]int, l.Len())
	for c, x := range interior {
		for mask := range 8 {
			coord := []int{c[0], c[1], c[2]}
			for d := range 3 {
				if mask&(1<<d) != 0 {
					coord[d] = privacy.Total
				}
			}
			n[l.Index(coord...)] += x
		}
	}
	p, err := privacy.Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []Query{{}, {Unit: "A"}, {Grade: "g2"}, {Unit: "B", Cohort: "c1"}} {
		got := hiddenOptions(p, n, q, 5)
		sel, _ := selection(l, q)
		coord := l.Coord(sel, nil)
		for d, name := range filterDims {
			c := append([]int(nil), coord...)
			for ci := privacy.Total; ci < len(l.Dims()[d].Categories); ci++ {
				c[d] = ci
				value := ""
				if ci != privacy.Total {
					value = l.Dims()[d].Categories[ci]
				}
				want := p.Hidden(l.Index(c...))
				if got[name][value] != want {
					t.Errorf("query %+v, %s=%q: marked %v, the pattern hides the selection: %v", q, name, value, got[name][value], want)
				}
			}
		}
	}
	if !hiddenOptions(p, n, Query{}, 5)["unit"]["C"] {
		t.Error("the unit of 3 people is not marked hidden")
	}
	if hiddenOptions(p, n, Query{}, 5)["unit"]["A"] {
		t.Error("the unit of 33 people is marked hidden")
	}
}
