package assessment

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Bounds on uniquenesses, as psych::fa's optimizer (lower .005, upper 1).
const (
	minUniqueness = 0.005
	maxUniqueness = 1.0
)

// MinresResult is an unrotated minimum residual factor solution.
type MinresResult struct {
	Loadings    *mat.Dense // p×nf, columns signed to positive sums
	Uniqueness  []float64  // ψ, the fitted unique variances
	Communality []float64  // row sums of squared loadings
	Residual    float64    // sum of squared off-diagonal residuals (both triangles)
	Iterations  int
	Converged   bool
}

// Minres fits nf common factors to the correlation matrix r by minimum
// residual (unweighted least squares): it finds the uniquenesses ψ that
// minimize the sum of squared off-diagonal residuals of r - ΛΛ', where Λ
// holds the first nf eigenvectors of r - diag(ψ) scaled by the square roots
// of their eigenvalues. As in psych::fa, ψ starts at 1-SMC and is bounded
// to [0.005, 1]; loadings are then signed so each column sums positive.
//
// The concentrated criterion F(ψ) = Σ_{k>nf} λ_k(r-ψ)² has gradient
// -2·diag(r - ψ - ΛΛ'); it is minimized by projected gradient steps with
// Barzilai-Borwein step sizes until the projected gradient is below 1e-10.
func Minres(r *mat.SymDense, nf int) (*MinresResult, error) {
	p := r.SymmetricDim()
	if nf < 1 || nf >= p {
		return nil, fmt.Errorf("minres: %d factors for %d variables (need 1 <= factors < variables)", nf, p)
	}
	psi := make([]float64, p)
	if s, err := smc(r); err == nil {
		for i := range psi {
			psi[i] = clamp(r.At(i, i)-s[i], minUniqueness, maxUniqueness)
		}
	} else {
		for i := range psi {
			psi[i] = 0.5
		}
	}
	w := newMinresWork(r, nf)
	f, g, err := w.eval(psi)
	if err != nil {
		return nil, err
	}
	step := 0.5
	res := &MinresResult{}
	next := make([]float64, p)
	const maxIter = 20000
	for it := 0; it < maxIter; it++ {
		res.Iterations = it
		if projGradNorm(psi, g) < 1e-10 {
			res.Converged = true
			break
		}
		var fn float64
		var gn []float64
		accepted := false
		for try := 0; try < 40; try++ {
			for i := range psi {
				next[i] = clamp(psi[i]-step*g[i], minUniqueness, maxUniqueness)
			}
			fn, gn, err = w.eval(next)
			if err != nil {
				return nil, err
			}
			if fn <= f+1e-15*math.Abs(f) {
				accepted = true
				break
			}
			step /= 2
		}
		if !accepted {
			// No descent possible at machine precision: we are at the minimum.
			res.Converged = projGradNorm(psi, g) < 1e-6
			break
		}
		var ss, sy float64
		for i := range psi {
			s := next[i] - psi[i]
			y := gn[i] - g[i]
			ss += s * s
			sy += s * y
		}
		copy(psi, next)
		f, g = fn, gn
		if sy > 0 {
			step = ss / sy
		} else {
			step = 0.5
		}
	}
	load, err := w.loadings(psi)
	if err != nil {
		return nil, err
	}
	signColumns(load, nil)
	res.Loadings = load
	res.Uniqueness = psi
	res.Communality = rowSumSq(load)
	res.Residual = f
	return res, nil
}

type minresWork struct {
	r   *mat.SymDense
	nf  int
	a   *mat.SymDense
	eig mat.EigenSym
	vec mat.Dense
}

func newMinresWork(r *mat.SymDense, nf int) *minresWork {
	p := r.SymmetricDim()
	return &minresWork{r: r, nf: nf, a: mat.NewSymDense(p, nil)}
}

