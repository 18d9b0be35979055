package analytics

import (
	"fmt"
	"math"
	"sort"
)

// StaggeredOptions tunes Staggered.
type StaggeredOptions struct {
	// Level is the confidence level; 0 means 0.95.
	Level float64
	// Cluster: ClusterAuto and ClusterUnit cluster by unit (the panel's
	// natural level); ClusterField clusters on PanelRow.Cluster, which must
	// be constant within unit. ClusterNone is treated as ClusterUnit.
	Cluster ClusterBy
}

// GroupTimeEffect is ATT(g,t): the average effect in period Time on the
// units first treated in period Cohort.
type GroupTimeEffect struct {
	Cohort   int     `json:"cohort"`
	Time     int     `json:"time"`
	RelTime  int     `json:"rel_time"`
	ATT      float64 `json:"att"`
	SE       float64 `json:"se"`
	NTreated int     `json:"n_treated"`
	NControl int     `json:"n_control"`
}

// EventEstimate is one point of the event-study curve: the average effect
// RelTime periods after first treatment (negative: before).
type EventEstimate struct {
	RelTime  int     `json:"rel_time"`
	Estimate float64 `json:"estimate"`
	SE       float64 `json:"se"`
	CILow    float64 `json:"ci_low"`
	CIHigh   float64 `json:"ci_high"`
}

// StaggeredResult is the output of Staggered.
type StaggeredResult struct {
	// Overall is the average of the post-treatment ATT(g,t) weighted by
	// cohort size (the "simple" aggregation of Callaway & Sant'Anna).
	Overall    Estimate        `json:"overall"`
	EventStudy []EventEstimate `json:"event_study"`
	// PretrendPValue is the p-value of the joint Wald test that all
	// pre-treatment event-study estimates are zero (chi-square with
	// PretrendDF degrees of freedom); nil when there are no pre-periods.
	PretrendPValue *float64 `json:"pretrend_p_value"`
	PretrendChi2   float64  `json:"pretrend_chi2"`
	PretrendDF     int      `json:"pretrend_df"`
	// TWFEEstimate is the naive two-way fixed-effects coefficient, shown
	// beside the robust estimate; TWFE carries its clustered inference.
	TWFEEstimate float64           `json:"twfe_estimate"`
	TWFE         Estimate          `json:"twfe"`
	GroupTime    []GroupTimeEffect `json:"group_time"`
	// Warnings explain dropped units, skipped cells and TWFE divergence.
	Warnings []string `json:"warnings"`
}

