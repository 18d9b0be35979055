package reports

import "github.com/bussola-pa/bussola/privacy"

// The mechanics of suppression, shared by every page (suppress_pages.go).
// Rules 1 and 2 are privacy's, shared with the scoring job.
//
// Rules, with k the minimum group size that applies:
//  1. A cell with 0 < N < k is hidden (small_group).
//  2. Cells that partition a published total form a margin group. If the
//     hidden cells of a group hold fewer than k people together, the visible
//     cell with the fewest people is hidden too (complementary), and again
//     until the hidden cells hold at least k people or none is left. The
//     total minus the visible cells then only ever reveals a group of at
//     least k people.
//  3. A selection with fewer than k people, or whose filters leave out
//     between 1 and k-1 people of the tenant, hides every cell
//     (small_population).
// A cell with N == 0 has no data and is published as empty.

// hideSmall hides every cell of cells with 0 < N < k.
func hideSmall(k int, cells ...*Cell) {
	for _, c := range cells {
		if !c.Suppressed && privacy.Small(k, c.N) {
			c.Hide(ReasonSmallGroup)
		}
	}
}

// hideMargin applies rules 1 and 2 to one margin group (privacy.HideMargin).
func hideMargin(k int, cells []*Cell) {
	n := make([]int, len(cells))
	hidden := make([]bool, len(cells))
	for i, c := range cells {
		n[i], hidden[i] = c.N, c.Suppressed
	}
	small, complementary := privacy.HideMargin(k, n, hidden)
	for _, i := range small {
		cells[i].Hide(ReasonSmallGroup)
	}
	for _, i := range complementary {
		cells[i].Hide(ReasonComplementary)
	}
}

// hideAll hides every cell with reason.
func hideAll(reason string, cells ...*Cell) {
	for _, c := range cells {
		c.Hide(reason)
	}
}

// hideTogether hides every cell of a set when any of them is hidden (the
// parts of one comparison: before, after and change).
func hideTogether(cells ...*Cell) {
	reason := ""
	for _, c := range cells {
		if c.Suppressed {
			reason = c.Reason
			break
		}
	}
	if reason == "" {
		return
	}
	for _, c := range cells {
		if !c.Suppressed {
			c.Hide(reason)
		}
	}
}

// populationBlocked reports whether rule 3 hides the whole page.
// A tenant with nobody at all in the period is not blocked: every cell is
// empty, there is nothing to protect, and the page says the period has no
// data instead of calling an empty period a small group.
func populationBlocked(p Population, q Query, k int) bool {
	if p.N == 0 && p.EntityN == 0 {
		return false
	}
	if p.N < k {
		return true
	}
	if q.Filtered() {
		left := p.EntityN - p.N
		if left > 0 && left < k {
			return true
		}
	}
	return false
}

// groupBy collects pointers to cells by a key, keeping first-seen order.
func groupBy[T any](items []T, key func(*T) string, cell func(*T) *Cell) [][]*Cell {
	idx := map[string]int{}
	var out [][]*Cell
	for i := range items {
		k := key(&items[i])
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, nil)
		}
		out[j] = append(out[j], cell(&items[i]))
	}
	return out
}
