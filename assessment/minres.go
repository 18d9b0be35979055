package assessment

import (
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
	// Residual is F(ψ), the sum of squared entries of r - diag(ψ) - ΛΛ'. At
	// an interior minimum the diagonal ones vanish, so it is then the sum of
	// squared off-diagonal residuals (both triangles).
	Residual   float64
	Iterations int
	Converged  bool
}

// Convergence of the minres solver: the projected gradient (ψ - P(ψ - ∇F)
// in the max norm, zero at a bound-constrained minimum) must fall below
// minresTol. minresLoose accepts a point where no step lowers F at machine
// precision as converged when the projected gradient is below it.
const (
	minresTol     = 1e-10
	minresLoose   = 1e-8
	minresMaxIter = 200
)

// Minres fits nf common factors to the correlation matrix r by minimum
// residual (unweighted least squares): it finds the uniquenesses ψ that
// minimize the sum of squared off-diagonal residuals of r - ΛΛ', where Λ
// holds the first nf eigenvectors of r - diag(ψ) scaled by the square roots
// of their eigenvalues. As in psych::fa, ψ starts at 1-SMC and is bounded
// to [0.005, 1]; loadings are then signed so each column sums positive.
//
// The concentrated criterion F(ψ) = Σ_{k>nf} λ_k(r-ψ)² is minimized by a
// projected Newton method with its analytic gradient and Hessian (see
// minresWork): Newton steps on the variables off their bounds, damped to a
// positive definite system when needed, with an Armijo backtracking line
// search along the projection arc and a steepest-descent fallback. It stops
// when the projected gradient is below 1e-10, which takes a handful of
// iterations; F's own rounding error is then far larger than the decrease
// still available, so a line search on F alone could not get there.
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
	g := make([]float64, p)
	f, err := w.eval(psi, g)
	if err != nil {
		return nil, err
	}
	res := &MinresResult{}
	h := mat.NewSymDense(p, nil)
	d := make([]float64, p)
	trial, gt := make([]float64, p), make([]float64, p)
	for it := 0; ; it++ {
		res.Iterations = it
		pg := projGradNorm(psi, g)
		if pg < minresTol {
			res.Converged = true
			break
		}
		if it == minresMaxIter {
			break
		}
		w.hessian(h)
		ok := newtonDirection(h, psi, g, pg, d)
		var ft float64
		if ok {
			ft, ok, err = lineSearch(w, psi, g, f, pg, d, trial, gt)
			if err != nil {
				return nil, err
			}
		}
		if !ok {
			for i := range d {
				d[i] = -g[i]
			}
			ft, ok, err = lineSearch(w, psi, g, f, pg, d, trial, gt)
			if err != nil {
				return nil, err
			}
		}
		if !ok {
			// No step lowers F at machine precision: we are at the minimum
			// as far as it can be located.
			res.Converged = pg < minresLoose
			break
		}
		psi, trial = trial, psi
		g, gt = gt, g
		f = ft
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

// newtonDirection writes into d the projected Newton direction at ψ: the
// solution of H_FF d_F = -g_F on the free variables F, with H_FF shifted
// by μI until positive definite, and a diagonally scaled gradient step on
// the variables held at a bound (within ε = min(pg, 1e-3) of it, with the
// gradient pushing outwards). It reports false when no direction exists.
func newtonDirection(h *mat.SymDense, psi, g []float64, pg float64, d []float64) bool {
	eps := math.Min(pg, 1e-3)
	var free []int
	for i := range psi {
		atLo := psi[i] <= minUniqueness+eps && g[i] > 0
		atHi := psi[i] >= maxUniqueness-eps && g[i] < 0
		if atLo || atHi {
			d[i] = -g[i] / math.Max(h.At(i, i), 1e-8)
			continue
		}
		free = append(free, i)
	}
	if len(free) == 0 {
		return true
	}
	n := len(free)
	hf := mat.NewSymDense(n, nil)
	rhs := mat.NewVecDense(n, nil)
	maxDiag := 0.0
	for a, i := range free {
		rhs.SetVec(a, -g[i])
		maxDiag = math.Max(maxDiag, math.Abs(h.At(i, i)))
	}
	var chol mat.Cholesky
	var x mat.VecDense
	mu := 0.0
	for try := 0; try < 60; try++ {
		for a, i := range free {
			for b := a; b < n; b++ {
				hf.SetSym(a, b, h.At(i, free[b]))
			}
			hf.SetSym(a, a, h.At(i, i)+mu)
		}
		if chol.Factorize(hf) && chol.SolveVecTo(&x, rhs) == nil {
			for a, i := range free {
				d[i] = x.AtVec(a)
				if math.IsNaN(d[i]) || math.IsInf(d[i], 0) {
					return false
				}
			}
			return true
		}
		mu = math.Max(2*mu, 1e-12*(1+maxDiag))
	}
	return false
}

// lineSearch backtracks along the projection arc P(ψ + αd), α = 1, 1/2, …,
// until the Armijo condition holds, writing the accepted point and its
// gradient into trial and gt. Where F cannot resolve the decrease (the
// change is within its rounding error), a step that lowers the projected
// gradient is accepted instead. It reports false when no step is accepted.
func lineSearch(w *minresWork, psi, g []float64, f, pg float64, d, trial, gt []float64) (float64, bool, error) {
	const armijo, noise = 1e-4, 1e-14
	alpha := 1.0
	for try := 0; try < 50; try++ {
		dec, moved := 0.0, false
		for i := range psi {
			trial[i] = clamp(psi[i]+alpha*d[i], minUniqueness, maxUniqueness)
			dec += g[i] * (trial[i] - psi[i])
			moved = moved || trial[i] != psi[i]
		}
		if !moved {
			return 0, false, nil
		}
		ft, err := w.eval(trial, gt)
		if err != nil {
			return 0, false, err
		}
		if ft <= f+armijo*math.Min(dec, 0) {
			return ft, true, nil
		}
		if ft <= f+noise*(1+math.Abs(f)) && projGradNorm(trial, gt) < pg {
			return ft, true, nil
		}
		alpha /= 2
	}
	return 0, false, nil
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
