package assessment

import (
	"fmt"
	"math"
)

// ReliableChange is Jacobson and Truax's (1991) reliable change index for
// one person: RCI = (post-pre)/S_diff with S_diff = sqrt(2)·SE and
// SE = sd·sqrt(1-reliability), where sd is the standard deviation of the
// scores at the first wave and reliability the scale's reliability (alpha).
// |RCI| > 1.96 is a change unlikely (p < .05) to come from measurement
// error alone; Reliable reports that.
func ReliableChange(pre, post, sd, reliability float64) (rci float64, reliable bool, err error) {
	if !(sd > 0) || !(reliability > 0 && reliability < 1) {
		return math.NaN(), false, fmt.Errorf("reliable change: need sd > 0 and 0 < reliability < 1, got sd %g, reliability %g", sd, reliability)
	}
	sdiff := math.Sqrt2 * sd * math.Sqrt(1-reliability)
	rci = (post - pre) / sdiff
	return rci, math.Abs(rci) > 1.96, nil
}

// Change is a person's change on one dimension between two waves.
type Change struct {
	Tenant    string  `json:"tenant"`
	Person    uint64  `json:"person"`
	Dimension string  `json:"dimension"`
	Pre       float64 `json:"pre"`
	Post      float64 `json:"post"`
	RCI       float64 `json:"rci"`
	// Direction is "improved", "declined" or "unchanged" (not reliable).
	Direction string `json:"direction"`
}

// WaveChanges pairs persons present in both waves and computes the reliable
// change on every dimension scored in both, with the first wave's score
// standard deviation and raw alpha. Dimensions without a usable reliability
// (fewer than two items, or alpha outside (0,1)) are skipped.
func WaveChanges(pre, post *WaveResult) []Change {
	type key struct {
		tenant string
		person uint64
	}
	before := make(map[key]*PersonScore, len(pre.Persons))
	for i := range pre.Persons {
		p := &pre.Persons[i]
		before[key{p.Tenant, p.Person}] = p
	}
	var out []Change
	for _, dim := range pre.Dimensions {
		rel, ok := pre.ReliabilityOf(dim)
		if !ok {
			continue
		}
		sd := pre.ScoreSD(dim)
		for i := range post.Persons {
			b := &post.Persons[i]
			a, ok := before[key{b.Tenant, b.Person}]
			if !ok {
				continue
			}
			x, y := a.Scores[dim].Score, b.Scores[dim].Score
			if math.IsNaN(x) || math.IsNaN(y) {
				continue
			}
			rci, reliable, err := ReliableChange(x, y, sd, rel.RawAlpha)
			if err != nil {
				continue
			}
			dir := "unchanged"
			if reliable && rci > 0 {
				dir = "improved"
			} else if reliable {
				dir = "declined"
			}
			out = append(out, Change{Tenant: b.Tenant, Person: b.Person, Dimension: dim, Pre: x, Post: y, RCI: rci, Direction: dir})
		}
	}
	return out
}
