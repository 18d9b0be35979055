package privacy

import "math"

// Precision is how a released figure is rounded: to Decimals places, or
// to a multiple of Base when Base > 1. A figure is released at the
// precision shown, in the page, its export, data.json and the API alike:
// more digits in one of them would be a second, finer release.
type Precision struct {
	Decimals int
	Base     float64
}

// The precisions of released figures.
//
// Counts of people and of items are released exactly (Count). Rounding
// them to base 5, as some statistics offices do, would not protect what
// suppression does not: the lattice already hides every count that a
// combination of published cells could narrow to a small group, and the
// head counts of units and grades are known to an HR viewer anyway.
// Independent rounding of an additive table would also break its margins
// (the parts no longer add up to the published total), and consistent
// (controlled) rounding of a lattice of this size is a harder problem
// than suppression for no gain in protection.
var (
	// Mean: means of scores and ratings on their scale, 2 decimals.
	Mean = Precision{Decimals: 2}
	// Share: shares and rates in [0,1], 3 decimals (one decimal of a
	// percentage).
	Share = Precision{Decimals: 3}
	// Count: counts of people, answers, items and term occurrences, whole.
	Count = Precision{Decimals: 0}
)

// Round returns x at precision p, halves away from zero. NaN and
// infinities pass through (the caller publishes them as missing).
//
// x is first snapped to a millionth of the released step: one figure
// summed in another order (ClickHouse's GROUP BY and Go's maps give rows
// in no fixed order) differs from itself in its last bits, and a half
// lying among those bits would otherwise round up in one build of a data
// version and down in the next.
func (p Precision) Round(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	snap := func(steps float64) float64 { return math.Round(math.Round(steps*1e6) / 1e6) }
	if p.Base > 1 {
		return snap(x/p.Base) * p.Base
	}
	f := math.Pow10(p.Decimals)
	return snap(x*f) / f
}
