package privacy

import (
	"cmp"
	"fmt"
	"slices"
)

// Minimum group sizes.
const (
	// Floor is the smallest minimum any tenant may configure.
	Floor = 3
	// MinScores is the default minimum behind a score, rating, share,
	// count or activity figure.
	MinScores = 5
	// MinText is the default minimum behind a count of text terms.
	MinText = 10
)

// Minimum returns k raised to Floor: no configuration can weaken the rule
// below it.
func Minimum(k int) int { return max(k, Floor) }

// Pattern is a suppression pattern over a lattice: why each cell is
// hidden, "" for a published cell.
type Pattern struct {
	Lattice *Lattice
	// K is the minimum group size the pattern protects (at least Floor).
	K int
	// Reason holds, per cell, ReasonSmallGroup, ReasonComplementary or "".
	Reason []string
}

// Hidden reports whether cell i is suppressed.
func (p *Pattern) Hidden(i int) bool { return p.Reason[i] != "" }

// Counts returns the number of cells hidden as small groups (primary) and
// as complements (secondary).
func (p *Pattern) Counts() (primary, secondary int) {
	for _, r := range p.Reason {
		switch r {
		case ReasonSmallGroup:
			primary++
		case ReasonComplementary:
			secondary++
		}
	}
	return primary, secondary
}

// Primary returns the pattern with only primary suppression: every cell
// with 0 < n < k hidden, k raised to Floor. It is the starting point of
// Protect, and on its own it is not safe (Audit finds its leaks).
func Primary(l *Lattice, n []int, k int) (*Pattern, error) {
	if err := l.CheckCounts(n); err != nil {
		return nil, err
	}
	p := &Pattern{Lattice: l, K: Minimum(k), Reason: make([]string, l.size)}
	for i, c := range n {
		if Small(p.K, c) {
			p.Reason[i] = ReasonSmallGroup
		}
	}
	return p, nil
}

// Protect returns the suppression pattern of the lattice with head counts
// n (one per cell, margins included, see CheckCounts) under the minimum
// group size k (raised to Floor): primary suppression of every cell with
// 0 < n < k, then secondary suppression until Audit finds no leak.
//
// Secondary suppression has two steps. First, each primary cell in cell
// order gets the corners of its cheapest hypercube hidden (hypercube.go:
// fewest people hidden, corners already hidden are free, with enough room
// that the published cells cannot prove the group small); once all its
// corners are hidden a cell is not derivable, whatever else is hidden.
// Then rounds repeat until the audit is clean, as a safety net for cells
// without a usable hypercube (every cube among the partners tried has an
// empty corner):
//   - along every relation with a published parent whose hidden parts may
//     hold fewer than k people, the cheapest visible part is hidden (the
//     remainder rule, as in HideMargin);
//   - for each primary cell the exact audit can still derive, a published
//     cell in the equations of that derivation is hidden: the one in most
//     of them (closing a cycle of hidden cells, like the fourth corner of
//     the classic rectangle), then the cheapest. One per derivation in a
//     round; derivations sharing hidden cells wait for the next round.
//
// In the rounds, cheapest means: fewest Total coordinates first (an
// interior cell before a margin, so totals stay published), then fewest
// people, then lowest cell number. Each round hides at least one cell, so
// the rounds end.
//
// The result depends only on the lattice, n and k: the same input always
// gives the same pattern, so repeated queries see the same cells.
func Protect(l *Lattice, n []int, k int) (*Pattern, error) {
	p, err := Primary(l, n, k)
	if err != nil {
		return nil, err
	}
	p.protectByHypercubes(n)
	if err := p.settle(n); err != nil {
		return nil, err
	}
	return p, nil
}

