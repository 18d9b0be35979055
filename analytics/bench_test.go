package analytics

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// BenchmarkDiDClustered1M times a 2x2 DiD with person-clustered CR1 standard
// errors on 1,000,000 person-week rows (20,000 people x 50 weeks). Target
// from the issue: under 1 s per run. Run with
//
//	go test -run '^$' -bench . -benchtime 3x ./analytics/
func BenchmarkDiDClustered1M(b *testing.B) {
	const people, weeks = 20000, 50
	rng := rand.New(rand.NewPCG(11, 12))
	rows := make([]PanelRow, 0, people*weeks)
	for i := 0; i < people; i++ {
		unit := "p" + strconv.Itoa(i)
		treated := i%2 == 0
		alpha := rng.NormFloat64()
		for w := 0; w < weeks; w++ {
			post := w >= weeks/2
			y := 3 + alpha + rng.NormFloat64()
			if treated && post {
				y += 0.2
			}
			rows = append(rows, PanelRow{Unit: unit, Time: w, Treated: treated, Post: post, Y: y})
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := DiD(rows, EffectOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStaggered50k times the Callaway & Sant'Anna estimator (all
// group-time effects, overall effect, event study, pre-trend test and TWFE)
// on 50,000 people over 52 weeks in 10 adoption cohorts plus never treated
// (2,600,000 rows). Target from the issue: under 5 s per run.
func BenchmarkStaggered50k(b *testing.B) {
	const people, weeks = 50000, 52
	rng := rand.New(rand.NewPCG(13, 14))
	rows := make([]PanelRow, 0, people*weeks)
	for i := 0; i < people; i++ {
		unit := "p" + strconv.Itoa(i)
		cohort := 0
		if c := i % 11; c < 10 {
			cohort = 5 + 4*c // weeks 5, 9, ..., 41
		}
		alpha := rng.NormFloat64()
		for w := 1; w <= weeks; w++ {
			y := alpha + 0.01*float64(w) + rng.NormFloat64()
			if cohort != 0 && w >= cohort {
				y += 0.3
			}
			rows = append(rows, PanelRow{Unit: unit, Time: w, Cohort: cohort, Y: y})
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Staggered(rows, StaggeredOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
