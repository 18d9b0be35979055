package assessment

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Rotation names accepted by FactorAnalysis.
const (
	RotateNone    = "none"
	RotateVarimax = "varimax"
	RotateOblimin = "oblimin"
)

// Rotated is a rotated loading matrix with its factor correlations (nil for
// orthogonal rotations).
type Rotated struct {
	Loadings  *mat.Dense
	Phi       *mat.Dense
	Converged bool
}

// Oblimin rotates loadings a obliquely by the oblimin criterion with gamma 0
// (quartimin), using the gradient projection algorithm of Bernaards and
// Jennrich as GPArotation::GPFoblq runs it: start from the identity, no
// Kaiser normalization, stop when the projected gradient's norm is below
// eps (GPArotation's default 1e-5) or after maxIter iterations (1000).
// Phi is T'T.
func Oblimin(a *mat.Dense, eps float64, maxIter int) (*Rotated, error) {
	p, q := a.Dims()
	if q < 2 {
		return nil, errors.New("oblimin: rotation needs at least two factors")
	}
	if eps <= 0 {
		eps = 1e-5
	}
	if maxIter <= 0 {
		maxIter = 1000
	}
	t := identity(q)
	crit := func(t *mat.Dense) (l, gq *mat.Dense, f float64, err error) {
		var ti mat.Dense
		if err := ti.Inverse(t); err != nil {
			return nil, nil, 0, fmt.Errorf("oblimin: singular transformation: %w", err)
		}
		l = mat.NewDense(p, q, nil)
		l.Mul(a, ti.T())
		gq = mat.NewDense(p, q, nil)
		for i := 0; i < p; i++ {
			rs := 0.0
			for j := 0; j < q; j++ {
				rs += l.At(i, j) * l.At(i, j)
			}
			for j := 0; j < q; j++ {
				lij := l.At(i, j)
				x := rs - lij*lij // row sum of the other columns' squares
				gq.Set(i, j, lij*x)
				f += lij * lij * x
			}
		}
		return l, gq, f / 4, nil
	}
	grad := func(l, gq, t *mat.Dense) (*mat.Dense, error) {
		var ti mat.Dense
		if err := ti.Inverse(t); err != nil {
			return nil, err
		}
		var m mat.Dense
		m.Mul(l.T(), gq)
		var h mat.Dense
		h.Mul(&m, &ti)
		g := mat.NewDense(q, q, nil)
		g.Scale(-1, h.T())
		return g, nil
	}
	l, gq, f, err := crit(t)
	if err != nil {
		return nil, err
	}
	g, err := grad(l, gq, t)
	if err != nil {
		return nil, err
	}
	al := 1.0
	converged := false
	gp := mat.NewDense(q, q, nil)
	for iter := 0; iter <= maxIter; iter++ {
		// Gp = G - T·diag(colSums(T∘G))
		for j := 0; j < q; j++ {
			cs := 0.0
			for i := 0; i < q; i++ {
				cs += t.At(i, j) * g.At(i, j)
			}
			for i := 0; i < q; i++ {
				gp.Set(i, j, g.At(i, j)-t.At(i, j)*cs)
			}
		}
		s := mat.Norm(gp, 2)
		if s < eps {
			converged = true
			break
		}
		al *= 2
		var tt, lt, gqt *mat.Dense
		var ft float64
		for i := 0; i <= 10; i++ {
			x := mat.NewDense(q, q, nil)
			x.Sub(t, scaled(al, gp))
			for j := 0; j < q; j++ {
				n := 0.0
				for r := 0; r < q; r++ {
					n += x.At(r, j) * x.At(r, j)
				}
				n = 1 / math.Sqrt(n)
				for r := 0; r < q; r++ {
					x.Set(r, j, x.At(r, j)*n)
				}
			}
			tt = x
			lt, gqt, ft, err = crit(tt)
			if err != nil {
				return nil, err
			}
			if f-ft > 0.5*s*s*al {
				break
			}
			al /= 2
		}
		t, l, f = tt, lt, ft
		if g, err = grad(lt, gqt, tt); err != nil {
			return nil, err
		}
	}
	phi := mat.NewDense(q, q, nil)
	phi.Mul(t.T(), t)
	return &Rotated{Loadings: l, Phi: phi, Converged: converged}, nil
}

// Varimax rotates loadings orthogonally as R's stats::varimax does (Kaiser
// normalization, SVD iterations until the criterion improves by less than
// a relative eps = 1e-5, at most 1000 iterations).
func Varimax(a *mat.Dense) (*Rotated, error) {
	p, q := a.Dims()
	if q < 2 {
		return nil, errors.New("varimax: rotation needs at least two factors")
	}
	const eps = 1e-5
	x := mat.DenseCopyOf(a)
	sc := make([]float64, p)
	for i := 0; i < p; i++ {
		for j := 0; j < q; j++ {
			sc[i] += x.At(i, j) * x.At(i, j)
		}
		sc[i] = math.Sqrt(sc[i])
		for j := 0; j < q; j++ {
			x.Set(i, j, x.At(i, j)/sc[i])
		}
	}
	tt := identity(q)
	d := 0.0
	converged := false
	z := mat.NewDense(p, q, nil)
	for it := 0; it < 1000; it++ {
		z.Mul(x, tt)
		cs := make([]float64, q)
		for j := 0; j < q; j++ {
			for i := 0; i < p; i++ {
				cs[j] += z.At(i, j) * z.At(i, j)
			}
		}
		w := mat.NewDense(p, q, nil)
		for i := 0; i < p; i++ {
			for j := 0; j < q; j++ {
				v := z.At(i, j)
				w.Set(i, j, v*v*v-v*cs[j]/float64(p))
			}
		}
		var b mat.Dense
		b.Mul(x.T(), w)
		var svd mat.SVD
		if !svd.Factorize(&b, mat.SVDFull) {
			return nil, errors.New("varimax: SVD failed")
		}
		var u, v mat.Dense
		svd.UTo(&u)
		svd.VTo(&v)
		tt = mat.NewDense(q, q, nil)
		tt.Mul(&u, v.T())
		dpast := d
		d = 0
		for _, s := range svd.Values(nil) {
			d += s
		}
		if d < dpast*(1+eps) {
			converged = true
			break
		}
	}
	z.Mul(x, tt)
	for i := 0; i < p; i++ {
		for j := 0; j < q; j++ {
			z.Set(i, j, z.At(i, j)*sc[i])
		}
	}
	return &Rotated{Loadings: z, Converged: converged}, nil
}

func identity(q int) *mat.Dense {
	m := mat.NewDense(q, q, nil)
	for i := 0; i < q; i++ {
		m.Set(i, i, 1)
	}
	return m
}

func scaled(f float64, m mat.Matrix) *mat.Dense {
	var out mat.Dense
	out.Scale(f, m)
	return &out
}
