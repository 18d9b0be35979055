package privacy

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// realisticLattice returns unit x grade x cohort x ISO week (40 x 5 x 3 x
// 13, with every margin: 13,776 cells) over about 1,500 people in units
// of 8 to 80, grades skewed towards the lower ones, and each person
// active in a week with probability 0.6 (weeks overlap).
func realisticLattice(tb testing.TB, seed uint64) (*Lattice, []int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	l := mustLattice(tb,
		Dimension{Name: "unit", Categories: cats("U", 40)},
		Dimension{Name: "grade", Categories: cats("G", 5)},
		Dimension{Name: "cohort", Categories: cats("C", 3)},
		Dimension{Name: "week", Categories: cats("W", 13), Overlapping: true})
	gradeW := []int{40, 30, 18, 9, 3}
	var ps []person
	for u := range 40 {
		for range 8 + rng.IntN(73) {
			g, r := 0, rng.IntN(100)
			for r >= gradeW[g] {
				r -= gradeW[g]
				g++
			}
			var weeks []int
			for w := range 13 {
				if rng.Float64() < 0.6 {
					weeks = append(weeks, w)
				}
			}
			ps = append(ps, person{{u}, {g}, {rng.IntN(3)}, weeks})
		}
	}
	return l, countsOf(l, ps)
}

func BenchmarkProtectRealistic(b *testing.B) {
	l, n := realisticLattice(b, 1)
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
