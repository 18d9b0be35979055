package analytics

import (
	"math"
	"testing"
)

func TestMomentsEstimates(t *testing.T) {
	var m Moments
	for _, x := range []float64{2, 4, 4, 4, 5, 5, 7, 9} {
		m.N, m.S, m.SS = m.N+1, m.S+x, m.SS+x*x
	}
	// Mean 5, sample SD 2.13809, t(7) 0.975 quantile 2.364624 (R: qt(0.975, 7)):
	// half-width 2.364624*2.13809/sqrt(8) = 1.78748; tolerance 1e-4.
	mean, lo, hi, ok := MeanCI(m)
	if !ok || math.Abs(mean-5) > 1e-12 || math.Abs(hi-mean-1.78748) > 1e-4 || math.Abs(mean-lo-1.78748) > 1e-4 {
		t.Fatalf("MeanCI = %v [%v, %v] %v, want 5 ± 1.78748", mean, lo, hi, ok)
	}
	if _, _, _, ok := MeanCI(Moments{N: 1, S: 3, SS: 9}); ok {
		t.Fatal("one observation must give no interval")
	}
	// Wilson 95% for 8 of 20 (R: prop.test(8, 20, correct = FALSE)$conf.int):
	// 0.2188..0.6134; tolerance 1e-4.
	p, lo, hi, ok := WilsonCI(8, 20)
	if !ok || p != 0.4 || math.Abs(lo-0.21879) > 1e-4 || math.Abs(hi-0.61339) > 1e-4 {
		t.Fatalf("WilsonCI(8, 20) = %v [%v, %v]", p, lo, hi)
	}
	// Difference of two means: (5 - 3) ± 1.959964*sqrt(se_a² + se_b²).
	b := Moments{N: 4, S: 12, SS: 40} // 2, 2, 4, 4: mean 3, SD 1.1547, SE 0.57735
	d, lo, hi, ok := DiffCI(m, b)
	want := 1.959964 * math.Sqrt(math.Pow(2.13809/math.Sqrt(8), 2)+0.57735*0.57735)
	if !ok || math.Abs(d-2) > 1e-12 || math.Abs(hi-d-want) > 1e-4 || math.Abs(d-lo-want) > 1e-4 {
		t.Fatalf("DiffCI = %v [%v, %v], want 2 ± %v", d, lo, hi, want)
	}
}