func (w *minresWork) decompose(psi []float64) ([]float64, error) {
	w.a.CopySym(w.r)
	for i, v := range psi {
		w.a.SetSym(i, i, w.r.At(i, i)-v)
	}
	if !w.eig.Factorize(w.a, true) {
		return nil, errors.New("minres: eigendecomposition failed")
	}
	w.eig.VectorsTo(&w.vec)
	return w.eig.Values(nil), nil // ascending
}

// eval returns F(ψ) and its gradient.
func (w *minresWork) eval(psi []float64) (float64, []float64, error) {
	vals, err := w.decompose(psi)
	if err != nil {
		return 0, nil, err
	}
	p := len(vals)
	f := 0.0
	g := make([]float64, p)
	for k := 0; k < p; k++ {
		kept := k >= p-w.nf && vals[k] > 0
		if kept {
			continue
		}
		f += vals[k] * vals[k]
		for i := 0; i < p; i++ {
			u := w.vec.At(i, k)
			g[i] -= 2 * vals[k] * u * u
		}
	}
	return f, g, nil
}

// loadings returns the first nf eigenvectors of r-ψ scaled by sqrt(max(λ,0)),
// largest first.
func (w *minresWork) loadings(psi []float64) (*mat.Dense, error) {
	vals, err := w.decompose(psi)
	if err != nil {
		return nil, err
	}
	p := len(vals)
	l := mat.NewDense(p, w.nf, nil)
	for f := 0; f < w.nf; f++ {
		k := p - 1 - f
		s := math.Sqrt(math.Max(vals[k], 0))
		for i := 0; i < p; i++ {
			l.Set(i, f, w.vec.At(i, k)*s)
		}
	}
	return l, nil
}

func projGradNorm(x, g []float64) float64 {
	m := 0.0
	for i := range x {
		d := math.Abs(clamp(x[i]-g[i], minUniqueness, maxUniqueness) - x[i])
		m = math.Max(m, d)
	}
	return m
}

func clamp(v, lo, hi float64) float64 { return math.Min(math.Max(v, lo), hi) }

func rowSumSq(l *mat.Dense) []float64 {
	p, q := l.Dims()
	out := make([]float64, p)
	for i := 0; i < p; i++ {
		for j := 0; j < q; j++ {
			out[i] += l.At(i, j) * l.At(i, j)
		}
	}
	return out
}

// signColumns flips each column of l (and the matching rows and columns of
// phi, if given) so that it sums to a non-negative number, as psych does.
func signColumns(l *mat.Dense, phi *mat.Dense) {
	p, q := l.Dims()
	for j := 0; j < q; j++ {
		s := 0.0
		for i := 0; i < p; i++ {
			s += l.At(i, j)
		}
		if s >= 0 {
			continue
		}
		for i := 0; i < p; i++ {
			l.Set(i, j, -l.At(i, j))
		}
		if phi != nil {
			for k := 0; k < q; k++ {
				if k != j {
					phi.Set(j, k, -phi.At(j, k))
					phi.Set(k, j, -phi.At(k, j))
				}
			}
		}
	}
}

// sortFactors orders columns by decreasing sum of squared loadings (psych's
// order after rotation) and permutes phi to match.
func sortFactors(l *mat.Dense, phi *mat.Dense) (*mat.Dense, *mat.Dense) {
	p, q := l.Dims()
	ss := make([]float64, q)
	for j := 0; j < q; j++ {
		for i := 0; i < p; i++ {
			ss[j] += l.At(i, j) * l.At(i, j)
		}
	}
	order := make([]int, q)
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(a, b int) bool { return ss[order[a]] > ss[order[b]] })
	nl := mat.NewDense(p, q, nil)
	for j, o := range order {
		for i := 0; i < p; i++ {
			nl.Set(i, j, l.At(i, o))
		}
	}
	if phi == nil {
		return nl, nil
	}
	np := mat.NewDense(q, q, nil)
	for a, oa := range order {
		for b, ob := range order {
			np.Set(a, b, phi.At(oa, ob))
		}
	}
	return nl, np
}
