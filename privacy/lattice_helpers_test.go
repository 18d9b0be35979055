package privacy

import (
	"fmt"
	"testing"
)

// mustLattice builds a lattice or fails the test.
func mustLattice(tb testing.TB, dims ...Dimension) *Lattice {
	tb.Helper()
	l, err := NewLattice(dims...)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// cats returns n category labels prefix1..prefixN.
func cats(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i+1)
	}
	return out
}

// person is one contributor: the categories they fall in, one set per
// dimension (one category on a partition, any number on an Overlapping
// dimension).
type person [][]int

// countsOf returns the distinct people behind every cell of l, margins
// included, as a store would report them.
func countsOf(l *Lattice, people []person) []int {
	n := make([]int, l.Len())
	coord := make([]int, len(l.dims))
	for _, p := range people {
		var walk func(d int)
		walk = func(d int) {
			if d == len(l.dims) {
				n[l.Index(coord...)]++
				return
			}
			for _, c := range p[d] {
				coord[d] = c
				walk(d + 1)
			}
			coord[d] = Total
			walk(d + 1)
		}
		walk(0)
	}
	return n
}

// table2 returns the people of a two-way table of partitions with
// interior counts m[row][col].
func table2(m [][]int) []person {
	var ps []person
	for r, row := range m {
		for c, k := range row {
			for range k {
				ps = append(ps, person{{r}, {c}})
			}
		}
	}
	return ps
}

// hiddenLabels lists the labels of the hidden cells, in cell order.
func hiddenLabels(p *Pattern) []string {
	var out []string
	for i := range p.Reason {
		if p.Hidden(i) {
			out = append(out, p.Lattice.Label(i))
		}
	}
	return out
}

// twoWay returns the unit x grade lattice of a two-way table of
// partitions with interior counts m[unit][grade], and its counts.
func twoWay(tb testing.TB, m [][]int) (*Lattice, []int) {
	tb.Helper()
	l := mustLattice(tb, Dimension{Name: "unit", Categories: cats("U", len(m))}, Dimension{Name: "grade", Categories: cats("G", len(m[0]))})
	return l, countsOf(l, table2(m))
}
