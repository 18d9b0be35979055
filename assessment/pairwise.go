package assessment

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Pairwise holds pairwise-complete statistics of the p columns of a response
// matrix, as R's cov(x, use="pairwise") and cor(x, use="pairwise") compute
// them: for each pair of items only the rows where both were answered count,
// and means are taken over those rows.
type Pairwise struct {
	// N[i][j] is the number of rows where items i and j were both answered;
	// N[i][i] is the number of answers to item i.
	N *mat.SymDense
	// Cov is the pairwise-complete covariance matrix (denominator n_ij-1).
	Cov *mat.SymDense
	// Cor is the pairwise-complete Pearson correlation matrix (each r_ij
	// standardizes by the standard deviations over the same n_ij rows).
	Cor *mat.SymDense
	// Mean and SD are per item over its answered rows (SD with n-1).
	Mean, SD []float64
}

// PairwiseMoments computes the pairwise-complete counts, covariances and
// correlations of x (rows respondents, columns items, NaN = missing).
//
// It needs four BLAS products over the n×p data (counts, cross-products,
// and the partial sums and sums of squares over each pair's common rows), so
// the cost is that of a few n×p×p multiplications rather than a loop per pair.
// Data are centred on the item means first to keep the one-pass formulas
// numerically stable. A pair with fewer than two common rows gets NaN.
func PairwiseMoments(x *mat.Dense) *Pairwise {
	n, p := x.Dims()
	mean := make([]float64, p)
	cnt := make([]float64, p)
	raw := x.RawMatrix()
	for r := 0; r < n; r++ {
		row := raw.Data[r*raw.Stride : r*raw.Stride+p]
		for j, v := range row {
			if !math.IsNaN(v) {
				mean[j] += v
				cnt[j]++
			}
		}
	}
	for j := range mean {
		if cnt[j] > 0 {
			mean[j] /= cnt[j]
		}
	}
	// X0: centred values with 0 where missing; M: 1 where answered; X2 = X0².
	x0 := make([]float64, n*p)
	m := make([]float64, n*p)
	x2 := make([]float64, n*p)
	for r := 0; r < n; r++ {
		row := raw.Data[r*raw.Stride : r*raw.Stride+p]
		o := r * p
		for j, v := range row {
			if math.IsNaN(v) {
				continue
			}
			c := v - mean[j]
			x0[o+j] = c
			m[o+j] = 1
			x2[o+j] = c * c
		}
	}
	gen := func(d []float64) blas64.General { return blas64.General{Rows: n, Cols: p, Stride: p, Data: d} }
	X0, M, X2 := gen(x0), gen(m), gen(x2)
	sq := func() blas64.General { return blas64.General{Rows: p, Cols: p, Stride: p, Data: make([]float64, p*p)} }
	sym := func() blas64.Symmetric {
		return blas64.Symmetric{N: p, Stride: p, Uplo: blas.Upper, Data: make([]float64, p*p)}
	}
	cnts, prod := sym(), sym()
	blas64.Syrk(blas.Trans, 1, M, 0, cnts)  // N = M'M
	blas64.Syrk(blas.Trans, 1, X0, 0, prod) // P = X0'X0
	sums, sqs := sq(), sq()
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, X0, M, 0, sums) // A[i][j] = Σ x_i over rows with j
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, X2, M, 0, sqs)  // Q[i][j] = Σ x_i² over rows with j

	pw := &Pairwise{
		N:    mat.NewSymDense(p, nil),
		Cov:  mat.NewSymDense(p, nil),
		Cor:  mat.NewSymDense(p, nil),
		Mean: make([]float64, p),
		SD:   make([]float64, p),
	}
	for i := 0; i < p; i++ {
		for j := i; j < p; j++ {
			nij := cnts.Data[i*p+j]
			pw.N.SetSym(i, j, nij)
			if nij < 2 {
				pw.Cov.SetSym(i, j, math.NaN())
				pw.Cor.SetSym(i, j, math.NaN())
				continue
			}
			si, sj := sums.Data[i*p+j], sums.Data[j*p+i]
			cp := prod.Data[i*p+j] - si*sj/nij
			ssi := sqs.Data[i*p+j] - si*si/nij
			ssj := sqs.Data[j*p+i] - sj*sj/nij
			pw.Cov.SetSym(i, j, cp/(nij-1))
			if i == j {
				pw.Cor.SetSym(i, i, 1)
				continue
			}
			pw.Cor.SetSym(i, j, cp/math.Sqrt(ssi*ssj))
		}
		pw.Mean[i] = mean[i]
		pw.SD[i] = math.Sqrt(pw.Cov.At(i, i))
	}
	return pw
}

