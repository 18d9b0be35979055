package privacy

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// countUpperBounds is an oracle for the room rule: for every hidden
// primary cell, the largest head count a viewer cannot rule out, given
// every published count, every equation of a lattice of partitions (no
// Overlapping dimension, where counts are not additive) and counts >= 0:
// the maximum of the linear program, solved with gonum's simplex
// (+Inf when unbounded).
// Equations are kept only when independent (the exact span decides), as
// the simplex needs a full row rank.
func countUpperBounds(t *testing.T, p *Pattern, n []int) map[int]float64 {
	t.Helper()
	l := p.Lattice
	col, cells := p.unknowns(n)
	sp := newSpan(len(cells))
	var rows [][]float64
	var rhs []float64
	var kids []int
	for _, r := range l.relations() {
		row := make([]float64, len(cells))
		var rc []int32
		var rv []uint64
		b := 0.0
		add := func(c int, coef float64) {
			if col[c] >= 0 {
				row[col[c]] = coef
				rc = append(rc, col[c])
				if coef > 0 {
					rv = append(rv, 1)
				} else {
					rv = append(rv, modP-1)
				}
			} else {
				b -= coef * float64(n[c])
			}
		}
		add(r.parent, 1)
		kids = l.children(r, kids)
		for _, c := range kids {
			add(c, -1)
		}
		if len(rc) == 0 {
			continue
		}
		before := len(sp.rows)
		sp.add(rc, rv)
		if len(sp.rows) > before {
			rows, rhs = append(rows, row), append(rhs, b)
		}
	}
	out := map[int]float64{}
	for c, i := range cells {
		if !Small(p.K, n[i]) {
			continue
		}
		if len(rows) == 0 {
			t.Fatalf("%s hidden with no equation", l.Label(i))
		}
		A := mat.NewDense(len(rows), len(cells), nil)
		for r, row := range rows {
			A.SetRow(r, row)
		}
		obj := make([]float64, len(cells))
		obj[c] = -1
		opt, _, err := lp.Simplex(obj, A, rhs, 1e-9, nil)
		if errors.Is(err, lp.ErrUnbounded) {
			out[i] = math.Inf(1) // nothing bounds it from above
			continue
		}
		if err != nil {
			t.Fatalf("%s: simplex: %v", l.Label(i), err)
		}
		out[i] = -opt
	}
	return out
}

// checkRoom fails when a viewer could prove a hidden primary cell small:
// its largest possible count is below k.
func checkRoom(t *testing.T, p *Pattern, n []int) {
	t.Helper()
	for i, hi := range countUpperBounds(t, p, n) {
		if hi < float64(p.K)-1e-6 {
			t.Errorf("%s (%d people): at most %.1f people, provably below %d", p.Lattice.Label(i), n[i], hi, p.K)
		}
	}
}

func TestProtectLeavesRoomUpToTheMinimum(t *testing.T) {
	cases := map[string]func() (*Lattice, []int){
		"2x2":                          func() (*Lattice, []int) { return twoWay(t, [][]int{{2, 10}, {12, 20}}) },
		"3x3":                          func() (*Lattice, []int) { return twoWay(t, [][]int{{2, 9, 11}, {8, 15, 12}, {10, 7, 20}}) },
		"several small cells in a row": func() (*Lattice, []int) { return twoWay(t, [][]int{{1, 1, 30, 12}, {9, 2, 14, 20}, {6, 8, 1, 25}}) },
		"filter remainder": func() (*Lattice, []int) {
			l := mustLattice(t, Dimension{Name: "unit", Categories: cats("U", 3)})
			return l, countsOf(l, table2Unit([]int{27, 2, 1}))
		},
	}
	for seed := range uint64(8) {
		cases["random "+string(rune('a'+seed))] = func() (*Lattice, []int) { return randomLattice(t, seed) }
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			l, n := mk()
			p, err := Protect(l, n, 5)
			if err != nil {
				t.Fatal(err)
			}
			checkRoom(t, p, n)
		})
	}
	// The oracle must be able to fail: primary suppression alone lets the
	// filter remainder be proven small.
	l := mustLattice(t, Dimension{Name: "unit", Categories: cats("U", 2)})
	n := countsOf(l, table2Unit([]int{27, 2}))
	q, _ := Primary(l, n, 5)
	if hi := countUpperBounds(t, q, n)[l.Index(1)]; hi >= 5 {
		t.Errorf("primary only: U2 can hold up to %.1f people, want the oracle to pin it below 5", hi)
	}
}
