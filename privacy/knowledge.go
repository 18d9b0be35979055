package privacy

import "sync"

// Knowledge is what the published cells of a pattern determine: every
// linear combination of cells whose value follows from the published
// cells through the lattice's additivity equations. It answers requests
// that are not cells of the lattice, such as the sum over a range of
// period bins: a figure the published cells determine adds nothing a
// viewer could not compute, so it may be released; any other may not.
//
// Building it costs one elimination over the hidden cells (tens of
// milliseconds on a lattice of ten thousand cells); keep it with the
// pattern. It is safe for concurrent use.
type Knowledge struct {
	mu    sync.Mutex
	col   []int32 // cell -> column of a hidden populated cell, or -1
	cells []int   // column -> cell
	span  *span   // the row space of the equations over the hidden cells
}

// Knowledge returns what the published cells of p determine, for the
// head counts n the pattern was made from (an empty cell is known to be
// zero, so it counts as published).
func (p *Pattern) Knowledge(n []int) *Knowledge {
	l := p.Lattice
	kn := &Knowledge{}
	kn.col, kn.cells = p.unknowns(n)
	kn.span = newSpan(len(kn.cells))
	var kids []int
	var rc []int32
	var rv []uint64
	for _, r := range l.relations() {
		rc, rv = rc[:0], rv[:0]
		if c := kn.col[r.parent]; c >= 0 {
			rc, rv = append(rc, c), append(rv, 1)
		}
		kids = l.children(r, kids)
		for _, k := range kids {
			if c := kn.col[k]; c >= 0 {
				rc, rv = append(rc, c), append(rv, modP-1)
			}
		}
		if len(rc) > 0 {
			kn.span.add(rc, rv)
		}
	}
	return kn
}

// Determines reports whether the sum of the given cells (a cell listed
// twice counts twice) follows from the published cells. It holds for any
// published cell, for every margin the published cells add up to, and
// for a sum of hidden cells that equals a published cell minus published
// parts; it fails for a hidden cell on its own and for any combination a
// change of the hidden cells could move. The sum of an additive figure
// (ratings, items, answers) over those cells may then be released; a
// head count of distinct people over them is a new figure and may not
// (people repeat across period bins).
func (kn *Knowledge) Determines(cells ...int) bool {
	var cols []int32
	var vals []uint64
	for _, i := range cells {
		if c := kn.col[i]; c >= 0 {
			cols, vals = append(cols, c), append(vals, 1)
		}
	}
	if len(cols) == 0 {
		return true
	}
	kn.mu.Lock()
	defer kn.mu.Unlock()
	return kn.span.reduce(cols, vals) < 0
}