// Sub returns the statistics of the items idx (in that order), with item k
// reversed when sign[k] < 0: reversal flips the sign of its covariances and
// correlations and maps its mean to adjust-mean (adjust = min+max). sign may
// be nil (no reversal).
func (pw *Pairwise) Sub(idx []int, sign []float64, adjust float64) *Pairwise {
	k := len(idx)
	out := &Pairwise{
		N:    mat.NewSymDense(k, nil),
		Cov:  mat.NewSymDense(k, nil),
		Cor:  mat.NewSymDense(k, nil),
		Mean: make([]float64, k),
		SD:   make([]float64, k),
	}
	s := func(a int) float64 {
		if sign != nil && sign[a] < 0 {
			return -1
		}
		return 1
	}
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			f := s(a) * s(b)
			out.N.SetSym(a, b, pw.N.At(idx[a], idx[b]))
			out.Cov.SetSym(a, b, f*pw.Cov.At(idx[a], idx[b]))
			out.Cor.SetSym(a, b, f*pw.Cor.At(idx[a], idx[b]))
		}
		out.Mean[a] = pw.Mean[idx[a]]
		if s(a) < 0 {
			out.Mean[a] = adjust - out.Mean[a]
		}
		out.SD[a] = pw.SD[idx[a]]
	}
	return out
}

// checkFinite reports the first pair without a usable covariance.
func checkFinite(c *mat.SymDense, names []string, what string) error {
	k := c.SymmetricDim()
	for i := 0; i < k; i++ {
		if v := c.At(i, i); !(v > 0) {
			return fmt.Errorf("%s: item %q has no variance (constant or fewer than two answers)", what, names[i])
		}
		for j := i + 1; j < k; j++ {
			if math.IsNaN(c.At(i, j)) {
				return fmt.Errorf("%s: items %q and %q have fewer than two common answers", what, names[i], names[j])
			}
		}
	}
	return nil
}

// cov2cor rescales a covariance matrix to correlations, as R's cov2cor.
func cov2cor(c *mat.SymDense) *mat.SymDense {
	k := c.SymmetricDim()
	r := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			r.SetSym(i, j, c.At(i, j)/math.Sqrt(c.At(i, i)*c.At(j, j)))
		}
	}
	return r
}

// smc returns the squared multiple correlation of each variable with all the
// others, 1-1/diag(R⁻¹), as psych::smc. When pairwise deletion leaves R not
// positive definite, the Moore-Penrose pseudo-inverse stands in for R⁻¹ (as
// psych's Pinv) and the results are clamped to [0, 1].
func smc(r *mat.SymDense) ([]float64, error) {
	k := r.SymmetricDim()
	diag := make([]float64, k)
	var ch mat.Cholesky
	if ch.Factorize(r) {
		var inv mat.SymDense
		if err := ch.InverseTo(&inv); err != nil {
			return nil, fmt.Errorf("squared multiple correlations: %w", err)
		}
		for i := range diag {
			diag[i] = inv.At(i, i)
		}
	} else {
		var eig mat.EigenSym
		if !eig.Factorize(r, true) {
			return nil, fmt.Errorf("squared multiple correlations: eigendecomposition failed")
		}
		vals := eig.Values(nil)
		var vec mat.Dense
		eig.VectorsTo(&vec)
		tol := float64(k) * vals[k-1] * 1e-12
		for j, v := range vals {
			if math.Abs(v) <= tol {
				continue
			}
			for i := range diag {
				u := vec.At(i, j)
				diag[i] += u * u / v
			}
		}
	}
	out := make([]float64, k)
	for i := range out {
		out[i] = clamp(1-1/diag[i], 0, 1)
	}
	return out, nil
}

func symSum(s *mat.SymDense) float64 {
	k := s.SymmetricDim()
	t := 0.0
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			t += s.At(i, j)
		}
	}
	return t
}

func symTrace(s *mat.SymDense) float64 {
	t := 0.0
	for i := 0; i < s.SymmetricDim(); i++ {
		t += s.At(i, i)
	}
	return t
}

// dropIndex returns the submatrix of s without row and column d.
func dropIndex(s *mat.SymDense, d int) *mat.SymDense {
	k := s.SymmetricDim()
	out := mat.NewSymDense(k-1, nil)
	for i, a := 0, 0; i < k; i++ {
		if i == d {
			continue
		}
		for j, b := 0, 0; j < k; j++ {
			if j == d {
				continue
			}
			if b >= a {
				out.SetSym(a, b, s.At(i, j))
			}
			b++
		}
		a++
	}
	return out
}
