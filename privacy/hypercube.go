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

// hypercubePartners are the searches for a cell's hypercube, in order
// until one finds a cube: how many partner levels per dimension to try
// (the cheapest ones), so at most partners^D cubes each. A cell whose
// cubes all have an empty corner among these is left to the greedy
// rounds. (Trying Total as a further partner always finds a cube, the
// one over the cell's own margins, and was five times faster on the
// sparse benchmark lattice, but it hid twice as many unit, grade, cohort
// and week totals there (54 of 125 against 27), the figures the pages use
// most.)
var hypercubePartners = []int{4, 8}

// protectByHypercubes hides, for every hidden primary cell in cell order,
// the corners of its cheapest hypercube that keeps the room rule, or the
// one with the most room when none does. It returns false when some
// primary cell has no hypercube at all; those are left to the
// audit-driven rounds.
func (p *Pattern) protectByHypercubes(n []int) bool {
	D := len(p.Lattice.dims)
	cs := &cubeSearch{p: p, n: n,
		levels: make([][]int, D), corner: make([]int, 1<<D), opp: make([]bool, 1<<D),
		delta: make([]int, D), flip: make([]bool, D), best: make([]int, 0, 1<<D)}
	ok := true
	for s := range n {
		if !Small(p.K, n[s]) || !p.Hidden(s) {
			continue
		}
		if !cs.search(s) {
			ok = false
			continue
		}
		for _, c := range cs.best {
			if !p.Hidden(c) {
				p.Reason[c] = ReasonComplementary
			}
		}
	}
	return ok
}

// unbounded is the room of a cube with no corner of the opposite sign.
const unbounded = math.MaxInt

// cubeSearch finds the best hypercube of one cell; its slices are reused
// from cell to cell.
type cubeSearch struct {
	p *Pattern
	n []int
	s int

	levels [][]int // per dimension: s's raw level, then the partners to try
	corner []int   // the corners of the cube under construction
	opp    []bool  // corner's sign is opposite to s's
	delta  []int   // per dimension: the partner cell minus s
	flip   []bool  // per dimension: the partner flips the sign

	found              bool
	bestCost, bestRoom int
	best               []int // the corners of the best cube so far
}

// search tries the partner limits in turn for cell s and reports whether a cube was found
// (then in cs.best).
func (cs *cubeSearch) search(s int) bool {
	cs.s, cs.found = s, false
	cs.corner[0], cs.opp[0] = s, false
	for _, limit := range hypercubePartners {
		feasible := true
		for d := range cs.levels {
			cs.levels[d] = cs.p.partners(s, d, cs.n, cs.levels[d], limit)
			feasible = feasible && len(cs.levels[d]) > 1
		}
		if feasible {
			cs.walk(0)
		}
		if cs.found {
			return true
		}
	}
	return false
}

// withRoom says the room lets s reach k people.
func (cs *cubeSearch) withRoom(room int) bool {
	return room == unbounded || cs.n[cs.s]+room >= cs.p.K
}

// walk chooses the partner of dimension d and the ones after it, then
// weighs the cube.
func (cs *cubeSearch) walk(d int) {
	l := cs.p.Lattice
	if d < len(cs.levels) {
		for _, partner := range cs.levels[d][1:] {
			if cs.found && cs.bestCost == 0 && cs.withRoom(cs.bestRoom) {
				return // free and with room: nothing beats it
			}
			own, cats := cs.levels[d][0], len(l.dims[d].Categories)
			cs.delta[d] = (partner - own) * l.strides[d]
			cs.flip[d] = own != cats && partner != cats
			cs.walk(d + 1)
		}
		return
	}
	n := cs.n
	cost, room := 0, unbounded
	for m := 1; m < len(cs.corner); m++ {
		// Corner m differs from corner m-without-its-lowest-bit on one
		// dimension only.
		e := bits.TrailingZeros(uint(m))
		prev := m &^ (1 << e)
		c := cs.corner[prev] + cs.delta[e]
		cs.corner[m], cs.opp[m] = c, cs.opp[prev] != cs.flip[e]
		if n[c] == 0 {
			return // an empty corner is known: no hypercube
		}
		if !cs.p.Hidden(c) {
			cost += n[c] + 1
			if cs.found && cs.bestCost <= cost && cs.withRoom(cs.bestRoom) {
				return // no cheaper than a cube with room
			}
		}
		if cs.opp[m] && n[c] < room {
			room = n[c]
		}
	}
	better := !cs.found
	if cs.found {
		switch ok, bestOK := cs.withRoom(room), cs.withRoom(cs.bestRoom); {
		case ok != bestOK:
			better = ok
		case ok:
			better = cost < cs.bestCost
		default:
			better = room > cs.bestRoom || room == cs.bestRoom && cost < cs.bestCost
		}
	}
	if better {
		cs.found, cs.bestCost, cs.bestRoom = true, cost, room
		cs.best = append(cs.best[:0], cs.corner...)
	}
}

// partners returns, appended to dst[:0], s's raw level on dimension d
// followed by up to limit partner levels: the levels whose neighbour of s
// (s with that level on d) is populated, hidden ones first (they cost
// nothing), then by fewest people, then by level.
func (p *Pattern) partners(s, d int, n []int, dst []int, limit int) []int {
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
	if len(cand) > limit {
		cand = cand[:limit]
	}
	return append(dst, cand...)
}
