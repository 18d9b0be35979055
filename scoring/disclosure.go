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

// disclose hides the groups the lattice hides and, when it hides the wave
// total, the whole results; then rounds every figure to the precision the
// reports show (privacy.Cell.Round: means and SDs 2 decimals, shares 3).
func (t *tables) disclose(groups map[string]string, total string) {
	if total != "" {
		t.suppressed = true
		return
	}
	for _, cs := range [][]cell{t.groups, t.index, t.scores} {
		for i := range cs {
			if why := groups[cs[i].Group]; why != "" && !cs[i].Suppressed {
				cs[i].Hide(why)
			}
		}
	}
	for _, cs := range [][]cell{t.groups, t.index, t.scores, t.totals} {
		for i := range cs {
			cs[i].Round(privacy.Mean)
			cs[i].sd = privacy.Mean.Round(cs[i].sd)
		}
	}
	t.indexTotal.Round(privacy.Mean)
	for _, cs := range [][]cell{t.segments, t.barriers} {
		for i := range cs {
			cs[i].Round(privacy.Share)
		}
	}
}
