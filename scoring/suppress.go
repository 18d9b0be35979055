package scoring

import "github.com/bussola-pa/bussola/privacy"

// Suppression of the published aggregates, with k the minimum group size
// (the same rules as the report pages, reports/suppress.go; rules 1 and 2
// are privacy's):
//  1. A cell with 0 < n < k is hidden (small_group).
//  2. Cells that partition a published total form a margin group. While
//     the hidden cells of a group hold fewer than k people together, the
//     visible cell with the fewest people is hidden too (complementary),
//     so the total minus the visible cells only ever reveals a group of at
//     least k people.
//  3. A wave with fewer than k respondents publishes nothing
//     (small_population).
// A group hidden in one table (its head count, one dimension, the index)
// is hidden in all of them, so that no table reveals what another hides.

// Reasons a cell is hidden (privacy's codes).
const (
	ReasonSmallGroup      = privacy.ReasonSmallGroup
	ReasonComplementary   = privacy.ReasonComplementary
	ReasonSmallPopulation = privacy.ReasonSmallPopulation
)

// hideMargin applies rules 1 and 2 to one margin group
// (privacy.HideMargin): n[i] is the people behind cell i, reason[i] != ""
// marks a hidden cell (cells may come in already hidden) and is set for the
// cells it hides.
func hideMargin(k int, n []int, reason []string) {
	hidden := make([]bool, len(n))
	for i := range n {
		hidden[i] = reason[i] != ""
	}
	small, complementary := privacy.HideMargin(k, n, hidden)
	for _, i := range small {
		reason[i] = ReasonSmallGroup
	}
	for _, i := range complementary {
		reason[i] = ReasonComplementary
	}
}

// hiddenGroups applies rules 1 and 2 to every column (each a partition of
// one total over groups: people per group) until no column hides another
// group, and returns why each hidden group is hidden.
func hiddenGroups(k int, groups []string, columns []map[string]int) map[string]string {
	why := map[string]string{}
	n := make([]int, len(groups))
	reason := make([]string, len(groups))
	for changed := true; changed; {
		changed = false
		for _, col := range columns {
			for i, g := range groups {
				n[i], reason[i] = col[g], why[g]
			}
			hideMargin(k, n, reason)
			for i, g := range groups {
				if reason[i] != "" && why[g] == "" {
					why[g] = reason[i]
					changed = true
				}
			}
		}
	}
	return why
}
