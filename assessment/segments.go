package assessment

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Segment names, for HR.
const (
	SegmentChampions = "champions"
	SegmentReady     = "ready"
	SegmentHesitant  = "hesitant"
	SegmentAtRisk    = "at risk"
)

// segmentOrder lists segments from most to least ready.
var segmentOrder = []string{SegmentChampions, SegmentReady, SegmentHesitant, SegmentAtRisk}

// RuleSegment assigns a segment from a person's dimension levels, each
// rescaled to 0..1 with higher meaning readier (on a 1-5 scale, level
// (score-1)/4, inhibiting dimensions reversed):
//
//	champions: mean level >= 0.75 (4 of 5) and no level below 0.5 (3 of 5)
//	ready:     mean level >= 0.625 (3.5 of 5)
//	hesitant:  mean level >= 0.375 (2.5 of 5)
//	at risk:   otherwise
//
// It returns "" when no level is known.
func RuleSegment(levels []float64) string {
	sum, n, low := 0.0, 0, math.Inf(1)
	for _, l := range levels {
		if math.IsNaN(l) {
			continue
		}
		sum += l
		n++
		low = math.Min(low, l)
	}
	if n == 0 {
		return ""
	}
	m := sum / float64(n)
	switch {
	case m >= 0.75 && low >= 0.5:
		return SegmentChampions
	case m >= 0.625:
		return SegmentReady
	case m >= 0.375:
		return SegmentHesitant
	default:
		return SegmentAtRisk
	}
}

// KMeansSegments clusters the rows of levels (persons × dimensions, 0..1,
// higher = readier) into four groups by Lloyd's algorithm with k-means++
// seeding from a PCG generator seeded with seed, so the same data and seed
// always give the same segments. Clusters are named by the mean level of
// their centroid: highest "champions", then "ready", "hesitant", "at risk".
// Centroids are fitted on complete rows; a row with some levels missing
// joins the nearest centroid over its known levels, and a row with none
// gets "". With fewer complete rows than four, rows fall back to
// RuleSegment.
func KMeansSegments(levels [][]float64, seed uint64) []string {
	const k = 4
	out := make([]string, len(levels))
	var rows []int
	for i, r := range levels {
		ok := len(r) > 0
		for _, v := range r {
			if math.IsNaN(v) {
				ok = false
			}
		}
		if ok {
			rows = append(rows, i)
		}
	}
	if len(rows) < k {
		for i := range levels {
			out[i] = RuleSegment(levels[i])
		}
		return out
	}
	d := len(levels[rows[0]])
	rng := rand.New(rand.NewPCG(seed, 0x62757373))
	dist := func(a, b []float64) float64 {
		s := 0.0
		for j := range a {
			s += (a[j] - b[j]) * (a[j] - b[j])
		}
		return s
	}
	// k-means++ seeding.
	cent := [][]float64{append([]float64(nil), levels[rows[rng.IntN(len(rows))]]...)}
	dmin := make([]float64, len(rows))
	for len(cent) < k {
		total := 0.0
		for a, i := range rows {
			dmin[a] = math.Inf(1)
			for _, c := range cent {
				dmin[a] = math.Min(dmin[a], dist(levels[i], c))
			}
			total += dmin[a]
		}
		pick := rows[rng.IntN(len(rows))]
		if total > 0 {
			u := rng.Float64() * total
			for a, i := range rows {
				u -= dmin[a]
				if u <= 0 {
					pick = i
					break
				}
			}
		}
		cent = append(cent, append([]float64(nil), levels[pick]...))
	}
	assign := make([]int, len(rows))
	for iter := 0; iter < 100; iter++ {
		changed := false
		for a, i := range rows {
			best, bd := 0, math.Inf(1)
			for c := range cent {
				if dd := dist(levels[i], cent[c]); dd < bd {
					best, bd = c, dd
				}
			}
			if assign[a] != best || iter == 0 {
				changed = changed || assign[a] != best
				assign[a] = best
			}
		}
		sums := make([][]float64, k)
		cnt := make([]int, k)
		for c := range sums {
			sums[c] = make([]float64, d)
		}
		for a, i := range rows {
			cnt[assign[a]]++
			for j, v := range levels[i] {
				sums[assign[a]][j] += v
			}
		}
		for c := range cent {
			if cnt[c] == 0 {
				continue // keep an empty cluster's centroid where it was
			}
			for j := range cent[c] {
				cent[c][j] = sums[c][j] / float64(cnt[c])
			}
		}
		if !changed && iter > 0 {
			break
		}
	}
	means := make([]float64, k)
	order := make([]int, k)
	for c := range cent {
		order[c] = c
		for _, v := range cent[c] {
			means[c] += v / float64(d)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return means[order[a]] > means[order[b]] })
	name := make([]string, k)
	for rank, c := range order {
		name[c] = segmentOrder[rank]
	}
	for a, i := range rows {
		out[i] = name[assign[a]]
	}
	for i, r := range levels {
		if out[i] != "" {
			continue
		}
		best, bd := -1, math.Inf(1)
		for c := range cent {
			s, known := 0.0, 0
			for j, v := range r {
				if !math.IsNaN(v) {
					s += (v - cent[c][j]) * (v - cent[c][j])
					known++
				}
			}
			if known > 0 && s < bd {
				best, bd = c, s
			}
		}
		if best >= 0 {
			out[i] = name[best]
		}
	}
	return out
}
