package privacy

// Leak rules: how an Audit found a group below the minimum.
const (
	// LeakDerivable: a primary cell's value follows exactly from the
	// published cells through the lattice's additivity equations (any
	// margin minus any visible parts, chained over every dimension).
	LeakDerivable = "derivable"
	// LeakSmallRemainder: a published cell minus its published parts along
	// one dimension leaves hidden parts that together may hold fewer than
	// k people (the remainder of a filter).
	LeakSmallRemainder = "small_remainder"
)

// Leak is one way a protected pattern fails: Cell is the primary cell that
// can be derived, or the published parent whose remainder is small.
type Leak struct {
	Cell int
	Rule string
	// Via lists the hidden cells the derivation goes through (for
	// LeakDerivable) or the hidden parts of the remainder, ascending.
	Via []int
}

// Audit checks a suppression pattern against the lattice's additivity
// equations, all together, and returns every leak, by cell then rule:
//   - every primary cell (0 < n < k) must be hidden and not derivable from
//     the published cells by any linear combination of the equations;
//   - along every relation whose parent is published, the hidden parts
//     must hold nobody or possibly at least k people: at least k summed
//     over a partition; over an Overlapping dimension, at least one hidden
//     part of k people or more, since the people of several bins may be
//     the same few.
//
// Cells with n == 0 count as published (they are empty, and a viewer who
// knows the organisation chart knows so). Audit does not modify p or n.
func Audit(p *Pattern, n []int) []Leak {
	l, k := p.Lattice, p.K
	var leaks []Leak
	// Remainders.
	var kids []int
	for _, r := range l.relations() {
		if p.Hidden(r.parent) {
			continue
		}
		kids = l.children(r, kids)
		if via, small := smallRemainder(l.dims[r.dim].Overlapping, k, kids, n, p); small {
			leaks = append(leaks, Leak{Cell: r.parent, Rule: LeakSmallRemainder, Via: via})
		}
	}
	// Derivability.
	leaks = append(leaks, p.derivable(n)...)
	sortLeaks(leaks)
	return leaks
}

// smallRemainder returns the hidden populated parts among kids and whether
// they may hold fewer than k people together while some populated part is
// visible (without one, the remainder is the published parent itself).
func smallRemainder(overlapping bool, k int, kids, n []int, p *Pattern) ([]int, bool) {
	var via []int
	sum, most, visible := 0, 0, false
	for _, c := range kids {
		if n[c] == 0 {
			continue
		}
		if !p.Hidden(c) {
			visible = true
			continue
		}
		via = append(via, c)
		sum += n[c]
		most = max(most, n[c])
	}
	if len(via) == 0 || !visible {
		return nil, false
	}
	if overlapping {
		return via, most < k
	}
	return via, sum < k
}

// derivable returns a LeakDerivable for every hidden primary cell that
// the published cells determine exactly, and every primary cell that is
// not hidden at all.
func (p *Pattern) derivable(n []int) []Leak {
	var leaks []Leak
	for i := range n {
		if Small(p.K, n[i]) && !p.Hidden(i) {
			leaks = append(leaks, Leak{Cell: i, Rule: LeakDerivable, Via: []int{i}})
		}
	}
	kn := p.Knowledge(n)
	for c, i := range kn.cells {
		if !Small(p.K, n[i]) {
			continue
		}
		if kn.span.contains(int32(c)) {
			via := make([]int, 0, len(kn.span.touched))
			for _, t := range kn.span.touched {
				via = append(via, kn.cells[t])
			}
			leaks = append(leaks, Leak{Cell: i, Rule: LeakDerivable, Via: sortedUnique(via)})
		}
	}
	return leaks
}

// unknowns numbers the hidden populated cells, the unknowns of the
// equations: col[i] is cell i's column or -1, cells[c] the cell of column c.
func (p *Pattern) unknowns(n []int) (col []int32, cells []int) {
	col = make([]int32, p.Lattice.size)
	for i := range col {
		col[i] = -1
		if p.Hidden(i) && n[i] > 0 {
			col[i] = int32(len(cells))
			cells = append(cells, i)
		}
	}
	return col, cells
}
