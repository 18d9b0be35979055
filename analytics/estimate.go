package analytics

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Estimate is one effect with its uncertainty. The JSON form is what the
// command line and the API print.
type Estimate struct {
	Estimate float64 `json:"estimate"`
	SE       float64 `json:"se"`
	CILow    float64 `json:"ci_low"`
	CIHigh   float64 `json:"ci_high"`
	PValue   float64 `json:"p_value"`
	// DF is the Student t degrees of freedom behind CI and p-value; 0 means
	// the standard normal was used.
	DF        float64 `json:"df"`
	NObs      int     `json:"n_obs"`
	NClusters int     `json:"n_clusters"`
	Method    string  `json:"method"`
}

// NewEstimate builds a two-sided confidence interval at level (0.95 when 0)
// and a two-sided p-value for H0: effect = 0 from Student t with df degrees of
// freedom, or the standard normal when df <= 0 or infinite.
func NewEstimate(est, se, df, level float64) Estimate {
	if level <= 0 || level >= 1 {
		level = 0.95
	}
	q := criticalValue(df, level)
	e := Estimate{Estimate: est, SE: se, DF: df, CILow: est - q*se, CIHigh: est + q*se}
	e.PValue = twoSidedP(est/se, df)
	if math.IsInf(df, 0) || df <= 0 {
		e.DF = 0
	}
	return e
}

// criticalValue is the (1+level)/2 quantile of t(df) or N(0,1).
func criticalValue(df, level float64) float64 {
	p := (1 + level) / 2
	if df <= 0 || math.IsInf(df, 0) {
		return distuv.UnitNormal.Quantile(p)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// twoSidedP is P(|T| >= |t|) under t(df), or under N(0,1) when df <= 0.
func twoSidedP(t, df float64) float64 {
	if math.IsNaN(t) {
		return math.NaN()
	}
	a := -math.Abs(t)
	if df <= 0 || math.IsInf(df, 0) {
		return 2 * distuv.UnitNormal.CDF(a)
	}
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF(a)
}
