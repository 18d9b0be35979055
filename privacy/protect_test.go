package privacy

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// checkProtected fails unless p hides every primary cell, its audit is
// clean, and the independent floating-point rank test agrees that no
// primary cell can be derived.
func checkProtected(t *testing.T, p *Pattern, n []int) {
	t.Helper()
	if leaks := Audit(p, n); len(leaks) != 0 {
		t.Errorf("protected pattern leaks: %+v", leaks)
	}
	for i, c := range n {
		if Small(p.K, c) && !p.Hidden(i) {
			t.Errorf("%s: %d people published", p.Lattice.Label(i), c)
		}
	}
	for _, i := range floatDerivable(p, n) {
		t.Errorf("%s: derivable by the floating-point rank test", p.Lattice.Label(i))
	}
}

// checkPrimaryLeaks fails unless the primary pattern alone leaks: the
// audit must be able to fail.
func checkPrimaryLeaks(t *testing.T, l *Lattice, n []int, k int) []Leak {
	t.Helper()
	q, err := Primary(l, n, k)
	if err != nil {
		t.Fatal(err)
	}
	leaks := Audit(q, n)
	if len(leaks) == 0 {
		t.Error("the audit finds no leak in primary suppression alone")
	}
	return leaks
}

func TestProtectTwoByTwoHidesTheClassicRectangle(t *testing.T) {
	l, n := twoWay(t, [][]int{{2, 10}, {12, 20}})
	leaks := checkPrimaryLeaks(t, l, n, 5)
	p, err := Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"unit=U1 grade=G1", "unit=U1 grade=G2", "unit=U2 grade=G1", "unit=U2 grade=G2"}
	if got := hiddenLabels(p); !reflect.DeepEqual(got, want) {
		t.Errorf("hidden %q, want %q", got, want)
	}
	if r := p.Reason[l.Index(0, 0)]; r != ReasonSmallGroup {
		t.Errorf("small cell reason %q, want %q", r, ReasonSmallGroup)
	}
	if pr, se := p.Counts(); pr != 1 || se != 3 {
		t.Errorf("counts %d primary, %d secondary; want 1 and 3", pr, se)
	}
	checkProtected(t, p, n)
	// Primary suppression alone: the row total minus the published
	// partner gives the small cell, and so does the column.
	wantLeaks := []Leak{
		{Cell: l.Index(0, 0), Rule: LeakDerivable, Via: []int{l.Index(0, 0)}},
		{Cell: l.Index(0, Total), Rule: LeakSmallRemainder, Via: []int{l.Index(0, 0)}},
		{Cell: l.Index(Total, 0), Rule: LeakSmallRemainder, Via: []int{l.Index(0, 0)}},
	}
	if !reflect.DeepEqual(leaks, wantLeaks) {
		t.Errorf("primary leaks %+v, want %+v", leaks, wantLeaks)
	}
}

func TestProtectThreeByThreeHidesTheCheapestRectangle(t *testing.T) {
	l, n := twoWay(t, [][]int{{2, 9, 11}, {8, 15, 12}, {10, 7, 20}})
	checkPrimaryLeaks(t, l, n, 5)
	p, err := Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	// Of the four rectangles through the small cell, the one over U3 and
	// G2 hides the fewest people: 9 + 10 + 7 = 26 (against 32, 31 and 41);
	// a rectangle through a margin would hide far more.
	want := []string{"unit=U1 grade=G1", "unit=U1 grade=G2", "unit=U3 grade=G1", "unit=U3 grade=G2"}
	if got := hiddenLabels(p); !reflect.DeepEqual(got, want) {
		t.Errorf("hidden %q, want %q", got, want)
	}
	checkProtected(t, p, n)
}