// settle runs the audit-driven rounds of Protect until the audit is clean.
func (p *Pattern) settle(n []int) error {
	l := p.Lattice
	rels := l.relations()
	cost := func(a, b int) int {
		return cmp.Or(cmp.Compare(l.Totals(a), l.Totals(b)), cmp.Compare(n[a], n[b]), cmp.Compare(a, b))
	}
	for {
		p.remainders(n, rels, cost)
		leaks := p.derivable(n)
		if len(leaks) == 0 {
			return nil
		}
		used := make([]bool, l.size)
		added := 0
		for _, lk := range leaks {
			if slices.ContainsFunc(lk.Via, func(c int) bool { return used[c] }) {
				continue
			}
			for _, c := range lk.Via {
				used[c] = true
			}
			if c := p.complement(lk.Via, n, cost); c >= 0 {
				p.Reason[c] = ReasonComplementary
				added++
			}
		}
		if added == 0 {
			// No published populated cell shares an equation with the
			// derivations: hide the cheapest published cell anywhere.
			best := -1
			for i := range n {
				if !p.Hidden(i) && n[i] > 0 && (best < 0 || cost(i, best) < 0) {
					best = i
				}
			}
			if best < 0 {
				return fmt.Errorf("protezione: nessuna cella da nascondere ma il reticolo non è protetto / protection: nothing left to hide and the lattice is not protected")
			}
			p.Reason[best] = ReasonComplementary
		}
	}
}

// complement returns the published populated cell to hide against a
// derivation through the hidden cells via, or -1 when no published
// populated cell shares an equation with them. It prefers the cell that
// shares the most equations with via (closing a cycle of hidden cells, as
// the fourth corner of a rectangle does), then the cheapest.
func (p *Pattern) complement(via, n []int, cost func(a, b int) int) int {
	l := p.Lattice
	links := map[int]int{}
	seen := map[relation]bool{}
	var rels []relation
	var kids []int
	for _, h := range via {
		rels = l.relationsOf(h, rels)
		for _, r := range rels {
			if seen[r] {
				continue
			}
			seen[r] = true
			kids = append(l.children(r, kids), r.parent)
			for _, c := range kids {
				if !p.Hidden(c) && n[c] > 0 {
					links[c]++
				}
			}
		}
	}
	best := -1
	for c, k := range links {
		if best < 0 || k > links[best] || k == links[best] && cost(c, best) < 0 {
			best = c
		}
	}
	return best
}

func sortedUnique(xs []int) []int {
	slices.Sort(xs)
	return slices.Compact(xs)
}

func sortLeaks(ls []Leak) {
	slices.SortStableFunc(ls, func(a, b Leak) int {
		return cmp.Or(cmp.Compare(a.Cell, b.Cell), cmp.Compare(a.Rule, b.Rule))
	})
}

// Union returns the pattern hiding every cell some of ps hides, for pages
// that release several figures of one lattice with different head counts
// (one pattern per figure's n, then their union). Hiding more cells never
// makes a hidden cell derivable (a null vector of the equations over the
// hidden cells stays one when more cells are hidden) nor a remainder
// smaller, so the union of patterns that pass the audit under the same k
// passes it too. The reason of a cell is the first pattern's that hides it.
// Union panics on patterns of different lattices or minimums.
func Union(ps ...*Pattern) *Pattern {
	u := &Pattern{Lattice: ps[0].Lattice, K: ps[0].K, Reason: make([]string, ps[0].Lattice.size)}
	for _, p := range ps {
		if p.Lattice != u.Lattice || p.K != u.K {
			panic("privacy.Union: patterns of different lattices or minimums")
		}
		for i, r := range p.Reason {
			if u.Reason[i] == "" {
				u.Reason[i] = r
			}
		}
	}
	return u
}

// remainders applies the remainder rule until it holds everywhere: along
// every relation with a published parent whose hidden parts may hold
// fewer than k people, the cheapest visible populated part is hidden.
// On its own (after Primary) it is the per-table rule HideMargin applied
// to every margin of the lattice.
func (p *Pattern) remainders(n []int, rels []relation, cost func(a, b int) int) {
	l := p.Lattice
	var kids []int
	for changed := true; changed; {
		changed = false
		for _, r := range rels {
			if p.Hidden(r.parent) {
				continue
			}
			kids = l.children(r, kids)
			if _, small := smallRemainder(l.dims[r.dim].Overlapping, p.K, kids, n, p); !small {
				continue
			}
			best := -1
			for _, c := range kids {
				if !p.Hidden(c) && n[c] > 0 && (best < 0 || cost(c, best) < 0) {
					best = c
				}
			}
			p.Reason[best] = ReasonComplementary
			changed = true
		}
	}
}
