package privacy

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// realisticLattice returns unit x grade x cohort x ISO week (40 x 5 x 3 x
// 13, with every margin: 13,776 cells) over about 1,700 people in units
// of 8 to 80, grades skewed towards the lower ones, and each person
// active in a week with probability 0.6 (weeks overlap).
func realisticLattice(tb testing.TB, seed uint64) (*Lattice, []int) {
	return syntheticLattice(tb, seed, 40, []int{40, 30, 18, 9, 3}, 3, 13)
}

// sparseLattice is a larger, sparser entity: 100 units x 8 grades x 4
// cohorts x 13 weeks (63,630 cells), about 4,400 people.
func sparseLattice(tb testing.TB, seed uint64) (*Lattice, []int) {
	return syntheticLattice(tb, seed, 100, []int{25, 20, 15, 12, 10, 8, 6, 4}, 4, 13)
}

// syntheticLattice draws units of 8 to 80 people, grades with the given
// weights (percent), cohorts uniformly, and weeks active with
// probability 0.6.
func syntheticLattice(tb testing.TB, seed uint64, units int, gradeW []int, cohorts, weeks int) (*Lattice, []int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	l := mustLattice(tb,
		Dimension{Name: "unit", Categories: cats("U", units)},
		Dimension{Name: "grade", Categories: cats("G", len(gradeW))},
		Dimension{Name: "cohort", Categories: cats("C", cohorts)},
		Dimension{Name: "week", Categories: cats("W", weeks), Overlapping: true})
	var ps []person
	for u := range units {
		for range 8 + rng.IntN(73) {
			g, r := 0, rng.IntN(100)
			for r >= gradeW[g] {
				r -= gradeW[g]
				g++
			}
			var active []int
			for w := range weeks {
				if rng.Float64() < 0.6 {
					active = append(active, w)
				}
			}
			ps = append(ps, person{{u}, {g}, {rng.IntN(cohorts)}, active})
		}
	}
	return l, countsOf(l, ps)
}

func BenchmarkProtectRealistic(b *testing.B) { benchmarkProtect(b, realisticLattice) }

func BenchmarkProtectSparse(b *testing.B) { benchmarkProtect(b, sparseLattice) }

func benchmarkProtect(b *testing.B, lattice func(testing.TB, uint64) (*Lattice, []int)) {
	l, n := lattice(b, 1)
	for _, k := range []int{MinScores, MinText} {
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			var p *Pattern
			for b.Loop() {
				var err error
				if p, err = Protect(l, n, k); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			pr, se := p.Counts()
			populated := 0
			for _, c := range n {
				if c > 0 {
					populated++
				}
			}
			start := time.Now()
			leaks := Audit(p, n)
			audit := time.Since(start)
			for _, c := range []struct {
				name string
				pat  *Pattern
			}{{"per-table rule", perTable(b, l, n, k)}, {"protected", p}} {
				derivable, hidden := 0, 0
				for _, lk := range Audit(c.pat, n) {
					if lk.Rule == LeakDerivable {
						derivable++
					}
				}
				for i := range n {
					if n[i] > 0 && c.pat.Hidden(i) {
						hidden++
					}
				}
				b.Logf("%s: %d small cells derived by differencing, %d derivable by the exact audit; %d populated cells hidden",
					c.name, len(differencingAttack(c.pat, n)), derivable, hidden)
			}
			q, _ := Primary(l, n, k)
			start = time.Now()
			q.protectByHypercubes(n)
			cubes := time.Since(start)
			var byLevel [5][2]int // per number of Total coordinates: hidden, populated
			for i, c := range n {
				if c > 0 {
					t := l.Totals(i)
					byLevel[t][1]++
					if p.Hidden(i) {
						byLevel[t][0]++
					}
				}
			}
			for t, h := range byLevel {
				b.Logf("cells with %d Total coordinates: %d of %d populated hidden (%.1f%%)", t, h[0], h[1], 100*float64(h[0])/float64(h[1]))
			}
			b.Logf("%d cells (%d populated, %d people): %d primary, %d secondary, %.1f%% of populated cells hidden; hypercubes %v, exact audit %v, %d leaks",
				l.Len(), populated, n[len(n)-1], pr, se, 100*float64(pr+se)/float64(populated), cubes.Round(time.Millisecond), audit.Round(time.Millisecond), len(leaks))
		})
	}
}
