package privacy

import (
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// floatDerivable is an independent oracle for the exact audit: it builds
// the equations over the hidden populated cells as a dense float matrix
// and reports each primary cell s whose unit vector does not raise the
// rank (gonum's SVD, tolerance 1e-9 relative to the largest singular
// value). Slow; for small lattices only.
func floatDerivable(p *Pattern, n []int) []int {
	l := p.Lattice
	col := map[int]int{}
	var cells []int
	for i := range n {
		if p.Hidden(i) && n[i] > 0 {
			col[i] = len(cells)
			cells = append(cells, i)
		}
	}
	if len(cells) == 0 {
		return nil
	}
	var rows [][]float64
	var kids []int
	for _, r := range l.relations() {
		row := make([]float64, len(cells))
		any := false
		if c, ok := col[r.parent]; ok {
			row[c], any = 1, true
		}
		kids = l.children(r, kids)
		for _, k := range kids {
			if c, ok := col[k]; ok {
				row[c], any = -1, true
			}
		}
		if any {
			rows = append(rows, row)
		}
	}
	base := floatRank(rows, len(cells))
	var out []int
	for c, i := range cells {
		if !Small(p.K, n[i]) {
			continue
		}
		e := make([]float64, len(cells))
		e[c] = 1
		if floatRank(append(slices.Clone(rows), e), len(cells)) == base {
			out = append(out, i)
		}
	}
	return out
}

func floatRank(rows [][]float64, m int) int {
	if len(rows) == 0 {
		return 0
	}
	a := mat.NewDense(len(rows), m, nil)
	for i, r := range rows {
		a.SetRow(i, r)
	}
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDNone) {
		panic("svd failed")
	}
	s := svd.Values(nil)
	rank := 0
	for _, v := range s {
		if v > 1e-9*s[0] {
			rank++
		}
	}
	return rank
}

func TestExactAuditAgreesWithFloatingPointRank(t *testing.T) {
	// Random hidden sets on a 3 x 3 x 3 lattice (64 cells): the modular
	// elimination and the SVD rank must name the same derivable cells.
	l := mustLattice(t,
		Dimension{Name: "unit", Categories: cats("U", 3)},
		Dimension{Name: "grade", Categories: cats("G", 3)},
		Dimension{Name: "cohort", Categories: cats("C", 3)})
	n := make([]int, l.Len())
	for i := range n {
		n[i] = 1 // every cell "small", so every hidden cell is tested
	}
	rng := rand.New(rand.NewPCG(3, 5))
	derivable, total := 0, 0
	for trial := range 60 {
		p := &Pattern{Lattice: l, K: 5, Reason: make([]string, l.Len())}
		for i := range n {
			if rng.IntN(100) < 15+trial {
				p.Reason[i] = ReasonSmallGroup
			}
		}
		var exact []int
		for _, lk := range p.derivable(n) {
			if p.Hidden(lk.Cell) {
				exact = append(exact, lk.Cell)
			}
		}
		float := floatDerivable(p, n)
		if !slices.Equal(exact, float) {
			t.Fatalf("trial %d: exact %v, floating point %v", trial, exact, float)
		}
		derivable += len(exact)
		for i := range n {
			if p.Hidden(i) {
				total++
			}
		}
	}
	// The trials must exercise both answers.
	if derivable == 0 || derivable == total {
		t.Errorf("%d of %d hidden cells derivable: the trials test only one answer", derivable, total)
	}
}
