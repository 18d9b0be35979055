package analytics

import (
	"fmt"
	"math"
)

// EffectSize is a standardized mean difference between two groups.
type EffectSize struct {
	CohensD  float64 `json:"cohens_d"`
	SED      float64 `json:"se_d"`
	DCILow   float64 `json:"d_ci_low"`
	DCIHigh  float64 `json:"d_ci_high"`
	HedgesG  float64 `json:"hedges_g"`
	SEG      float64 `json:"se_g"`
	GCILow   float64 `json:"g_ci_low"`
	GCIHigh  float64 `json:"g_ci_high"`
	NTreated int     `json:"n_treated"`
	NControl int     `json:"n_control"`
	PooledSD float64 `json:"pooled_sd"`
	HedgesJ  float64 `json:"hedges_j"`
	Method   string  `json:"method"`
}

// StandardizedDifference computes Cohen's d = (mean(treated) -
// mean(control)) / pooled SD (with n-1 variances) and Hedges' g = J*d with
// the exact small-sample factor J = Gamma(df/2) / (sqrt(df/2)
// Gamma((df-1)/2)), df = n1+n2-2. Variances are the large-sample ones of
// Hedges & Olkin (1985): Var(d) = (n1+n2)/(n1 n2) + d^2/(2(n1+n2)) and
// Var(g) = J^2 Var(d); intervals are normal at level (0.95 when 0).
func StandardizedDifference(treated, control []float64, level float64) (EffectSize, error) {
	n1, n2 := len(treated), len(control)
	if n1 < 2 || n2 < 2 {
		return EffectSize{}, fmt.Errorf("effect size: need at least 2 values per group, have %d treated and %d control", n1, n2)
	}
	m1, v1 := meanVar(treated)
	m2, v2 := meanVar(control)
	if math.IsNaN(m1) || math.IsNaN(m2) {
		return EffectSize{}, fmt.Errorf("effect size: values must be finite numbers")
	}
	df := float64(n1 + n2 - 2)
	sp := math.Sqrt((float64(n1-1)*v1 + float64(n2-1)*v2) / df)
	if sp == 0 {
		return EffectSize{}, fmt.Errorf("effect size: the pooled standard deviation is zero")
	}
	d := (m1 - m2) / sp
	nn := float64(n1 + n2)
	vd := nn/(float64(n1)*float64(n2)) + d*d/(2*nn)
	lg1, _ := math.Lgamma(df / 2)
	lg2, _ := math.Lgamma((df - 1) / 2)
	j := math.Exp(lg1-lg2) / math.Sqrt(df/2)
	q := criticalValue(0, level)
	es := EffectSize{CohensD: d, SED: math.Sqrt(vd), HedgesJ: j, HedgesG: j * d, SEG: j * math.Sqrt(vd),
		NTreated: n1, NControl: n2, PooledSD: sp, Method: "pooled-sd hedges-olkin-variance normal-ci"}
	es.DCILow, es.DCIHigh = d-q*es.SED, d+q*es.SED
	es.GCILow, es.GCIHigh = es.HedgesG-q*es.SEG, es.HedgesG+q*es.SEG
	return es, nil
}

// Standardize expresses an estimated effect in standard-deviation units of
// the outcome (for example the pre-period SD of the comparison group): the
// estimate, SE and interval are divided by sd.
func Standardize(e Estimate, sd float64) (Estimate, error) {
	if !(sd > 0) {
		return Estimate{}, fmt.Errorf("standardize: sd must be positive, got %v", sd)
	}
	e.Estimate /= sd
	e.SE /= sd
	e.CILow /= sd
	e.CIHigh /= sd
	e.Method += " standardized"
	return e, nil
}

// meanVar returns the mean and the n-1 variance.
func meanVar(x []float64) (float64, float64) {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	ss := 0.0
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return m, ss / float64(len(x)-1)
}
