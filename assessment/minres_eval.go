package assessment

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// minresWork evaluates the concentrated minres criterion
//
//	F(ψ) = Σ_{k∈D} λ_k²,
//
// where λ_k, u_k are the eigenpairs of A = r - diag(ψ) and D the dropped
// ones: all but the nf largest, and any of those that is not positive. Its
// derivatives follow from ∂λ_k/∂ψ_i = -u_ik² and first-order eigenvector
// perturbation:
//
//	∂F/∂ψ_i      = -2 Σ_{k∈D} λ_k u_ik²
//	∂²F/∂ψ_i∂ψ_j =  2 (P_D)_ij² + 4 Σ_{k∈D} Σ_{l∈K} λ_k/(λ_k-λ_l) u_ik u_jk u_il u_jl
//
// with P_D = Σ_{k∈D} u_k u_k' and K the kept eigenpairs. Pairs within D sum
// to the projector term because λ_k/(λ_k-λ_l) + λ_l/(λ_l-λ_k) = 1.
type minresWork struct {
	r    *mat.SymDense
	nf   int
	a    *mat.SymDense
	eig  mat.EigenSym
	vec  mat.Dense // eigenvectors of the last decomposition, by column
	vals []float64 // its eigenvalues, ascending
}

func newMinresWork(r *mat.SymDense, nf int) *minresWork {
	p := r.SymmetricDim()
	return &minresWork{r: r, nf: nf, a: mat.NewSymDense(p, nil)}
}

func (w *minresWork) decompose(psi []float64) error {
	w.a.CopySym(w.r)
	for i, v := range psi {
		w.a.SetSym(i, i, w.r.At(i, i)-v)
	}
	if !w.eig.Factorize(w.a, true) {
		return errors.New("minres: eigendecomposition failed")
	}
	w.eig.VectorsTo(&w.vec)
	w.vals = w.eig.Values(w.vals)
	return nil
}

// kept reports whether eigenpair k (ascending order) is a common factor.
func (w *minresWork) kept(k int) bool {
	return k >= len(w.vals)-w.nf && w.vals[k] > 0
}

// eval decomposes r - diag(ψ) and returns F(ψ) and its gradient into g.
// The decomposition stays available to hessian.
func (w *minresWork) eval(psi, g []float64) (float64, error) {
	if err := w.decompose(psi); err != nil {
		return 0, err
	}
	p := len(w.vals)
	f := 0.0
	for i := range g {
		g[i] = 0
	}
	for k := 0; k < p; k++ {
		if w.kept(k) {
			continue
		}
		lk := w.vals[k]
		f += lk * lk
		for i := 0; i < p; i++ {
			u := w.vec.At(i, k)
			g[i] -= 2 * lk * u * u
		}
	}
	return f, nil
}

// hessian writes ∂²F/∂ψ∂ψ' at the point of the last eval into h.
func (w *minresWork) hessian(h *mat.SymDense) {
	p := len(w.vals)
	u := w.vec.RawMatrix()
	at := func(i, k int) float64 { return u.Data[i*u.Stride+k] }
	var drop, keep []int
	for k := 0; k < p; k++ {
		if w.kept(k) {
			keep = append(keep, k)
		} else {
			drop = append(drop, k)
		}
	}
	for i := 0; i < p; i++ {
		for j := i; j < p; j++ {
			pd := 0.0
			for _, k := range drop {
				pd += at(i, k) * at(j, k)
			}
			v := 2 * pd * pd
			for _, l := range keep {
				ll := w.vals[l]
				s := 0.0
				for _, k := range drop {
					lk := w.vals[k]
					if d := lk - ll; d != 0 {
						s += lk / d * at(i, k) * at(j, k)
					}
				}
				v += 4 * s * at(i, l) * at(j, l)
			}
			h.SetSym(i, j, v)
		}
	}
}

// loadings returns the first nf eigenvectors of r-ψ scaled by sqrt(max(λ,0)),
// largest first.
func (w *minresWork) loadings(psi []float64) (*mat.Dense, error) {
	if err := w.decompose(psi); err != nil {
		return nil, err
	}
	p := len(w.vals)
	l := mat.NewDense(p, w.nf, nil)
	for f := 0; f < w.nf; f++ {
		k := p - 1 - f
		s := math.Sqrt(math.Max(w.vals[k], 0))
		for i := 0; i < p; i++ {
			l.Set(i, f, w.vec.At(i, k)*s)
		}
	}
	return l, nil
}
