package privacy

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// The hypercube method (Repsilber's, as in tau-ARGUS), generalised to a
// lattice with every margin.
//
// For a cell s, pick on every dimension one partner level: another
// category when s has a category there, or Total; a category when s has
// Total there. The 2^D cells that take, on every dimension, either s's
// level or the partner are the corners of a hypercube. Give each corner
// the sign (-1)^(number of dimensions where it takes a partner category
// against a category of s). Along any additivity equation the signed
// corners cancel (two categories of one equation with opposite signs, or a
// Total and one of its categories with the same sign), so adding t times
// this vector to the table changes no published cell when every corner is
// hidden: s is then not derivable, whatever else is hidden, and stays so
// when more cells are hidden later. A corner that is empty (n == 0) is
// known to be zero, so it cannot be a corner.
//
// Nonnegativity bounds t by the corners: the count of s can rise by the
// smallest count among the corners of the opposite sign. The method
// prefers hypercubes where that room lifts s to at least k people, so the
// published cells cannot prove the group small. Over an Overlapping
// dimension head counts do not add up (one person in several weeks), so
// there the room is a guide rather than a bound; the sums a page releases
// (of ratings, of items) do add up, and for them the cube is exact.

// hypercubePartners is how many partner levels per dimension the search
// tries (the cheapest ones): the search is at most hypercubePartners^D
// hypercubes per primary cell.
const hypercubePartners = 4

// protectByHypercubes hides, for every hidden primary cell in cell order,
// the corners of its cheapest hypercube that keeps the room rule, or the
// one with the most room when none does. It returns false when some
// primary cell has no hypercube at all (every candidate has an empty
// corner); those are left to the audit-driven rounds.
func (p *Pattern) protectByHypercubes(n []int) bool {
	l := p.Lattice
	D := len(l.dims)
	ok := true
	levels := make([][]int, D) // per dimension: s's raw level, then partners
	corner := make([]int, 1<<D)
	opp := make([]bool, 1<<D) // the corner's sign is opposite to s's
	delta := make([]int, D)   // per dimension: partner cell minus s
	flip := make([]bool, D)   // per dimension: the partner flips the sign
	best := make([]int, 0, 1<<D)
	for s := range n {
		if !Small(p.K, n[s]) || !p.Hidden(s) {
			continue
		}
		feasible := true
		for d := range D {
			levels[d] = p.partners(s, d, n, levels[d])
			if len(levels[d]) < 2 {
				feasible = false
			}
		}
		if !feasible {
			ok = false
			continue
		}
		// room is the smallest count among corners of the opposite sign:
		// how far s can rise; with no such corner it is unbounded.
		const unbounded = math.MaxInt
		bestCost, bestRoom, found := 0, 0, false
		withRoom := func(room int) bool { return room == unbounded || n[s]+room >= p.K }
		best = best[:0]
		corner[0], opp[0] = s, false
		var walk func(d int)
		walk = func(d int) {
			if d < D {
				for i := 1; i < len(levels[d]); i++ {
					if found && bestCost == 0 && withRoom(bestRoom) {
						return // free and with room: nothing beats it
					}
					own, partner := levels[d][0], levels[d][i]
					cats := len(l.dims[d].Categories)
					delta[d] = (partner - own) * l.strides[d]
					flip[d] = own != cats && partner != cats
					walk(d + 1)
				}
				return
			}
			cost, room := 0, unbounded
			for m := 1; m < len(corner); m++ {
				e := bits.TrailingZeros(uint(m))
				prev := m &^ (1 << e)
				c := corner[prev] + delta[e]
				corner[m], opp[m] = c, opp[prev] != flip[e]
				if n[c] == 0 {
					return // an empty corner is known: no hypercube
				}
				if !p.Hidden(c) {
					cost += n[c] + 1
					if found && bestCost <= cost && withRoom(bestRoom) {
						return // no cheaper than a cube with room
					}
				}
				if opp[m] && n[c] < room {
					room = n[c]
				}
			}
			better := !found
			if found {
				switch ok, bestOK := withRoom(room), withRoom(bestRoom); {
				case ok != bestOK:
					better = ok
				case ok:
					better = cost < bestCost
				default:
					better = room > bestRoom || room == bestRoom && cost < bestCost
				}
			}
			if better {
				found, bestCost, bestRoom = true, cost, room
				best = append(best[:0], corner...)
			}
		}
		walk(0)
		if !found {
			ok = false
			continue
		}
		for _, c := range best {
			if !p.Hidden(c) {
				p.Reason[c] = ReasonComplementary
			}
		}
	}
	return ok
}

// partners returns, appended to dst[:0], s's raw level on dimension d
// followed by up to hypercubePartners partner levels: the levels whose
// neighbour of s (s with that level on d) is populated, hidden ones first
// (they cost nothing), then by fewest people, then by level.
func (p *Pattern) partners(s, d int, n []int, dst []int) []int {
	l := p.Lattice
	own := l.coord(s, d)
	cats := len(l.dims[d].Categories)
	base := s - own*l.strides[d]
	dst = append(dst[:0], own)
	var cand []int
	for lv := 0; lv <= cats; lv++ {
		if lv == own {
			continue
		}
		if c := base + lv*l.strides[d]; n[c] > 0 {
			cand = append(cand, lv)
		}
	}
	key := func(lv int) (int, int) {
		c := base + lv*l.strides[d]
		h := 1
		if p.Hidden(c) {
			h = 0
		}
		return h, n[c]
	}
	slices.SortFunc(cand, func(a, b int) int {
		ha, na := key(a)
		hb, nb := key(b)
		return cmp.Or(cmp.Compare(ha, hb), cmp.Compare(na, nb), cmp.Compare(a, b))
	})
	if len(cand) > hypercubePartners {
		cand = cand[:hypercubePartners]
	}
	return append(dst, cand...)
}
