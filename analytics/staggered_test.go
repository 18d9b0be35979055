package analytics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// stagEffect is the true effect e periods after adoption for cohort g:
// growing over time and larger for the earliest cohort, the case in which
// two-way fixed effects are biased.
func stagEffect(g, e int) float64 {
	scale := 0.5
	if g == 3 {
		scale = 1
	}
	return scale * (1 + 0.5*float64(e))
}

// simStaggered draws units over periods 1..8 in equal shares of cohorts 3, 5,
// 7 and never treated, with unit and period effects, noise and, when
// pretrend is not zero, a cohort-specific linear trend that breaks parallel
// trends.
func simStaggered(rng *rand.Rand, units int, pretrend float64) []PanelRow {
	cohorts := []int{3, 5, 7, 0}
	lambda := []float64{0, 0.2, 0.1, 0.4, 0.3, 0.5, 0.7, 0.6, 0.8}
	rows := make([]PanelRow, 0, units*8)
	for i := 0; i < units; i++ {
		g := cohorts[i%4]
		alpha := rng.NormFloat64() + 0.3*float64(g)
		for t := 1; t <= 8; t++ {
			y := alpha + lambda[t] + rng.NormFloat64()
			if g != 0 && t >= g {
				y += stagEffect(g, t-g)
			}
			if g == 7 {
				y += pretrend * float64(t)
			}
			rows = append(rows, PanelRow{Unit: fmt.Sprint(i), Time: t, Cohort: g, Y: y})
		}
	}
	return rows
}

// stagTruth is the cohort-size weighted average of the true effects over the
// post-treatment cells (the "simple" aggregation target) and at event time 0.
func stagTruth() (overall, e0 float64) {
	num, den := 0.0, 0.0
	for _, g := range []int{3, 5, 7} {
		for t := g; t <= 8; t++ {
			num += stagEffect(g, t-g)
			den++
		}
		e0 += stagEffect(g, 0) / 3
	}
	return num / den, e0
}

