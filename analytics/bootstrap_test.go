package analytics

import (
	"math/rand/v2"
	"testing"
)

func TestBootstrapDiD(t *testing.T) {
	t.Run("The same seed gives the same interval", func(t *testing.T) {
		rows := simDiDPanel(rand.New(rand.NewPCG(21, 22)), 200, 0.5, 0)
		a, err := BootstrapDiD(rows, BootstrapOptions{Reps: 199, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := BootstrapDiD(rows, BootstrapOptions{Reps: 199, Seed: 7})
		if a != b {
			t.Errorf("two runs differ: %+v vs %+v", a, b)
		}
		cr1, _ := DiD(rows, EffectOptions{})
		near(t, "bootstrap SE vs CR1 SE (within 20%)", a.SE/cr1.SE, 1, 0.2)
	})
	t.Run("Person-cluster bootstrap percentile intervals cover the truth about 95% of the time", func(t *testing.T) {
		// 200 simulations x 199 replications: binomial SD of coverage 0.0154,
		// accepted band [0.90, 0.99] (about -3 / +2.6 SD; percentile
		// intervals with 199 replications are slightly narrow).
		sims := 200
		if testing.Short() {
			sims = 100 // band still [0.90, 0.99]: SD 0.022, about -2.3 / +1.8 SD
		}
		rng := rand.New(rand.NewPCG(23, 24))
		covered := 0
		for s := 0; s < sims; s++ {
			e, err := BootstrapDiD(simDiDPanel(rng, 200, 0.5, 0), BootstrapOptions{Reps: 199, Seed: uint64(s)})
			if err != nil {
				t.Fatal(err)
			}
			if e.CILow <= 0.5 && 0.5 <= e.CIHigh {
				covered++
			}
		}
		cov := float64(covered) / float64(sims)
		if cov < 0.90 || cov > 0.99 {
			t.Errorf("coverage %.3f over %d simulations, want within [0.90, 0.99]", cov, sims)
		}
		t.Logf("coverage %.3f", cov)
	})
}
