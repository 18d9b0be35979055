package assessment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// AlphaCI is a percentile bootstrap interval for raw alpha.
type AlphaCI struct {
	Lower, Median, Upper float64
	Replicates           int
}

// BootstrapAlpha resamples the rows of x (respondents) with replacement
// reps times (psych uses n.iter) and returns the 2.5%, 50% and 97.5%
// quantiles (R's default type 7) of raw alpha from pairwise covariances, as
// psych::alpha(n.iter=...) reports boot.ci. The PCG generator is seeded with
// seed, so results are reproducible.
func BootstrapAlpha(x *mat.Dense, sc Scale, reps int, seed uint64) (AlphaCI, error) {
	if reps < 2 {
		return AlphaCI{}, fmt.Errorf("bootstrap alpha of %q: need at least 2 replicates, got %d", sc.Name, reps)
	}
	n, _ := x.Dims()
	k := len(sc.Columns)
	sign := make([]float64, k)
	for a := range sign {
		sign[a] = 1
		if sc.Reversed != nil && sc.Reversed[a] {
			sign[a] = -1
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0xa1fa))
	buf := mat.NewDense(n, k, nil)
	all := make([]int, k)
	for a := range all {
		all[a] = a
	}
	alphas := make([]float64, 0, reps)
	for b := 0; b < reps; b++ {
		for i := 0; i < n; i++ {
			src := rng.IntN(n)
			for a, j := range sc.Columns {
				buf.Set(i, a, x.At(src, j))
			}
		}
		c := PairwiseMoments(buf).Sub(all, sign, 0).Cov
		kk := float64(k)
		al := (1 - symTrace(c)/symSum(c)) * kk / (kk - 1)
		if !math.IsNaN(al) {
			alphas = append(alphas, al)
		}
	}
	if len(alphas) < 2 {
		return AlphaCI{}, fmt.Errorf("bootstrap alpha of %q: no usable replicate", sc.Name)
	}
	sort.Float64s(alphas)
	return AlphaCI{Lower: quantile7(alphas, 0.025), Median: quantile7(alphas, 0.5), Upper: quantile7(alphas, 0.975), Replicates: len(alphas)}, nil
}

// quantile7 is R's default quantile (type 7) of sorted data.
func quantile7(s []float64, p float64) float64 {
	h := float64(len(s)-1) * p
	lo := math.Floor(h)
	hi := math.Min(lo+1, float64(len(s)-1))
	return s[int(lo)] + (h-lo)*(s[int(hi)]-s[int(lo)])
}

// Parallel is the result of Horn's parallel analysis.
type Parallel struct {
	// Observed and Simulated eigenvalues: of the correlation matrix (PCA)
	// and of the matrix with SMCs on the diagonal (factors); Simulated are
	// the 95th percentiles over the random data sets.
	ObservedPC, SimulatedPC         []float64
	ObservedFactor, SimulatedFactor []float64
	// Components and Factors count the leading observed eigenvalues above
	// their simulated counterparts.
	Components, Factors int
}

// ParallelAnalysis compares the eigenvalues of r (from n respondents) with
// those of iters random normal data sets of the same size (95th percentile,
// as psych::fa.parallel's quant=.95), counting how many components and
// factors stand out from noise. The factor eigenvalues use squared multiple
// correlations on the diagonal (the classic Humphreys-Montanelli form);
// psych's fa.parallel instead takes eigenvalues of a one-factor fa, so the
// factor count can differ from psych's in borderline cases.
func ParallelAnalysis(r *mat.SymDense, n, iters int, seed uint64) (*Parallel, error) {
	p := r.SymmetricDim()
	if n < 3 || iters < 1 {
		return nil, fmt.Errorf("parallel analysis: need n >= 3 and iters >= 1, got %d and %d", n, iters)
	}
	obsPC, obsF, err := eigenPair(r)
	if err != nil {
		return nil, fmt.Errorf("parallel analysis: %w", err)
	}
	rng := rand.New(rand.NewPCG(seed, 0x9a7a))
	simPC := make([][]float64, p)
	simF := make([][]float64, p)
	x := mat.NewDense(n, p, nil)
	for it := 0; it < iters; it++ {
		raw := x.RawMatrix().Data
		for i := range raw {
			raw[i] = rng.NormFloat64()
		}
		pc, f, err := eigenPair(PairwiseMoments(x).Cor)
		if err != nil {
			return nil, fmt.Errorf("parallel analysis: simulated data: %w", err)
		}
		for k := 0; k < p; k++ {
			simPC[k] = append(simPC[k], pc[k])
			simF[k] = append(simF[k], f[k])
		}
	}
	out := &Parallel{ObservedPC: obsPC, ObservedFactor: obsF}
	for k := 0; k < p; k++ {
		sort.Float64s(simPC[k])
		sort.Float64s(simF[k])
		out.SimulatedPC = append(out.SimulatedPC, quantile7(simPC[k], 0.95))
		out.SimulatedFactor = append(out.SimulatedFactor, quantile7(simF[k], 0.95))
	}
	for k := 0; k < p && obsPC[k] > out.SimulatedPC[k]; k++ {
		out.Components++
	}
	for k := 0; k < p && obsF[k] > out.SimulatedFactor[k]; k++ {
		out.Factors++
	}
	return out, nil
}

// eigenPair returns the decreasing eigenvalues of r and of r with SMCs on
// its diagonal.
func eigenPair(r *mat.SymDense) (pc, f []float64, err error) {
	pca, err := PrincipalComponents(r)
	if err != nil {
		return nil, nil, err
	}
	s, err := smc(r)
	if err != nil {
		return nil, nil, err
	}
	red := mat.NewSymDense(r.SymmetricDim(), nil)
	red.CopySym(r)
	for i, v := range s {
		red.SetSym(i, i, v)
	}
	var eig mat.EigenSym
	if !eig.Factorize(red, false) {
		return nil, nil, fmt.Errorf("eigendecomposition of the reduced matrix failed")
	}
	v := eig.Values(nil)
	for i := len(v) - 1; i >= 0; i-- {
		f = append(f, v[i])
	}
	return pca.Eigenvalues, f, nil
}
