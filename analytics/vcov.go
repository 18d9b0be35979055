package analytics

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// vcov returns the coefficient covariance of the requested type given the
// bread (X'X)^-1 and the residuals, and the number of clusters when
// clustered.
func vcov(d Design, bread *mat.SymDense, res []float64, vt VCovType) (*mat.SymDense, int, error) {
	k := len(d.Names)
	n := len(d.Y)
	switch vt {
	case VCovClassic:
		rss := 0.0
		for _, e := range res {
			rss += e * e
		}
		v := mat.NewSymDense(k, nil)
		v.ScaleSym(rss/float64(n-k), bread)
		return v, 0, nil
	case VCovHC1:
		meat := make([]float64, k*k)
		for i := 0; i < n; i++ {
			row := d.X[i*k : (i+1)*k]
			e2 := res[i] * res[i]
			for a := 0; a < k; a++ {
				xa := row[a] * e2
				for b := a; b < k; b++ {
					meat[a*k+b] += xa * row[b]
				}
			}
		}
		return sandwich(bread, meat, float64(n)/float64(n-k)), 0, nil
	case VCovCR1:
		g := 0
		for i, c := range d.Cluster {
			if c < 0 {
				return nil, 0, fmt.Errorf("row %d has a negative cluster index", i)
			}
			if c+1 > g {
				g = c + 1
			}
		}
		scores := make([]float64, g*k)
		seen := make([]bool, g)
		for i := 0; i < n; i++ {
			row := d.X[i*k : (i+1)*k]
			c := d.Cluster[i]
			seen[c] = true
			u := scores[c*k : (c+1)*k]
			for a, x := range row {
				u[a] += x * res[i]
			}
		}
		groups := 0
		for _, s := range seen {
			if s {
				groups++
			}
		}
		if groups < 2 {
			return nil, 0, fmt.Errorf("clustered standard errors need at least 2 clusters, the data have %d", groups)
		}
		meat := make([]float64, k*k)
		for c := 0; c < g; c++ {
			u := scores[c*k : (c+1)*k]
			for a := 0; a < k; a++ {
				for b := a; b < k; b++ {
					meat[a*k+b] += u[a] * u[b]
				}
			}
		}
		gf := float64(groups)
		adj := gf / (gf - 1) * float64(n-1) / float64(n-k)
		return sandwich(bread, meat, adj), groups, nil
	}
	return nil, 0, fmt.Errorf("unknown covariance type %v", vt)
}

// sandwich returns adj * B M B where M is given as its upper triangle in a
// row-major k*k slice.
func sandwich(bread *mat.SymDense, upper []float64, adj float64) *mat.SymDense {
	k := bread.SymmetricDim()
	m := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			m.SetSym(a, b, upper[a*k+b])
		}
	}
	var bm, bmb mat.Dense
	bm.Mul(bread, m)
	bmb.Mul(&bm, bread)
	v := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			v.SetSym(a, b, adj*(bmb.At(a, b)+bmb.At(b, a))/2)
		}
	}
	return v
}
