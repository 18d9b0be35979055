package assessment

import (
	"math"
	"sort"
)

// PersonScore is a dimension score: the mean of the answered (keyed)
// items, or NaN when fewer than the required share was answered.
//
// DimensionScore computes it from item values (NaN = not answered), their
// reversal flags, the scale bounds and the minimum answered share (0 means
// 0.8). Reversed items are scored min+max-x.
func DimensionScore(values []float64, reversed []bool, min, max, minShare float64) (score float64, answered int) {
	if minShare <= 0 {
		minShare = 0.8
	}
	s := 0.0
	for i, v := range values {
		if math.IsNaN(v) {
			continue
		}
		if reversed != nil && reversed[i] {
			v = min + max - v
		}
		s += v
		answered++
	}
	// A small epsilon keeps 4 of 5 (0.8) from failing on rounding.
	if answered == 0 || float64(answered) < minShare*float64(len(values))-1e-9 {
		return math.NaN(), answered
	}
	return s / float64(answered), answered
}

// Norm places scores within a norm group.
type Norm struct {
	Z, T, Percentile float64
}

// Norms computes, for each score, its z-score (population of the group,
// standard deviation with n-1), T-score (50+10z) and mid-rank percentile
// (100·(below + equal/2)/n) among the scores sharing its group key. NaN
// scores get NaN norms and do not count.
func Norms(scores []float64, group []string) []Norm {
	out := make([]Norm, len(scores))
	byGroup := map[string][]int{}
	for i, s := range scores {
		out[i] = Norm{math.NaN(), math.NaN(), math.NaN()}
		if !math.IsNaN(s) {
			g := ""
			if group != nil {
				g = group[i]
			}
			byGroup[g] = append(byGroup[g], i)
		}
	}
	for _, idx := range byGroup {
		n := float64(len(idx))
		mean := 0.0
		for _, i := range idx {
			mean += scores[i]
		}
		mean /= n
		ss := 0.0
		for _, i := range idx {
			ss += (scores[i] - mean) * (scores[i] - mean)
		}
		sd := math.Sqrt(ss / (n - 1))
		sorted := make([]float64, len(idx))
		for k, i := range idx {
			sorted[k] = scores[i]
		}
		sort.Float64s(sorted)
		for _, i := range idx {
			x := scores[i]
			below := sort.SearchFloat64s(sorted, x)
			upto := sort.Search(len(sorted), func(k int) bool { return sorted[k] > x })
			z := math.NaN()
			if sd > 0 {
				z = (x - mean) / sd
			}
			out[i] = Norm{Z: z, T: 50 + 10*z, Percentile: 100 * (float64(below) + float64(upto-below)/2) / n}
		}
	}
	return out
}