func TestProtectThreeDimensionsHidesTheWholeCube(t *testing.T) {
	// 2 x 2 x 2 with every margin published: a rectangle in one layer is
	// not enough (the margin along the third dimension minus the other
	// layer gives the small cell), so all eight interior cells go, and
	// every margin stays published.
	l := mustLattice(t,
		Dimension{Name: "unit", Categories: cats("U", 2)},
		Dimension{Name: "grade", Categories: cats("G", 2)},
		Dimension{Name: "cohort", Categories: cats("C", 2)})
	var ps []person
	for u := range 2 {
		for g := range 2 {
			for c := range 2 {
				k := 10 + u + 2*g + 4*c
				if u+g+c == 0 {
					k = 1
				}
				for range k {
					ps = append(ps, person{{u}, {g}, {c}})
				}
			}
		}
	}
	n := countsOf(l, ps)
	checkPrimaryLeaks(t, l, n, 5)
	p, err := Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if interior := l.Totals(i) == 0; p.Hidden(i) != interior {
			t.Errorf("%s: hidden %v, want %v", l.Label(i), p.Hidden(i), interior)
		}
	}
	checkProtected(t, p, n)
}

func TestProtectOverlappingWeeks(t *testing.T) {
	// unit x grade x week, people writing in several weeks: the week
	// total's head count is below the sum of the weeks.
	l := mustLattice(t,
		Dimension{Name: "unit", Categories: cats("U", 3)},
		Dimension{Name: "grade", Categories: cats("G", 3)},
		Dimension{Name: "week", Categories: cats("W", 4), Overlapping: true})
	rng := rand.New(rand.NewPCG(7, 9))
	var ps []person
	for range 90 {
		u, g := rng.IntN(3), min(rng.IntN(4), 2)
		var weeks []int
		for w := range 4 {
			if rng.IntN(3) > 0 {
				weeks = append(weeks, w)
			}
		}
		ps = append(ps, person{{u}, {g}, weeks})
	}
	n := countsOf(l, ps)
	if err := l.CheckCounts(n); err != nil {
		t.Fatal(err)
	}
	checkPrimaryLeaks(t, l, n, 5)
	p, err := Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	checkProtected(t, p, n)
}

func TestProtectFilterRemainder(t *testing.T) {
	// The entity has 30 people; unit U1 holds 27 of them. The filter
	// unit=U1 is large, but the entity minus it leaves the 3 people of U2
	// and U3: no single cell derivable, yet the remainder is a group
	// below the minimum.
	l := mustLattice(t, Dimension{Name: "unit", Categories: cats("U", 3)})
	n := countsOf(l, table2Unit([]int{27, 2, 1}))
	leaks := checkPrimaryLeaks(t, l, n, 5)
	want := []Leak{{Cell: l.Index(Total), Rule: LeakSmallRemainder, Via: []int{l.Index(1), l.Index(2)}}}
	if !reflect.DeepEqual(leaks, want) {
		t.Errorf("primary leaks %+v, want %+v", leaks, want)
	}
	p, err := Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hiddenLabels(p), []string{"unit=U1", "unit=U2", "unit=U3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("hidden %q, want %q", got, want)
	}
	checkProtected(t, p, n)
}

// table2Unit returns the people of a one-dimensional table.
func table2Unit(m []int) []person {
	var ps []person
	for u, k := range m {
		for range k {
			ps = append(ps, person{{u}})
		}
	}
	return ps
}

func TestProtectIsDeterministic(t *testing.T) {
	l, n := randomLattice(t, 11)
	first, err := Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, err := Protect(l, n, 5)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(again.Reason, first.Reason) {
			t.Fatal("the same input gave two different patterns")
		}
	}
}

func TestProtectRandomLatticesPassTheAudit(t *testing.T) {
	for seed := range uint64(12) {
		l, n := randomLattice(t, seed)
		p, err := Protect(l, n, 5)
		if err != nil {
			t.Fatal(err)
		}
		checkProtected(t, p, n)
	}
}

