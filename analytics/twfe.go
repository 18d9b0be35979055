package analytics

import (
	"fmt"
	"math"
)

// twfe estimates the naive two-way fixed-effects regression
// Y_it = a_i + l_t + b*D_it + e_it, D_it = 1 once unit i is treated, by
// sweeping out unit and period means (alternating projections until the
// means removed fall below 1e-10 times the outcome scale; one sweep for a balanced panel). The
// standard error is clustered as the panel is, with the G/(G-1) factor only,
// as when fixed effects are nested in the clusters.
func twfe(p *stackedPanel, level float64) (Estimate, error) {
	n, T := p.n, p.T
	yd := make([]float64, n*T)
	dd := make([]float64, n*T)
	scale := 1.0
	for i := 0; i < n; i++ {
		for t := 0; t < T; t++ {
			k := i*T + t
			yd[k] = p.y[k]
			if math.IsNaN(p.y[k]) {
				dd[k] = math.NaN()
				continue
			}
			scale = math.Max(scale, math.Abs(p.y[k]))
			if p.group[i] <= t {
				dd[k] = 1
			}
		}
	}
	for iter := 0; iter < 1000; iter++ {
		c1 := demean(yd, dd, n, T, true)
		c2 := demean(yd, dd, n, T, false)
		if math.Max(c1, c2) < 1e-10*scale {
			break
		}
	}
	var sxy, sxx float64
	for k, x := range dd {
		if !math.IsNaN(x) {
			sxy += x * yd[k]
			sxx += x * x
		}
	}
	if sxx < 1e-12 {
		return Estimate{}, fmt.Errorf("the treatment indicator does not vary within units and periods")
	}
	b := sxy / sxx
	score := make([]float64, p.nClust)
	for i := 0; i < n; i++ {
		for t := 0; t < T; t++ {
			k := i*T + t
			if !math.IsNaN(dd[k]) {
				score[p.cluster[i]] += dd[k] * (yd[k] - b*dd[k])
			}
		}
	}
	ss := 0.0
	for _, s := range score {
		ss += s * s
	}
	g := float64(p.nClust)
	se := math.Sqrt(g/(g-1)*ss) / sxx
	e := NewEstimate(b, se, g-1, level)
	e.NClusters = p.nClust
	e.Method = "twfe-within cr1-cluster"
	return e, nil
}

// demean subtracts unit (byUnit) or period means of observed cells from both
// arrays and returns the largest mean removed.
func demean(y, d []float64, n, T int, byUnit bool) float64 {
	outer, inner := n, T
	if !byUnit {
		outer, inner = T, n
	}
	maxMean := 0.0
	for o := 0; o < outer; o++ {
		var sy, sd float64
		cnt := 0
		for in := 0; in < inner; in++ {
			k := o*T + in
			if !byUnit {
				k = in*T + o
			}
			if !math.IsNaN(d[k]) {
				sy += y[k]
				sd += d[k]
				cnt++
			}
		}
		if cnt == 0 {
			continue
		}
		my, md := sy/float64(cnt), sd/float64(cnt)
		maxMean = math.Max(maxMean, math.Max(math.Abs(my), math.Abs(md)))
		for in := 0; in < inner; in++ {
			k := o*T + in
			if !byUnit {
				k = in*T + o
			}
			if !math.IsNaN(d[k]) {
				y[k] -= my
				d[k] -= md
			}
		}
	}
	return maxMean
}