// Staggered estimates the effect of a treatment adopted at different times by
// the group-time average treatment effects of Callaway & Sant'Anna (2021),
// unconditional (no covariates), with not-yet-treated units as comparisons.
//
// Base periods are "varying": a post-treatment ATT(g,t) compares period t with
// g-1; a pre-treatment one compares t with t-1, so pre-period estimates are
// placebo short differences. For a cell, the comparison units are those never
// treated or first treated after t, excluding cohort g itself. A unit enters a
// cell when both its periods are observed, so unbalanced panels are accepted.
// Cohorts are mapped to the first observed period at or after them; units
// treated from the first period on are dropped (with a warning); cohorts after
// the last period act as never treated.
//
// Standard errors are analytic, from influence functions (no bootstrap): the
// influence function of every ATT(g,t) is computed per unit, aggregations add
// the influence of the estimated cohort-share weights, and the variance is the
// sum over clusters of the squared summed influence, divided by n^2. Intervals
// and p-values use Student t with G-1 degrees of freedom (G clusters);
// pointwise, not uniform, bands.
func Staggered(rows []PanelRow, opt StaggeredOptions) (*StaggeredResult, error) {
	by := opt.Cluster
	if by != ClusterField {
		by = ClusterUnit
	}
	p, err := newStackedPanel(rows, by)
	if err != nil {
		return nil, fmt.Errorf("staggered: %w", err)
	}
	res := &StaggeredResult{Warnings: []string{}}
	if p.alwaysTreated > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d units treated from the first period have no pre-period and were left out", p.alwaysTreated))
	}
	cells, skipped := groupTimeCells(p)
	if skipped > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d group-time cells had no treated or no comparison units with both periods observed and were skipped", skipped))
	}
	if len(cells) == 0 {
		return nil, fmt.Errorf("staggered: no group-time effect can be estimated; the data need a treated cohort after the first period and not-yet-treated comparisons")
	}
	agg := newAggregator(p, cells)
	df := float64(p.nClust - 1)
	overall, hasPost := agg.aggregate(func(c *gtCell) bool { return c.t >= c.g })
	if !hasPost {
		return nil, fmt.Errorf("staggered: no post-treatment period can be estimated")
	}
	res.Overall = NewEstimate(overall.theta, overall.se, df, opt.Level)
	res.Overall.NObs = len(rows)
	res.Overall.NClusters = p.nClust
	res.Overall.Method = "callaway-santanna-notyettreated-simple influence-function se"

	rels := map[int]bool{}
	for i := range cells {
		rels[cells[i].t-cells[i].g] = true
	}
	relList := make([]int, 0, len(rels))
	for e := range rels {
		relList = append(relList, e)
	}
	sort.Ints(relList)
	var pre []aggregate
	for _, e := range relList {
		a, _ := agg.aggregate(func(c *gtCell) bool { return c.t-c.g == e })
		est := NewEstimate(a.theta, a.se, df, opt.Level)
		res.EventStudy = append(res.EventStudy, EventEstimate{RelTime: e, Estimate: a.theta, SE: a.se, CILow: est.CILow, CIHigh: est.CIHigh})
		if e < 0 {
			pre = append(pre, a)
		}
	}
	if len(pre) > 0 {
		chi2, pv, err := waldZero(pre, p)
		if err != nil {
			res.Warnings = append(res.Warnings, "pre-trend test not computed: "+err.Error())
		} else {
			res.PretrendChi2, res.PretrendDF, res.PretrendPValue = chi2, len(pre), &pv
		}
	}
	for i := range cells {
		c := &cells[i]
		res.GroupTime = append(res.GroupTime, GroupTimeEffect{Cohort: p.times[c.g], Time: p.times[c.t], RelTime: c.t - c.g,
			ATT: c.att, SE: agg.cellSE(c), NTreated: c.nD, NControl: c.nC})
	}
	tw, err := twfe(p, opt.Level)
	if err != nil {
		res.Warnings = append(res.Warnings, "two-way fixed effects not computed: "+err.Error())
	} else {
		tw.NObs = len(rows)
		res.TWFE, res.TWFEEstimate = tw, tw.Estimate
		diff := math.Abs(tw.Estimate - res.Overall.Estimate)
		half := (res.Overall.CIHigh - res.Overall.CILow) / 2
		if diff > half && diff > 0.1*math.Abs(res.Overall.Estimate) {
			res.Warnings = append(res.Warnings, fmt.Sprintf(
				"the naive two-way fixed-effects estimate %.4g differs from the Callaway & Sant'Anna estimate %.4g by more than the interval half-width and 10%%: with staggered adoption and effects that change over time TWFE compares later with earlier treated units and can be biased; report the Callaway & Sant'Anna estimate",
				tw.Estimate, res.Overall.Estimate))
		}
	}
	return res, nil
}

// gtCell is one estimable ATT(g,t) with its comparison set.
type gtCell struct {
	g, t, base int
	att        float64
	muD, muC   float64
	nD, nC     int
}

// groupTimeCells computes every estimable ATT(g,t) and counts the skipped ones.
func groupTimeCells(p *stackedPanel) (cells []gtCell, skipped int) {
	groups := map[int]bool{}
	for _, g := range p.group {
		if g != never {
			groups[g] = true
		}
	}
	gl := make([]int, 0, len(groups))
	for g := range groups {
		gl = append(gl, g)
	}
	sort.Ints(gl)
	for _, g := range gl {
		for t := 1; t < p.T; t++ {
			base := t - 1
			if t >= g {
				base = g - 1
			}
			c := gtCell{g: g, t: t, base: base}
			var sD, sC float64
			for i := 0; i < p.n; i++ {
				gi := p.group[i]
				if gi != g && gi <= t {
					continue
				}
				dy := p.at(i, t) - p.at(i, base)
				if math.IsNaN(dy) {
					continue
				}
				if gi == g {
					sD += dy
					c.nD++
				} else {
					sC += dy
					c.nC++
				}
			}
			if c.nD == 0 || c.nC == 0 {
				skipped++
				continue
			}
			c.muD, c.muC = sD/float64(c.nD), sC/float64(c.nC)
			c.att = c.muD - c.muC
			cells = append(cells, c)
		}
	}
	return cells, skipped
}
