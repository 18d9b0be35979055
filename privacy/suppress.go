package privacy

// HideMargin and Small: the per-table rule the pages apply today, kept
// until every page reads through a protected Lattice (issue 9).

import "fmt"

// Reasons a cell is hidden: stable codes that the pages, exports and APIs
// publish with every hidden cell.
const (
	// ReasonSmallGroup: fewer people behind the cell than the minimum.
	ReasonSmallGroup = "small_group"
	// ReasonComplementary: hidden so a hidden neighbour cannot be derived
	// from a published total minus the visible cells.
	ReasonComplementary = "complementary"
	// ReasonSmallPopulation: the whole selection has fewer people than the
	// minimum, or leaves out fewer than the minimum (derivable by difference).
	ReasonSmallPopulation = "small_population"
)

// Small reports whether a cell of n people is below the minimum group size
// k: 0 < n < k. A cell with n == 0 holds no data and is never small.
func Small(k, n int) bool {
	return n > 0 && n < k
}

// HideMargin applies the minimum group size k to one margin group: cells
// that partition a published total, n[i] being the people behind cell i.
// hidden[i] says that cell i is hidden already (by another rule or another
// table); hidden may be nil when no cell is. The inputs are not modified.
//
// First every visible cell with 0 < n < k is hidden (small, in index
// order). Then, while some cells are hidden and together hold fewer than k
// people, the visible cell with the fewest people, n > 0, is hidden too
// (complementary, in the order chosen; on a tie the lowest index). This
// stops early when no visible cell with people is left. The total minus
// the visible cells then reveals either nothing or a group of at least k
// people, unless every populated cell is hidden.
//
// Each cell hidden by this call appears in exactly one of the returned
// index lists; cells hidden on input appear in neither. HideMargin panics
// if hidden is neither nil nor as long as n.
func HideMargin(k int, n []int, hidden []bool) (small, complementary []int) {
	if hidden != nil && len(hidden) != len(n) {
		panic(fmt.Sprintf("privacy.HideMargin: %d hidden flags for %d cells", len(hidden), len(n)))
	}
	off := make([]bool, len(n))
	copy(off, hidden)
	for i, c := range n {
		if !off[i] && Small(k, c) {
			off[i] = true
			small = append(small, i)
		}
	}
	for {
		count, people := 0, 0
		for i, c := range n {
			if off[i] {
				count++
				people += c
			}
		}
		if count == 0 || people >= k {
			return small, complementary
		}
		next := -1
		for i, c := range n {
			if !off[i] && c > 0 && (next < 0 || c < n[next]) {
				next = i
			}
		}
		if next < 0 {
			return small, complementary
		}
		off[next] = true
		complementary = append(complementary, next)
	}
}
