package assessment

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// FactorSolution is an exploratory factor analysis in psych::fa's form.
type FactorSolution struct {
	// Loadings is p×nf (pattern loadings for oblique rotations), columns
	// signed to positive sums and ordered by decreasing sum of squares.
	Loadings *mat.Dense
	// Phi holds the factor correlations for oblique rotations, nil otherwise.
	Phi *mat.Dense
	// Communality and Uniqueness are per variable from the unrotated fit.
	Communality []float64
	Uniqueness  []float64
	Rotation    string
	Converged   bool
}

// FactorAnalysis fits nf factors to the correlation matrix r by minres and
// rotates them (RotateOblimin, RotateVarimax or RotateNone), then signs and
// orders the factors as psych::fa does.
func FactorAnalysis(r *mat.SymDense, nf int, rotation string) (*FactorSolution, error) {
	m, err := Minres(r, nf)
	if err != nil {
		return nil, fmt.Errorf("factor analysis: %w", err)
	}
	sol := &FactorSolution{
		Loadings: m.Loadings, Communality: m.Communality, Uniqueness: m.Uniqueness,
		Rotation: rotation, Converged: m.Converged,
	}
	if nf == 1 || rotation == RotateNone || rotation == "" {
		sol.Rotation = RotateNone
		return sol, nil
	}
	var rot *Rotated
	switch rotation {
	case RotateOblimin:
		rot, err = Oblimin(m.Loadings, 0, 0)
	case RotateVarimax:
		rot, err = Varimax(m.Loadings)
	default:
		return nil, fmt.Errorf("factor analysis: unknown rotation %q (want %q, %q or %q)", rotation, RotateOblimin, RotateVarimax, RotateNone)
	}
	if err != nil {
		return nil, fmt.Errorf("factor analysis: %w", err)
	}
	signColumns(rot.Loadings, rot.Phi)
	sol.Loadings, sol.Phi = sortFactors(rot.Loadings, rot.Phi)
	sol.Converged = sol.Converged && rot.Converged
	return sol, nil
}

// OmegaTotal is McDonald's omega total of a scale whose (keyed) items have
// correlation matrix r, from a one-factor minres solution, as psych::omega
// reports it: 1 - Σ(1-h²)/ΣR, with h² the items' communalities.
func OmegaTotal(r *mat.SymDense) (float64, error) {
	m, err := Minres(r, 1)
	if err != nil {
		return math.NaN(), fmt.Errorf("omega total: %w", err)
	}
	u := 0.0
	for _, h := range m.Communality {
		u += 1 - h
	}
	return 1 - u/symSum(r), nil
}

// PCA holds a principal component analysis of a correlation matrix.
type PCA struct {
	// Eigenvalues in decreasing order (they sum to the number of items).
	Eigenvalues []float64
	// Loadings is p×p: eigenvector k scaled by sqrt(eigenvalue k), each
	// column signed to a positive sum as psych::principal does.
	Loadings *mat.Dense
}

// PrincipalComponents decomposes the correlation matrix r.
func PrincipalComponents(r *mat.SymDense) (*PCA, error) {
	var eig mat.EigenSym
	if !eig.Factorize(r, true) {
		return nil, fmt.Errorf("principal components: eigendecomposition failed")
	}
	vals := eig.Values(nil)
	var vec mat.Dense
	eig.VectorsTo(&vec)
	p := len(vals)
	out := &PCA{Eigenvalues: make([]float64, p), Loadings: mat.NewDense(p, p, nil)}
	for k := 0; k < p; k++ {
		src := p - 1 - k
		out.Eigenvalues[k] = vals[src]
		s := math.Sqrt(math.Max(vals[src], 0))
		for i := 0; i < p; i++ {
			out.Loadings.Set(i, k, vec.At(i, src)*s)
		}
	}
	signColumns(out.Loadings, nil)
	return out, nil
}
