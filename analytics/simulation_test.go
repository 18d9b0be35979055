package analytics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Coverage checks run nSims seeded simulations with a known effect. With 500
// simulations and 95% nominal coverage the binomial standard deviation of the
// observed coverage is 0.0097, so the accepted band [0.92, 0.98] is about
// +-3 standard deviations; the bias check accepts |mean - truth| below 4
// Monte Carlo standard errors of the mean.
const (
	nSims       = 500
	coverageLow = 0.92
	coverageHi  = 0.98
)

type simSummary struct {
	sum, sumSq float64
	covered, n int
}

func (s *simSummary) add(e Estimate, truth float64) {
	s.sum += e.Estimate
	s.sumSq += e.Estimate * e.Estimate
	s.n++
	if e.CILow <= truth && truth <= e.CIHigh {
		s.covered++
	}
}

func (s *simSummary) check(t *testing.T, truth float64) {
	t.Helper()
	n := float64(s.n)
	mean := s.sum / n
	sd := math.Sqrt((s.sumSq - n*mean*mean) / (n - 1))
	mcse := sd / math.Sqrt(n)
	if math.Abs(mean-truth) > 4*mcse { // tolerance: 4 Monte Carlo SEs
		t.Errorf("mean estimate %.4f, truth %.4f, Monte Carlo SE %.4f: biased beyond 4 MCSE", mean, truth, mcse)
	}
	cov := float64(s.covered) / n
	if cov < coverageLow || cov > coverageHi { // tolerance: binomial band [0.92, 0.98] for 500 sims
		t.Errorf("95%% interval coverage %.3f over %d simulations, want within [%.2f, %.2f]", cov, s.n, coverageLow, coverageHi)
	}
	t.Logf("mean %.4f (truth %.4f, MCSE %.4f), coverage %.3f", mean, truth, mcse, cov)
}

// simDiDPanel draws persons in 40 org units observed pre and post: a person
// effect, an org-unit shock per period (sd orgSD), heteroskedastic noise and a
// true effect for the pilot half.
func simDiDPanel(rng *rand.Rand, persons int, effect, orgSD float64) []PanelRow {
	const orgs = 40
	shock := make([]float64, 2*orgs)
	for i := range shock {
		shock[i] = orgSD * rng.NormFloat64()
	}
	rows := make([]PanelRow, 0, 2*persons)
	for i := 0; i < persons; i++ {
		org := i % orgs
		treated := org%2 == 0 // the pilot runs in whole org units
		alpha := rng.NormFloat64()
		for post := 0; post < 2; post++ {
			y := alpha + 0.3*float64(post) + 0.2*float64(b2i(treated)) + shock[2*org+post]
			if treated && post == 1 {
				y += effect
			}
			sd := 1.0
			if treated {
				sd = 1.5
			}
			y += sd * rng.NormFloat64()
			rows = append(rows, PanelRow{Unit: fmt.Sprint(i), Cluster: fmt.Sprint(org), Treated: treated, Post: post == 1, Y: y})
		}
	}
	return rows
}

func TestSimulationDiDCoverage(t *testing.T) {
	const effect = 0.5
	for _, c := range []struct {
		name  string
		by    ClusterBy
		orgSD float64
	}{
		{"Person-clustered CR1 intervals cover the true DiD effect about 95% of the time", ClusterUnit, 0},
		{"Org-unit-clustered CR1 intervals with t on G-1 df cover the truth when org units share shocks", ClusterField, 0.4},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var s simSummary
			for sim := 0; sim < nSims; sim++ {
				e, err := DiD(simDiDPanel(rng, 200, effect, c.orgSD), EffectOptions{Cluster: c.by})
				if err != nil {
					t.Fatal(err)
				}
				s.add(e, effect)
			}
			s.check(t, effect)
		})
	}
}
