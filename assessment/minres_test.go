package assessment

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// A four-item scale from the synthetic demo's 2026-04 digital-attitude
// wave (comune-aurelia, seed 1), on which the earlier gradient solver ran
// to its iteration limit.
var demoScaleCor = []float64{
	1, 0.5809233215549454, 0.4984884117765375, 0.5133582760077379,
	0, 1, 0.485632575361143, 0.5061014767519914,
	0, 0, 1, 0.4432015730270747,
	0, 0, 0, 1,
}

// heywoodCor implies a loading above one for the first item
// (r12·r13/r23 = 0.75·0.7/0.45 ≈ 1.17), so its uniqueness sits at the bound.
var heywoodCor = []float64{
	1, 0.75, 0.7, 0.65,
	0, 1, 0.45, 0.42,
	0, 0, 1, 0.39,
	0, 0, 0, 1,
}

func TestMinresHessianMatchesFiniteDifferences(t *testing.T) {
	five := PairwiseMoments(syntheticMatrix(2000, 3, 5, 0.05, 7)).Cor
	cases := []struct {
		name string
		r    *mat.SymDense
		nf   int
		psi  float64
	}{
		{"The one-factor Hessian of a demo scale matches differences of the gradient.", mat.NewSymDense(4, demoScaleCor), 1, 0.5},
		{"The one-factor Hessian near a Heywood item matches differences of the gradient.", mat.NewSymDense(4, heywoodCor), 1, 0.3},
		{"The three-factor Hessian of fifteen items matches differences of the gradient.", five, 3, 0.45},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.r.SymmetricDim()
			psi := make([]float64, p)
			for i := range psi {
				psi[i] = c.psi + 0.01*float64(i%3)
			}
			w := newMinresWork(c.r, c.nf)
			g := make([]float64, p)
			if _, err := w.eval(psi, g); err != nil {
				t.Fatal(err)
			}
			h := mat.NewSymDense(p, nil)
			w.hessian(h)
			const step, tol = 1e-6, 1e-6 // central differences: error O(step²) plus rounding/step
			gp, gm := make([]float64, p), make([]float64, p)
			for j := 0; j < p; j++ {
				x := append([]float64(nil), psi...)
				x[j] = psi[j] + step
				if _, err := w.eval(x, gp); err != nil {
					t.Fatal(err)
				}
				x[j] = psi[j] - step
				if _, err := w.eval(x, gm); err != nil {
					t.Fatal(err)
				}
				for i := 0; i < p; i++ {
					fd := (gp[i] - gm[i]) / (2 * step)
					if math.Abs(fd-h.At(i, j)) > tol*(1+math.Abs(fd)) {
						t.Errorf("H[%d,%d] = %.9f, finite differences give %.9f (tolerance %g)", i, j, h.At(i, j), fd, tol)
					}
				}
			}
		})
	}
}

func TestMinresReachesTheBoundConstrainedMinimum(t *testing.T) {
	cases := []struct {
		name    string
		r       []float64
		atBound []bool
	}{
		{"A demo scale converges to an interior point with zero residual diagonal.", demoScaleCor, []bool{false, false, false, false}},
		{"A Heywood item stops at the lower bound with the gradient pushing outwards.", heywoodCor, []bool{true, false, false, false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := mat.NewSymDense(4, c.r)
			m, err := Minres(r, 1)
			if err != nil {
				t.Fatal(err)
			}
			if !m.Converged {
				t.Fatalf("not converged after %d iterations", m.Iterations)
			}
			for i, psi := range m.Uniqueness {
				// The gradient in ψ_i is -2·(r_ii - ψ_i - h_i²).
				d := r.At(i, i) - psi - m.Communality[i]
				const tol = 1e-10
				if c.atBound[i] {
					if psi != minUniqueness || d > tol {
						t.Errorf("item %d: ψ=%.6f, residual diagonal %.3g; want ψ at %g and residual ≤ %g", i, psi, d, minUniqueness, tol)
					}
				} else if psi <= minUniqueness || psi >= maxUniqueness || math.Abs(d) > tol {
					t.Errorf("item %d: ψ=%.6f, residual diagonal %.3g; want an interior ψ and |residual| ≤ %g", i, psi, d, tol)
				}
			}
		})
	}
}
