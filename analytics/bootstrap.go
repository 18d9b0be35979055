package analytics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// BootstrapOptions tunes BootstrapDiD.
type BootstrapOptions struct {
	EffectOptions
	// Reps is the number of bootstrap replications; 0 means 999.
	Reps int
	// Seed makes the resampling reproducible.
	Seed uint64
}

// BootstrapDiD estimates the 2x2 DiD as DiD does and replaces its interval
// with a cluster (pairs) bootstrap: whole clusters (units by default, or
// PanelRow.Cluster with ClusterField; single rows with ClusterNone) are drawn
// with replacement, the regression is refitted, and the interval is the
// percentile interval of the replicated estimates. SE is their standard
// deviation; the p-value is two-sided normal from that SE. Replicates that
// lose a group-period cell are redrawn.
func BootstrapDiD(rows []PanelRow, opt BootstrapOptions) (Estimate, error) {
	point, err := DiD(rows, opt.EffectOptions)
	if err != nil {
		return Estimate{}, err
	}
	reps := opt.Reps
	if reps == 0 {
		reps = 999
	}
	if reps < 50 {
		return Estimate{}, fmt.Errorf("bootstrap: %d replications are too few for an interval; use at least 50", reps)
	}
	by := opt.Cluster
	if by == ClusterAuto {
		by = ClusterUnit
	}
	var members [][]int
	if by == ClusterNone {
		members = make([][]int, len(rows))
		for i := range rows {
			members[i] = []int{i}
		}
	} else {
		idx, g, err := clusterIndex(rows, by)
		if err != nil {
			return Estimate{}, fmt.Errorf("bootstrap: %w", err)
		}
		members = make([][]int, g)
		for i, c := range idx {
			members[c] = append(members[c], i)
		}
	}
	full, err := buildDesign(rows, []string{"(Intercept)", "treated", "post", "treated:post"}, opt.CovariateNames,
		func(r *PanelRow, x []float64) {
			t, p := float64(b2i(r.Treated)), float64(b2i(r.Post))
			x[0], x[1], x[2], x[3] = 1, t, p, t*p
		})
	if err != nil {
		return Estimate{}, fmt.Errorf("bootstrap: %w", err)
	}
	k := len(full.Names)
	rng := rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))
	est := make([]float64, 0, reps)
	failures := 0
	d := Design{Names: full.Names}
	for len(est) < reps {
		d.X, d.Y = d.X[:0], d.Y[:0]
		for range members {
			for _, i := range members[rng.IntN(len(members))] {
				d.X = append(d.X, full.X[i*k:(i+1)*k]...)
				d.Y = append(d.Y, full.Y[i])
			}
		}
		reg, err := FitOLS(d, VCovClassic)
		if err != nil {
			failures++
			if failures > reps {
				return Estimate{}, fmt.Errorf("bootstrap: %d resamples could not be fitted (too few clusters in a group-period cell)", failures)
			}
			continue
		}
		est = append(est, reg.Coef[3])
	}
	sort.Float64s(est)
	level := opt.Level
	if level <= 0 || level >= 1 {
		level = 0.95
	}
	mean, ss := 0.0, 0.0
	for _, e := range est {
		mean += e
	}
	mean /= float64(len(est))
	for _, e := range est {
		ss += (e - mean) * (e - mean)
	}
	se := math.Sqrt(ss / float64(len(est)-1))
	out := NewEstimate(point.Estimate, se, 0, level)
	out.CILow = quantileSorted(est, (1-level)/2)
	out.CIHigh = quantileSorted(est, (1+level)/2)
	out.NObs, out.NClusters = point.NObs, point.NClusters
	out.Method = fmt.Sprintf("did-2x2-ols cluster-bootstrap-percentile reps=%d", reps)
	return out, nil
}

// quantileSorted is the type-7 (linear interpolation) sample quantile of
// sorted values, as R's default quantile.
func quantileSorted(x []float64, p float64) float64 {
	h := (float64(len(x)) - 1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[i] + (h-lo)*(x[i+1]-x[i])
}
