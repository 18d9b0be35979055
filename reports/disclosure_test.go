package reports

import (
	"testing"

	"github.com/bussola-pa/bussola/privacy"
)

// testLattice is unit x grade x cohort with interior head counts from
// interior (unit-major), margins summed.
func testLattice(t *testing.T, units, grades, cohorts int, interior func(u, g, c int) int) (*privacy.Lattice, []int) {
	t.Helper()
	names := func(p string, k int) []string {
		out := make([]string, k)
		for i := range out {
			out[i] = p + string(rune('A'+i))
		}
		return out
	}
	l, err := privacy.NewLattice(privacy.Dimension{Name: "unit", Categories: names("u", units)},
		privacy.Dimension{Name: "grade", Categories: names("g", grades)}, privacy.Dimension{Name: "cohort", Categories: names("c", cohorts)})
	if err != nil {
		t.Fatal(err)
	}
	n := make([]int, l.Len())
	for u := 0; u < units; u++ {
		for g := 0; g < grades; g++ {
			for c := 0; c < cohorts; c++ {
				x := interior(u, g, c)
				for mask := 0; mask < 8; mask++ {
					co := []int{u, g, c}
					for d := range co {
						if mask&(1<<d) != 0 {
							co[d] = privacy.Total
						}
					}
					n[l.Index(co...)] += x
				}
			}
		}
	}
	return l, n
}

func TestRelaxMarginsKeepsTheAuditClean(t *testing.T) {
	// Sparse: many small interior cells, one grade of 3 people in all.
	l, n := testLattice(t, 8, 4, 3, func(u, g, c int) int {
		if g == 3 {
			return map[bool]int{true: 1}[u < 3 && c == 0]
		}
		return (u*7+g*3+c*5)%6 + c
	})
	p, err := privacy.Protect(l, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	_, before := p.Counts()
	relaxMargins(p, n)
	primary, after := p.Counts()
	if leaks := privacy.Audit(p, n); len(leaks) > 0 {
		t.Fatalf("relaxed pattern leaks %s (%s)", l.Label(leaks[0].Cell), leaks[0].Rule)
	}
	for i := range n {
		if privacy.Small(5, n[i]) && !p.Hidden(i) {
			t.Fatalf("small cell %s published", l.Label(i))
		}
	}
	if after > before {
		t.Fatalf("relaxing hid more cells: %d complementary before, %d after", before, after)
	}
	t.Logf("%d primary, complementary %d -> %d", primary, before, after)
}

func TestPatternCacheComputesOncePerKey(t *testing.T) {
	l, n := testLattice(t, 3, 2, 2, func(u, g, c int) int { return u + g + c + 1 })
	s := &Server{patterns: newPatternCache()}
	calls := 0
	for range 3 {
		if _, err := s.patterns.get("k", "v", func() (*privacy.Pattern, error) { calls++; return privacy.Protect(l, n, 5) }); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 {
		t.Fatalf("the pattern was computed %d times for one key, want once", calls)
	}
}