// randomLattice returns unit x grade x cohort with uneven units, so that
// some cells are small.
func randomLattice(t *testing.T, seed uint64) (*Lattice, []int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	l := mustLattice(t,
		Dimension{Name: "unit", Categories: cats("U", 4)},
		Dimension{Name: "grade", Categories: cats("G", 3)},
		Dimension{Name: "cohort", Categories: cats("C", 2)})
	var ps []person
	for u := range 4 {
		for range 4 + rng.IntN(30) {
			ps = append(ps, person{{u}, {min(rng.IntN(5), 2)}, {rng.IntN(2)}})
		}
	}
	return l, countsOf(l, ps)
}

func TestMinimumNeverBelowFloor(t *testing.T) {
	for _, k := range []int{-1, 0, 1, 2, 3} {
		if got := Minimum(k); got != Floor {
			t.Errorf("Minimum(%d) = %d, want %d", k, got, Floor)
		}
	}
	l := mustLattice(t, Dimension{Name: "unit", Categories: cats("U", 2)})
	n := countsOf(l, table2Unit([]int{2, 9}))
	p, err := Protect(l, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.K != Floor || !p.Hidden(l.Index(0)) {
		t.Errorf("k 1: pattern k %d, U1 (2 people) hidden %v; want k %d and hidden", p.K, p.Hidden(l.Index(0)), Floor)
	}
	checkProtected(t, p, n)
}

func TestCheckCounts(t *testing.T) {
	l := mustLattice(t, Dimension{Name: "unit", Categories: cats("U", 2)}, Dimension{Name: "week", Categories: cats("W", 2), Overlapping: true})
	good := countsOf(l, []person{{{0}, {0, 1}}, {{1}, {1}}})
	if err := l.CheckCounts(good); err != nil {
		t.Fatalf("OK: %v", err)
	}
	tests := []struct {
		name string
		cell int
		val  int
		want string
	}{
		{"ErrPartition: a unit total is not the sum of the units.", l.Index(Total, 0), 5, "unit=* week=W1"},
		{"ErrOverlap: a week total above the sum of the weeks.", l.Index(0, Total), 3, "unit=U1 week=*"},
		{"ErrNegative: a negative count.", l.Index(1, 0), -1, "negativo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := slices.Clone(good)
			n[tt.cell] = tt.val
			err := l.CheckCounts(n)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one naming %q", err, tt.want)
			}
		})
	}
	if _, err := Protect(l, good[:3], 5); err == nil {
		t.Error("Protect accepted 3 counts for 9 cells")
	}
}

