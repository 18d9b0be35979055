package privacy

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// Total is the coordinate of a dimension aggregated away: a cell whose
// coordinate on "grade" is Total covers every grade.
const Total = -1

// Dimension is one classification of the lattice: unit, grade, cohort or a
// period binning (ISO weeks, months, survey waves).
type Dimension struct {
	// Name names the dimension in errors ("unit", "grade", "week").
	Name string
	// Categories are the labels of the categories, in a fixed order: the
	// order decides ties, so it must not depend on the data.
	Categories []string
	// Overlapping says a person may fall in several categories at once, as
	// in period bins (one person writes in several weeks). The head count
	// of a margin over such a dimension is then at most the sum of its
	// parts; over a partition (unit, grade, cohort) it equals it.
	Overlapping bool
}

// MaxCells bounds the cells of a lattice, margins included: a few seconds
// of protection work at most (13,776 cells take about 0.2 s).
const MaxCells = 1 << 20

// Lattice is the fixed set of publishable cells over some dimensions: every
// combination of one category or Total per dimension. The cell with every
// coordinate Total is the entity total; the cells with no Total are the
// interior cells, and every other cell is a margin, the sum of the interior
// cells below it. Cells are numbered 0..Len()-1 (see Index and Coord).
type Lattice struct {
	dims    []Dimension
	strides []int
	size    int
}

// NewLattice returns the lattice over dims. It rejects a lattice without
// dimensions, a dimension without a name or categories, and repeated names.
func NewLattice(dims ...Dimension) (*Lattice, error) {
	if len(dims) == 0 {
		return nil, fmt.Errorf("reticolo: servono almeno una dimensione / lattice: at least one dimension is required")
	}
	l := &Lattice{dims: append([]Dimension(nil), dims...), strides: make([]int, len(dims)), size: 1}
	seen := map[string]bool{}
	for i := len(dims) - 1; i >= 0; i-- {
		d := dims[i]
		switch {
		case d.Name == "":
			return nil, fmt.Errorf("reticolo: la dimensione %d non ha nome / lattice: dimension %d has no name", i, i)
		case len(d.Categories) == 0:
			return nil, fmt.Errorf("reticolo %s: servono almeno una categoria / lattice %s: at least one category is required", d.Name, d.Name)
		case seen[d.Name]:
			return nil, fmt.Errorf("reticolo %s: nome ripetuto / lattice %s: repeated dimension name", d.Name, d.Name)
		}
		seen[d.Name] = true
		l.strides[i] = l.size
		if l.size > MaxCells/(len(d.Categories)+1) {
			return nil, fmt.Errorf("reticolo: più di %d celle / lattice: more than %d cells", MaxCells, MaxCells)
		}
		l.size *= len(d.Categories) + 1
	}
	return l, nil
}

// Dims returns the dimensions (not to be modified).
func (l *Lattice) Dims() []Dimension { return l.dims }

// Len returns the number of cells, margins included.
func (l *Lattice) Len() int { return l.size }

// Index returns the number of the cell at coord: one category index or
// Total per dimension. It panics on a coordinate out of range.
func (l *Lattice) Index(coord ...int) int {
	if len(coord) != len(l.dims) {
		panic(fmt.Sprintf("privacy.Lattice.Index: %d coordinates for %d dimensions", len(coord), len(l.dims)))
	}
	i := 0
	for d, c := range coord {
		n := len(l.dims[d].Categories)
		if c == Total {
			c = n
		} else if c < 0 || c >= n {
			panic(fmt.Sprintf("privacy.Lattice.Index: %s coordinate %d out of range", l.dims[d].Name, c))
		}
		i += c * l.strides[d]
	}
	return i
}

// Coord returns the coordinates of cell i (Total where aggregated),
// appended to dst[:0].
func (l *Lattice) Coord(i int, dst []int) []int {
	dst = dst[:0]
	for d := range l.dims {
		c := (i / l.strides[d]) % (len(l.dims[d].Categories) + 1)
		if c == len(l.dims[d].Categories) {
			c = Total
		}
		dst = append(dst, c)
	}
	return dst
}

// coord returns cell i's raw coordinate on dimension d, where
// len(Categories) stands for Total.
func (l *Lattice) coord(i, d int) int {
	return (i / l.strides[d]) % (len(l.dims[d].Categories) + 1)
}

// Totals returns how many coordinates of cell i are Total: 0 for an
// interior cell, len(Dims()) for the entity total.
func (l *Lattice) Totals(i int) int {
	t := 0
	for d := range l.dims {
		if l.coord(i, d) == len(l.dims[d].Categories) {
			t++
		}
	}
	return t
}

// Label names cell i for errors and tests: "unit=U1 grade=* week=2026-W01".
func (l *Lattice) Label(i int) string {
	var b strings.Builder
	for d, dim := range l.dims {
		if d > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(dim.Name)
		b.WriteByte('=')
		if c := l.coord(i, d); c == len(dim.Categories) {
			b.WriteByte('*')
		} else {
			b.WriteString(dim.Categories[c])
		}
	}
	return b.String()
}

// relation is one additivity equation of the lattice: the parent cell is
// the sum of its children, the cells that replace the parent's Total on
// dimension dim by each category in turn.
type relation struct {
	parent int
	dim    int
}

