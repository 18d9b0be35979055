package analytics

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// aggregator combines ATT(g,t) cells into weighted averages with their
// influence functions.
type aggregator struct {
	p     *stackedPanel
	cells []gtCell
	pg    []float64 // share of units in each cohort, indexed by period
}

// aggregate is one weighted average of cells with its influence function
// summed within clusters.
type aggregate struct {
	theta, se float64
	clusterIF []float64
}

func newAggregator(p *stackedPanel, cells []gtCell) *aggregator {
	pg := make([]float64, p.T)
	for _, g := range p.group {
		if g != never {
			pg[g]++
		}
	}
	for g := range pg {
		pg[g] /= float64(p.n)
	}
	return &aggregator{p: p, cells: cells, pg: pg}
}

// aggregate averages the selected cells with weights proportional to cohort
// size. Its influence function is sum_k w_k IF_k plus the effect of
// estimating the weights, which reduces to
// (1/S) * sum_k (ATT_k - theta) * (1{G_i = g_k} - p_{g_k}), S = sum_k p_{g_k}.
func (a *aggregator) aggregate(sel func(*gtCell) bool) (aggregate, bool) {
	var keep []*gtCell
	s := 0.0
	for i := range a.cells {
		if c := &a.cells[i]; sel(c) {
			keep = append(keep, c)
			s += a.pg[c.g]
		}
	}
	if len(keep) == 0 {
		return aggregate{}, false
	}
	theta := 0.0
	for _, c := range keep {
		theta += a.pg[c.g] / s * c.att
	}
	p := a.p
	psi := make([]float64, p.n)
	byGroup := make([]float64, p.T)
	constant := 0.0
	for _, c := range keep {
		a.addCellIF(c, a.pg[c.g]/s, psi)
		byGroup[c.g] += c.att - theta
		constant += (c.att - theta) * a.pg[c.g]
	}
	for i, g := range p.group {
		w := -constant
		if g != never {
			w += byGroup[g]
		}
		psi[i] += w / s
	}
	cl := clusterSums(p, psi)
	return aggregate{theta: theta, se: seFromClusterIF(cl, p.n), clusterIF: cl}, true
}

// addCellIF adds w times the influence function of cell c to psi. For a
// treated unit it is (dY - muD) * n/nD, for a comparison unit
// -(dY - muC) * n/nC, zero elsewhere.
func (a *aggregator) addCellIF(c *gtCell, w float64, psi []float64) {
	p := a.p
	fd := w * float64(p.n) / float64(c.nD)
	fc := -w * float64(p.n) / float64(c.nC)
	for i := 0; i < p.n; i++ {
		gi := p.group[i]
		if gi != c.g && gi <= c.t {
			continue
		}
		dy := p.at(i, c.t) - p.at(i, c.base)
		if math.IsNaN(dy) {
			continue
		}
		if gi == c.g {
			psi[i] += fd * (dy - c.muD)
		} else {
			psi[i] += fc * (dy - c.muC)
		}
	}
}

// cellSE is the clustered influence-function standard error of one cell.
func (a *aggregator) cellSE(c *gtCell) float64 {
	psi := make([]float64, a.p.n)
	a.addCellIF(c, 1, psi)
	return seFromClusterIF(clusterSums(a.p, psi), a.p.n)
}

func clusterSums(p *stackedPanel, psi []float64) []float64 {
	if p.nClust == p.n {
		return psi
	}
	cl := make([]float64, p.nClust)
	for i, v := range psi {
		cl[p.cluster[i]] += v
	}
	return cl
}

func seFromClusterIF(cl []float64, n int) float64 {
	ss := 0.0
	for _, v := range cl {
		ss += v * v
	}
	return math.Sqrt(ss) / float64(n)
}

// waldZero tests that all the given aggregates are zero jointly, using the
// covariance of their influence functions; it returns the chi-square
// statistic and its p-value.
func waldZero(aggs []aggregate, p *stackedPanel) (float64, float64, error) {
	k := len(aggs)
	v := mat.NewSymDense(k, nil)
	n2 := float64(p.n) * float64(p.n)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			s := 0.0
			for c, x := range aggs[a].clusterIF {
				s += x * aggs[b].clusterIF[c]
			}
			v.SetSym(a, b, s/n2)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(v) || chol.Cond() > 1e12 {
		return 0, 0, fmt.Errorf("the covariance of the %d pre-period estimates is singular", k)
	}
	theta := mat.NewVecDense(k, nil)
	for i, a := range aggs {
		theta.SetVec(i, a.theta)
	}
	var x mat.VecDense
	if err := chol.SolveVecTo(&x, theta); err != nil {
		return 0, 0, err
	}
	w := mat.Dot(theta, &x)
	return w, distuv.ChiSquared{K: float64(k)}.Survival(w), nil
}
