package analytics

import (
	"math"
	"testing"
)

func TestStandardizedDifference(t *testing.T) {
	t.Run("Borenstein et al. (2009) chapter 4 worked example: means 103 and 100, SDs 5.5 and 4.5, n 50 each", func(t *testing.T) {
		// Build two samples with exactly those means and SDs: m +- s*sqrt((n-1)/n).
		mk := func(m, s float64, n int) []float64 {
			x := make([]float64, n)
			h := s * math.Sqrt(float64(n-1)/float64(n))
			for i := range x {
				x[i] = m + h*float64(1-2*(i%2))
			}
			return x
		}
		es, err := StandardizedDifference(mk(103, 5.5, 50), mk(100, 4.5, 50), 0.95)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "pooled SD", es.PooledSD, 5.0249, 5e-5) // book: S_within 5.0249
		near(t, "d", es.CohensD, 0.5970, 5e-5)          // book: d 0.5970
		near(t, "Var(d)", es.SED*es.SED, 0.0418, 5e-5)  // book: V_d 0.0418
		near(t, "J", es.HedgesJ, 0.9923, 5e-5)          // book: J 0.9923 (approximation 1-3/(4df-1); exact differs by 3e-6)
		near(t, "g", es.HedgesG, 0.5924, 5e-5)          // book: g 0.5924
		near(t, "Var(g)", es.SEG*es.SEG, 0.0411, 5e-5)  // book: V_g 0.0411
		near(t, "d CI low", es.DCILow, es.CohensD-1.959964*es.SED, 1e-6)
	})
	t.Run("Too few values are rejected", func(t *testing.T) {
		if _, err := StandardizedDifference([]float64{1}, []float64{1, 2}, 0); err == nil {
			t.Error("want an error for one treated value")
		}
	})
}

func TestPower(t *testing.T) {
	t.Run("Detecting half an SD at alpha 0.05 with 80% power needs 63 per arm (normal approximation 62.79)", func(t *testing.T) {
		nt, nc, err := SampleSize(PowerSpec{SD: 1}, 0.5)
		if err != nil || nt != 63 || nc != 63 {
			t.Errorf("got %d, %d, %v; want 63 per arm", nt, nc, err)
		}
	})
	t.Run("The MDE inverts the sample size", func(t *testing.T) {
		mde, err := MDE(PowerSpec{SD: 1, NTreated: 63, NControl: 63})
		if err != nil {
			t.Fatal(err)
		}
		near(t, "MDE", mde, 2.801585*math.Sqrt(2.0/63), 1e-6) // z_.975 + z_.8 = 1.959964 + 0.841621
	})
	t.Run("Clustering inflates and a pre-post DiD with correlation 0.5 keeps the variance of one measure", func(t *testing.T) {
		base, _ := MDE(PowerSpec{SD: 1, NTreated: 100, NControl: 100})
		cl, _ := MDE(PowerSpec{SD: 1, NTreated: 100, NControl: 100, ClusterSize: 11, ICC: 0.1})
		did, _ := MDE(PowerSpec{SD: 1, NTreated: 100, NControl: 100, DiD: true, Rho: 0.5})
		near(t, "design effect 2 -> MDE x sqrt(2)", cl/base, math.Sqrt(2), 1e-12)
		near(t, "DiD factor 2(1-0.5) = 1", did/base, 1, 1e-12)
	})
	t.Run("Bad specs are rejected with the field named", func(t *testing.T) {
		if _, err := MDE(PowerSpec{SD: 0, NTreated: 1, NControl: 1}); err == nil {
			t.Error("want an error for SD 0")
		}
		if _, _, err := SampleSize(PowerSpec{SD: 1, ICC: 1}, 1); err == nil {
			t.Error("want an error for ICC 1")
		}
	})
}
