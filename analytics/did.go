package analytics

import (
	"fmt"
	"math"
)

// EffectOptions tunes DiD.
type EffectOptions struct {
	// Cluster chooses the standard errors; see ClusterBy.
	Cluster ClusterBy
	// Level is the confidence level of the interval; 0 means 0.95.
	Level float64
	// CovariateNames name PanelRow.Covariates in the fitted model (optional).
	CovariateNames []string
}

// DiD estimates the 2x2 difference-in-differences effect as the interaction
// coefficient of the OLS regression
//
//	Y = a + b*Treated + c*Post + d*Treated*Post + covariates'g + e
//
// With no covariates d equals (pilot post - pilot pre) - (comparison post -
// comparison pre) in means, whether or not the panel is balanced. Standard
// errors are CR1 clustered by unit unless opt.Cluster says otherwise, with
// Student t on G-1 degrees of freedom; with ClusterNone they are HC1 with
// N-K degrees of freedom.
func DiD(rows []PanelRow, opt EffectOptions) (Estimate, error) {
	by := opt.Cluster
	if by == ClusterAuto {
		by = ClusterUnit
	}
	var cells [2][2]int
	for _, r := range rows {
		cells[b2i(r.Treated)][b2i(r.Post)]++
	}
	for tr := 0; tr < 2; tr++ {
		for po := 0; po < 2; po++ {
			if cells[tr][po] == 0 {
				return Estimate{}, fmt.Errorf("difference-in-differences: no rows with %s in the %s period; all four group-period cells need data",
					[]string{"comparison", "pilot"}[tr], []string{"pre", "post"}[po])
			}
		}
	}
	d, err := buildDesign(rows, []string{"(Intercept)", "treated", "post", "treated:post"}, opt.CovariateNames,
		func(r *PanelRow, x []float64) {
			t, p := float64(b2i(r.Treated)), float64(b2i(r.Post))
			x[0], x[1], x[2], x[3] = 1, t, p, t*p
		})
	if err != nil {
		return Estimate{}, fmt.Errorf("difference-in-differences: %w", err)
	}
	e, err := fitEffect(d, rows, by, "treated:post", opt.Level)
	if err != nil {
		return Estimate{}, fmt.Errorf("difference-in-differences: %w", err)
	}
	e.Method = "did-2x2-ols " + methodSuffix(by)
	return e, nil
}

func methodSuffix(by ClusterBy) string {
	switch by {
	case ClusterUnit:
		return "cr1-cluster-unit"
	case ClusterField:
		return "cr1-cluster-field"
	}
	return "hc1"
}

// buildDesign lays out the fixed regressors filled by fill followed by the
// rows' covariates.
func buildDesign(rows []PanelRow, fixed, covNames []string, fill func(*PanelRow, []float64)) (Design, error) {
	if len(rows) == 0 {
		return Design{}, fmt.Errorf("no rows")
	}
	nc := len(rows[0].Covariates)
	names := append([]string(nil), fixed...)
	for j := 0; j < nc; j++ {
		if j < len(covNames) {
			names = append(names, covNames[j])
		} else {
			names = append(names, fmt.Sprintf("covariate%d", j+1))
		}
	}
	k := len(names)
	d := Design{Names: names, X: make([]float64, len(rows)*k), Y: make([]float64, len(rows))}
	for i := range rows {
		r := &rows[i]
		if math.IsNaN(r.Y) || math.IsInf(r.Y, 0) {
			return Design{}, fmt.Errorf("row %d: outcome is %v; it must be a finite number", i+1, r.Y)
		}
		if len(r.Covariates) != nc {
			return Design{}, fmt.Errorf("row %d: has %d covariates, the first row has %d", i+1, len(r.Covariates), nc)
		}
		x := d.X[i*k : (i+1)*k]
		fill(r, x)
		for j, c := range r.Covariates {
			if math.IsNaN(c) || math.IsInf(c, 0) {
				return Design{}, fmt.Errorf("row %d: covariate %q is %v; it must be a finite number", i+1, names[len(fixed)+j], c)
			}
			x[len(fixed)+j] = c
		}
		d.Y[i] = r.Y
	}
	return d, nil
}

func fitEffect(d Design, rows []PanelRow, by ClusterBy, coef string, level float64) (Estimate, error) {
	vt := VCovHC1
	if by == ClusterUnit || by == ClusterField {
		var err error
		d.Cluster, _, err = clusterIndex(rows, by)
		if err != nil {
			return Estimate{}, err
		}
		vt = VCovCR1
	}
	reg, err := FitOLS(d, vt)
	if err != nil {
		return Estimate{}, err
	}
	return reg.Estimate(coef, level)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