func TestStaggeredHandComputed(t *testing.T) {
	// Two cohorts (3 and never) over periods 1..3, two units each.
	rows := []PanelRow{
		{Unit: "a", Time: 1, Cohort: 3, Y: 1}, {Unit: "a", Time: 2, Cohort: 3, Y: 2}, {Unit: "a", Time: 3, Cohort: 3, Y: 6},
		{Unit: "b", Time: 1, Cohort: 3, Y: 2}, {Unit: "b", Time: 2, Cohort: 3, Y: 4}, {Unit: "b", Time: 3, Cohort: 3, Y: 8},
		{Unit: "c", Time: 1, Cohort: 0, Y: 0}, {Unit: "c", Time: 2, Cohort: 0, Y: 1}, {Unit: "c", Time: 3, Cohort: 0, Y: 2},
		{Unit: "d", Time: 1, Cohort: 0, Y: 1}, {Unit: "d", Time: 2, Cohort: 0, Y: 1}, {Unit: "d", Time: 3, Cohort: 0, Y: 1},
	}
	res, err := Staggered(rows, StaggeredOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// ATT(3,3): treated change 3..2 = (4+4)/2 = 4; controls (1+0)/2 = 0.5 -> 3.5.
	// ATT(3,2) (placebo, 2 vs 1): treated (1+2)/2 = 1.5; controls (1+0)/2 = 0.5 -> 1.
	near(t, "overall", res.Overall.Estimate, 3.5, 1e-12)
	if len(res.EventStudy) != 2 || res.EventStudy[0].RelTime != -1 || res.EventStudy[1].RelTime != 0 {
		t.Fatalf("event study %+v, want rel times -1 and 0", res.EventStudy)
	}
	near(t, "pre-period placebo", res.EventStudy[0].Estimate, 1, 1e-12)
	// IF SE: sqrt(var_n(treated)/n_D + var_n(controls)/n_C) with variances
	// over n: treated changes {4,4} -> 0; control changes {1,0} -> 0.25/2.
	near(t, "overall SE", res.Overall.SE, math.Sqrt(0.25/2), 1e-12)
}

func TestStaggeredTwoPeriodsEqualsCardKrueger(t *testing.T) {
	t.Run("With two periods the estimator is the balanced-sample DiD of Table 3 row 4", func(t *testing.T) {
		tab := mustReadTable(t, "card-krueger/card-krueger-mhe.csv")
		rows, _, err := StaggeredRowsFromTable(tab, StaggeredSpec{Outcome: "fte", Unit: "id", Time: "d", Cohort: "nj"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Staggered(rows, StaggeredOptions{})
		if err != nil {
			t.Fatal(err)
		}
		near(t, "estimate", res.Overall.Estimate, 2.75, 1e-9) // ck_reference.txt row 4: 2.7500
		// ck_reference.txt row 4 SEs of the mean change: PA 1.253 (n=75), NJ
		// 0.481 (n=309), with n-1 variances; the influence function uses n:
		// sqrt(1.253^2*74/75 + 0.481^2*308/309) = 1.3340, tolerance 2e-3 for
		// the 3-decimal rounding of the inputs.
		near(t, "influence-function SE", res.Overall.SE, math.Sqrt(1.253*1.253*74/75+0.481*0.481*308/309), 2e-3)
		near(t, "TWFE", res.TWFEEstimate, 2.75, 1e-9)
	})
}

func TestSimulationStaggeredCoverage(t *testing.T) {
	truth, truthE0 := stagTruth()
	rng := rand.New(rand.NewPCG(5, 6))
	var overall, e0 simSummary
	rejections, twfeSum := 0, 0.0
	for sim := 0; sim < nSims; sim++ {
		res, err := Staggered(simStaggered(rng, 200, 0), StaggeredOptions{})
		if err != nil {
			t.Fatal(err)
		}
		overall.add(res.Overall, truth)
		for _, e := range res.EventStudy {
			if e.RelTime == 0 {
				e0.add(Estimate{Estimate: e.Estimate, CILow: e.CILow, CIHigh: e.CIHigh}, truthE0)
			}
		}
		if res.PretrendPValue != nil && *res.PretrendPValue < 0.05 {
			rejections++
		}
		twfeSum += res.TWFEEstimate
	}
	t.Run("The overall effect is unbiased and its 95% interval covers the truth about 95% of the time", func(t *testing.T) {
		overall.check(t, truth)
	})
	t.Run("The event-time-zero effect is unbiased with about 95% coverage", func(t *testing.T) {
		e0.check(t, truthE0)
	})
	t.Run("Under parallel trends the 5% pre-trend test rejects about 5% of the time", func(t *testing.T) {
		rate := float64(rejections) / nSims
		if rate < 0.02 || rate > 0.08 { // tolerance: binomial +-3 SD (0.0097) around 0.05
			t.Errorf("pre-trend rejection rate %.3f, want within [0.02, 0.08]", rate)
		}
		t.Logf("rejection rate %.3f", rate)
	})
	t.Run("Naive TWFE is biased when effects grow over time and differ by cohort", func(t *testing.T) {
		mean := twfeSum / nSims
		if math.Abs(mean-truth) < 0.2 {
			t.Errorf("mean TWFE %.3f is within 0.2 of the truth %.3f; the design should make it biased", mean, truth)
		}
		t.Logf("mean TWFE %.3f, truth %.3f", mean, truth)
	})
}

func TestStaggeredWarningsAndPretrend(t *testing.T) {
	t.Run("A cohort-specific trend before adoption is detected by the pre-trend test", func(t *testing.T) {
		res, err := Staggered(simStaggered(rand.New(rand.NewPCG(7, 8)), 400, 0.5), StaggeredOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.PretrendPValue == nil || *res.PretrendPValue > 0.001 {
			t.Errorf("pre-trend p-value %v, want below 0.001", res.PretrendPValue)
		}
	})
	t.Run("A large TWFE divergence is reported as a warning", func(t *testing.T) {
		res, err := Staggered(simStaggered(rand.New(rand.NewPCG(9, 10)), 2000, 0), StaggeredOptions{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, w := range res.Warnings {
			found = found || strings.Contains(w, "two-way fixed-effects")
		}
		if !found {
			t.Errorf("no divergence warning; C&S %.3f, TWFE %.3f", res.Overall.Estimate, res.TWFEEstimate)
		}
	})
}

func TestStaggeredErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		rows []PanelRow
		want string
	}{
		{"A cohort that changes within a unit is rejected", []PanelRow{{Unit: "a", Time: 1, Cohort: 2}, {Unit: "a", Time: 2, Cohort: 3}, {Unit: "b", Time: 1}}, "cohort must be constant"},
		{"Two rows for the same unit and period are rejected", []PanelRow{{Unit: "a", Time: 1, Cohort: 2}, {Unit: "a", Time: 1, Cohort: 2}, {Unit: "b", Time: 2}}, "more than one row"},
		{"A single period is rejected", []PanelRow{{Unit: "a", Time: 1}, {Unit: "b", Time: 1}}, "at least 2"},
		{"Data without any comparison unit are rejected", []PanelRow{{Unit: "a", Time: 1, Cohort: 2}, {Unit: "a", Time: 2, Cohort: 2}, {Unit: "b", Time: 1, Cohort: 2}, {Unit: "b", Time: 2, Cohort: 2}}, "no group-time effect"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Staggered(c.rows, StaggeredOptions{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}
