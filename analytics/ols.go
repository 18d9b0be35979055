package analytics

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// VCovType selects how the covariance matrix of OLS coefficients is estimated.
type VCovType int

const (
	// VCovClassic assumes homoskedastic, independent errors: s^2 (X'X)^-1
	// with s^2 = RSS/(N-K).
	VCovClassic VCovType = iota
	// VCovHC1 is White's heteroskedasticity-robust sandwich with the
	// N/(N-K) small-sample factor (Stata "robust", R sandwich type "HC1").
	VCovHC1
	// VCovCR1 is the cluster-robust sandwich with the factor
	// G/(G-1) * (N-1)/(N-K), as Stata's vce(cluster) and R's
	// sandwich::vcovCL(type = "HC1", cadjust = TRUE). Inference uses
	// Student t with G-1 degrees of freedom.
	VCovCR1
)

func (v VCovType) String() string {
	switch v {
	case VCovClassic:
		return "classic"
	case VCovHC1:
		return "HC1"
	case VCovCR1:
		return "CR1"
	}
	return fmt.Sprintf("VCovType(%d)", int(v))
}

// Design is a linear model y = X b + e ready to fit. X is stored row-major:
// row i occupies X[i*K : (i+1)*K] where K = len(Names).
type Design struct {
	Names []string
	X     []float64
	Y     []float64
	// Cluster holds a cluster index in [0, G) per row; it is required for
	// VCovCR1 and ignored otherwise.
	Cluster []int
}

// Regression is a fitted OLS model.
type Regression struct {
	Names     []string
	Coef      []float64
	VCov      *mat.SymDense
	Residuals []float64
	NObs      int
	NClusters int // 0 unless the covariance is clustered
	// DF is the degrees of freedom for t inference: N-K, or G-1 when clustered.
	DF   float64
	Type VCovType
}

// ErrCollinear is returned when the design matrix does not have full column
// rank, for example a covariate that is constant or duplicates another.
var ErrCollinear = errors.New("the regressors are collinear (a covariate is constant or a combination of others)")

// FitOLS fits y on X by least squares and estimates the covariance of the
// coefficients as asked. The normal equations are solved on column-scaled
// cross products by Cholesky, which is exact to ~1e-12 relative for the small
// K of impact models and streams over the rows once.
func FitOLS(d Design, vt VCovType) (*Regression, error) {
	k := len(d.Names)
	n := len(d.Y)
	if k == 0 {
		return nil, fmt.Errorf("fit ols: no regressors")
	}
	if len(d.X) != n*k {
		return nil, fmt.Errorf("fit ols: X has %d values, want %d rows x %d columns", len(d.X), n, k)
	}
	if n <= k {
		return nil, fmt.Errorf("fit ols: %d observations for %d coefficients; need more observations than coefficients", n, k)
	}
	if vt == VCovCR1 && len(d.Cluster) != n {
		return nil, fmt.Errorf("fit ols: clustered covariance needs a cluster per row (%d for %d rows)", len(d.Cluster), n)
	}
	// Column scales for conditioning.
	scale := make([]float64, k)
	for i := 0; i < n; i++ {
		row := d.X[i*k : (i+1)*k]
		for j, v := range row {
			scale[j] += v * v
		}
	}
	for j := range scale {
		if scale[j] == 0 {
			return nil, fmt.Errorf("fit ols: column %q is all zero: %w", d.Names[j], ErrCollinear)
		}
		scale[j] = 1 / math.Sqrt(scale[j])
	}
	xtx := make([]float64, k*k)
	xty := make([]float64, k)
	for i := 0; i < n; i++ {
		row := d.X[i*k : (i+1)*k]
		y := d.Y[i]
		for a := 0; a < k; a++ {
			xa := row[a] * scale[a]
			xty[a] += xa * y
			for b := a; b < k; b++ {
				xtx[a*k+b] += xa * row[b] * scale[b]
			}
		}
	}
	sym := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			sym.SetSym(a, b, xtx[a*k+b])
		}
	}
	var chol mat.Cholesky
	if ok := chol.Factorize(sym); !ok || chol.Cond() > 1e12 {
		return nil, fmt.Errorf("fit ols: %w", ErrCollinear)
	}
	var bs mat.VecDense
	if err := chol.SolveVecTo(&bs, mat.NewVecDense(k, xty)); err != nil {
		return nil, fmt.Errorf("fit ols: solve normal equations: %w", err)
	}
	var inv mat.SymDense
	if err := chol.InverseTo(&inv); err != nil {
		return nil, fmt.Errorf("fit ols: invert X'X: %w", err)
	}
	coef := make([]float64, k)
	for j := range coef {
		coef[j] = bs.AtVec(j) * scale[j]
	}
	// bread = (X'X)^-1 in original units.
	bread := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			bread.SetSym(a, b, inv.At(a, b)*scale[a]*scale[b])
		}
	}
	res := make([]float64, n)
	for i := 0; i < n; i++ {
		row := d.X[i*k : (i+1)*k]
		f := 0.0
		for j, v := range row {
			f += v * coef[j]
		}
		res[i] = d.Y[i] - f
	}
	r := &Regression{Names: d.Names, Coef: coef, Residuals: res, NObs: n, Type: vt, DF: float64(n - k)}
	var err error
	r.VCov, r.NClusters, err = vcov(d, bread, res, vt)
	if err != nil {
		return nil, fmt.Errorf("fit ols: %w", err)
	}
	if vt == VCovCR1 {
		r.DF = float64(r.NClusters - 1)
	}
	return r, nil
}

// Index returns the position of the named coefficient, or -1.
func (r *Regression) Index(name string) int {
	for i, n := range r.Names {
		if n == name {
			return i
		}
	}
	return -1
}

// SE returns the standard error of coefficient j.
func (r *Regression) SE(j int) float64 { return math.Sqrt(r.VCov.At(j, j)) }

// Estimate returns the inference for the named coefficient at the given
// confidence level (0.95 when level is 0).
func (r *Regression) Estimate(name string, level float64) (Estimate, error) {
	j := r.Index(name)
	if j < 0 {
		return Estimate{}, fmt.Errorf("coefficient %q not in the model", name)
	}
	e := NewEstimate(r.Coef[j], r.SE(j), r.DF, level)
	e.NObs = r.NObs
	e.NClusters = r.NClusters
	return e, nil
}
