package scoring

import (
	"context"

	"github.com/bussola-pa/bussola/privacy"
)

// Disclosure is the reports' lattice protection of one scored wave: the
// reason each category of the dimension by (org_unit, grade or cohort) is
// hidden ("" when published) and the reason the wave total is hidden. The
// results apply it on top of their per-table rule, so the API publishes
// only cells the readiness and executive pages publish too (one pattern
// per wave for every reader), and no combination of API and page answers
// opens a hidden cell.
type Disclosure func(ctx context.Context, tenant, instrument, wave, by string) (groups map[string]string, total string, err error)

// applyDisclosure hides the groups the lattice hides and, when it hides
// the wave total, the whole results; then rounds every figure to the
// precision the reports show (means and SDs 2 decimals, shares 3).
func applyDisclosure(r *Results, groups map[string]string, total string) {
	if total != "" {
		*r = Results{WaveKey: r.WaveKey, By: r.By, ScoredAt: r.ScoredAt, MinGroupSize: r.MinGroupSize, Dimensions: r.Dimensions,
			Groups: []Cell{}, Scores: []Cell{}, Totals: []Cell{}, Index: []Cell{}, Suppressed: true, Reason: ReasonSmallPopulation}
		return
	}
	for _, cs := range [][]Cell{r.Groups, r.Index, r.Scores} {
		for i := range cs {
			if why := groups[cs[i].Group]; why != "" && !cs[i].Suppressed {
				cs[i].hide(why)
			}
		}
	}
	round := func(p privacy.Precision, x *float64) {
		if x != nil {
			*x = p.Round(*x)
		}
	}
	for _, cs := range [][]Cell{r.Groups, r.Index, r.Scores, r.Totals, r.Segments, r.Barriers} {
		for i := range cs {
			round(privacy.Mean, cs[i].Mean)
			round(privacy.Mean, cs[i].SD)
			round(privacy.Share, cs[i].Share)
		}
	}
	if r.IndexTotal != nil {
		round(privacy.Mean, r.IndexTotal.Mean)
	}
}