// relations lists every additivity equation, in cell order then dimension
// order. Together they imply every margin relation of the lattice (any
// margin is the sum of any set of cells that partitions it).
func (l *Lattice) relations() []relation {
	var rs []relation
	for i := 0; i < l.size; i++ {
		for d := range l.dims {
			if l.coord(i, d) == len(l.dims[d].Categories) {
				rs = append(rs, relation{parent: i, dim: d})
			}
		}
	}
	return rs
}

// children appends the children of r to dst[:0].
func (l *Lattice) children(r relation, dst []int) []int {
	dst = dst[:0]
	n := len(l.dims[r.dim].Categories)
	base := r.parent - n*l.strides[r.dim]
	for c := 0; c < n; c++ {
		dst = append(dst, base+c*l.strides[r.dim])
	}
	return dst
}

// CheckCounts checks that n holds one head count per cell and that the
// margins agree with their parts: equal to the sum over a partition,
// between the largest part and the sum over an Overlapping dimension. A
// store whose margins disagree would make the protection unsound.
func (l *Lattice) CheckCounts(n []int) error {
	if len(n) != l.size {
		return fmt.Errorf("conteggi: %d valori per %d celle / counts: %d values for %d cells", len(n), l.size, len(n), l.size)
	}
	var kids []int
	for i, c := range n {
		if c < 0 {
			return fmt.Errorf("conteggi %s: %d è negativo / counts %s: %d is negative", l.Label(i), c, l.Label(i), c)
		}
	}
	for _, r := range l.relations() {
		sum, most := 0, 0
		kids = l.children(r, kids)
		for _, c := range kids {
			sum += n[c]
			most = max(most, n[c])
		}
		p := n[r.parent]
		ok := p == sum
		if l.dims[r.dim].Overlapping {
			ok = most <= p && p <= sum
		}
		if !ok {
			return fmt.Errorf("conteggi %s: %d non concorda con le parti per %s (somma %d) / counts %s: %d disagrees with its parts by %s (sum %d)",
				l.Label(r.parent), p, l.dims[r.dim].Name, sum, l.Label(r.parent), p, l.dims[r.dim].Name, sum)
		}
	}
	return nil
}

// relationsOf appends to dst[:0] the relations cell i takes part in: as
// the parent (one per Total coordinate) and as a child (one per category
// coordinate).
func (l *Lattice) relationsOf(i int, dst []relation) []relation {
	dst = dst[:0]
	for d, dim := range l.dims {
		n := len(dim.Categories)
		c := l.coord(i, d)
		if c == n {
			dst = append(dst, relation{parent: i, dim: d})
		} else {
			dst = append(dst, relation{parent: i + (n-c)*l.strides[d], dim: d})
		}
	}
	return dst
}

// Cell returns the cell a filter selects: filter maps a dimension name to
// a category label; a dimension left out (or given "") is Total. A filter
// names only cells of the lattice, so every answer is a published or a
// hidden cell, never an arbitrary group. Unknown names and labels are an
// *InputError naming the field.
func (l *Lattice) Cell(filter map[string]string) (int, error) {
	coord := make([]int, len(l.dims))
	used := 0
	for d, dim := range l.dims {
		coord[d] = Total
		v, ok := filter[dim.Name]
		if !ok {
			continue
		}
		used++
		if v == "" {
			continue
		}
		c := slices.Index(dim.Categories, v)
		if c < 0 {
			return 0, &InputError{Field: dim.Name, It: fmt.Sprintf("%q non è una categoria pubblicata", v), En: fmt.Sprintf("%q is not a published category", v)}
		}
		coord[d] = c
	}
	if used != len(filter) {
		for _, name := range slices.Sorted(maps.Keys(filter)) {
			if !slices.ContainsFunc(l.dims, func(d Dimension) bool { return d.Name == name }) {
				return 0, &InputError{Field: name, It: "non è una dimensione del reticolo", En: "is not a dimension of the lattice"}
			}
		}
	}
	return l.Index(coord...), nil
}

// CheckSums checks that v holds one value per cell of an additive figure
// (a sum of ratings, a number of items) and that every margin equals the
// sum of its parts along every dimension, Overlapping ones included, to
// within tol. The suppression is sound only for figures that add up.
func (l *Lattice) CheckSums(field string, v []float64, tol float64) error {
	if len(v) != l.size {
		return fmt.Errorf("%s: %d valori per %d celle / %s: %d values for %d cells", field, len(v), l.size, field, len(v), l.size)
	}
	var kids []int
	for _, r := range l.relations() {
		sum := 0.0
		kids = l.children(r, kids)
		for _, c := range kids {
			sum += v[c]
		}
		if p := v[r.parent]; math.Abs(p-sum) > tol || math.IsNaN(p) {
			return fmt.Errorf("%s %s: %g non è la somma delle parti per %s (%g) / %s %s: %g is not the sum of its parts by %s (%g)",
				field, l.Label(r.parent), p, l.dims[r.dim].Name, sum, field, l.Label(r.parent), p, l.dims[r.dim].Name, sum)
		}
	}
	return nil
}