func TestNewLatticeErrors(t *testing.T) {
	tests := []struct {
		name string
		dims []Dimension
		want string
	}{
		{"ErrNoDimensions: a lattice needs a dimension.", nil, "almeno una dimensione"},
		{"ErrNoName: a dimension needs a name.", []Dimension{{Categories: cats("U", 1)}}, "non ha nome"},
		{"ErrNoCategories: a dimension needs a category.", []Dimension{{Name: "unit"}}, "lattice unit"},
		{"ErrTooLarge: more than MaxCells cells.", []Dimension{{Name: "a", Categories: cats("A", 1023)}, {Name: "b", Categories: cats("B", 1024)}}, "more than"},
		{"ErrRepeated: two dimensions cannot share a name.", []Dimension{{Name: "u", Categories: cats("U", 1)}, {Name: "u", Categories: cats("U", 1)}}, "repeated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewLattice(tt.dims...); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestSettleAloneReachesACleanAudit(t *testing.T) {
	// The audit-driven rounds are Protect's safety net for cells without
	// a hypercube; on their own they must also end with a clean audit.
	lattices := map[string]func() (*Lattice, []int){
		"2x2": func() (*Lattice, []int) { return twoWay(t, [][]int{{2, 10}, {12, 20}}) },
		"3x3": func() (*Lattice, []int) { return twoWay(t, [][]int{{2, 9, 11}, {8, 15, 12}, {10, 7, 20}}) },
	}
	for seed := range uint64(6) {
		lattices["random "+string(rune('a'+seed))] = func() (*Lattice, []int) { return randomLattice(t, seed) }
	}
	for name, mk := range lattices {
		t.Run(name, func(t *testing.T) {
			l, n := mk()
			p, err := Primary(l, n, 5)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.settle(n); err != nil {
				t.Fatal(err)
			}
			checkProtected(t, p, n)
		})
	}
}

func TestUnionOfSafePatternsIsSafe(t *testing.T) {
	// Two figures of one lattice with different head counts (people who
	// rated, people who answered): each pattern passes the audit for its
	// counts; the union passes it for both.
	l, n1 := randomLattice(t, 4)
	_, n2 := randomLattice(t, 5)
	p1, err := Protect(l, n1, 5)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := Protect(l, n2, 5)
	if err != nil {
		t.Fatal(err)
	}
	u := Union(p1, p2)
	for i := range u.Reason {
		if u.Hidden(i) != (p1.Hidden(i) || p2.Hidden(i)) {
			t.Fatalf("%s: union hidden %v", l.Label(i), u.Hidden(i))
		}
	}
	checkProtected(t, u, n1)
	checkProtected(t, u, n2)
}

func TestFigure(t *testing.T) {
	l := mustLattice(t, Dimension{Name: "unit", Categories: cats("U", 2)})
	n := countsOf(l, table2Unit([]int{2, 9}))
	p, err := Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	if f := p.Figure(l.Index(0), n, 3.14159, Mean); f != (Cell{Suppressed: true, Reason: ReasonSmallGroup}) {
		t.Errorf("hidden cell released as %+v", f)
	}
	if f := p.Figure(l.Index(Total), n, 3.14159, Mean); f != (Cell{Value: 3.14, N: 11}) {
		t.Errorf("entity total released as %+v, want 3.14 over 11 people", f)
	}
}

func TestProtectWithoutHypercubeFallsBackToTheAuditRounds(t *testing.T) {
	// A cross: unit U1 has people in every grade, grade G1 in every unit,
	// and no other cell is populated. Every rectangle through the small
	// cell (U1, G1) has an empty corner (Ui, Gj), and Total is not among
	// the 8 cheapest partners of either dimension: no hypercube, so the
	// audit-driven rounds must protect it.
	m := make([][]int, 10)
	for i := range m {
		m[i] = make([]int, 10)
		m[i][0], m[0][i] = 7, 6
	}
	m[0][0] = 2
	l, n := twoWay(t, m)
	q, err := Primary(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	if q.protectByHypercubes(n) {
		t.Fatal("a hypercube was found although every candidate has an empty corner")
	}
	if len(Audit(q, n)) == 0 {
		t.Fatal("no leak left for the rounds to fix")
	}
	p, err := Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	checkProtected(t, p, n)
	checkRoom(t, p, n)
}

func TestCheckSums(t *testing.T) {
	l := mustLattice(t, Dimension{Name: "unit", Categories: cats("U", 2)}, Dimension{Name: "week", Categories: cats("W", 2), Overlapping: true})
	v := make([]float64, l.Len())
	for u := range 2 {
		for w := range 2 {
			x := float64(1 + u + 2*w)
			v[l.Index(u, w)] += x
			v[l.Index(Total, w)] += x
			v[l.Index(u, Total)] += x
			v[l.Index(Total, Total)] += x
		}
	}
	if err := l.CheckSums("ratings", v, 1e-9); err != nil {
		t.Fatalf("OK: %v", err)
	}
	v[l.Index(1, Total)] += 0.5
	if err := l.CheckSums("ratings", v, 1e-9); err == nil || !strings.Contains(err.Error(), "ratings unit=U2 week=*") {
		t.Errorf("ErrMargin: error %v, want one naming the figure and the cell", err)
	}
	if err := l.CheckSums("ratings", v[:2], 1e-9); err == nil {
		t.Error("ErrLength: 2 values for 9 cells accepted")
	}
}
