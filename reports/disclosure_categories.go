package reports

import (
	"fmt"
	"slices"

	"github.com/bussola-pa/bussola/privacy"
)

// The readiness page's counts by category (score levels of each
// dimension, segments, barrier stages) come from the wave's lattice too.
// Each family of categories extends the lattice by one dimension, its
// categories: cell (x, c) holds the people of category c in cell x, cell
// (x, all) the family's people in x. That lattice is protected like any
// other (privacy.Protect, all margins together, the categories' one
// included), so a hidden category of a cell cannot be recovered from the
// cell's other categories and its total, nor from the same category in
// other cells. Its slice (x, all) is the family's total, a head count the
// page also releases (a dimension's scored people, the scored people):
// the cells that slice hides are hidden in the wave's page pattern as
// well (wavePatterns), so the family's totals are released exactly where
// the page's figures are, and the page pattern, hiding more, stays safe
// (privacy.Union).

// categoryFamily is one family of categories of a wave's lattice.
type categoryFamily struct {
	// key names the family in the pattern cache: "levels/<dimension>",
	// "segments" or "stages".
	key string
	CategoryCells
}

// families lists the families of wc with categories, in a fixed order.
func families(dims []string, wc WaveCells) []categoryFamily {
	var out []categoryFamily
	for _, dim := range dims {
		if cc, ok := wc.Levels[dim]; ok && len(cc.Categories) > 0 {
			out = append(out, categoryFamily{"levels/" + dim, cc})
		}
	}
	if len(wc.Segments.Categories) > 0 {
		out = append(out, categoryFamily{"segments", wc.Segments})
	}
	if len(wc.Stages.Categories) > 0 {
		out = append(out, categoryFamily{"stages", wc.Stages})
	}
	return out
}

// categoryLattice returns l extended by the categories of cc (dimension
// "category") and the head counts of its cells: (x, c) the people of c in
// x, (x, all) their sum.
func categoryLattice(l *privacy.Lattice, cc CategoryCells) (*privacy.Lattice, []int, error) {
	l4, err := privacy.NewLattice(append(slices.Clone(l.Dims()), privacy.Dimension{Name: "category", Categories: cc.Categories})...)
	if err != nil {
		return nil, nil, err
	}
	if len(cc.People) != len(cc.Categories) {
		return nil, nil, fmt.Errorf("categorie: %d conteggi per %d categorie / categories: %d counts for %d categories",
			len(cc.People), len(cc.Categories), len(cc.People), len(cc.Categories))
	}
	n := make([]int, l4.Len())
	coord := make([]int, 0, len(l.Dims())+1)
	for i := range l.Len() {
		coord = l.Coord(i, coord)
		total := l4.Index(append(coord, privacy.Total)...)
		for ci, people := range cc.People {
			if len(people) != l.Len() {
				return nil, nil, fmt.Errorf("categoria %s: %d celle per %d / category %s: %d cells for %d", cc.Categories[ci], len(people), l.Len(), cc.Categories[ci], len(people), l.Len())
			}
			n[l4.Index(append(coord, ci)...)] = people[i]
			n[total] += people[i]
		}
	}
	return l4, n, nil
}

// familyPatterns protects the category lattice of each family of wc, in
// families' order; family is the wave's pattern family (cache key).
func (s *Server) familyPatterns(family, tenant, version string, dims []string, wc WaveCells, k int) ([]categoryFamily, []*privacy.Pattern, error) {
	fs := families(dims, wc)
	out := make([]*privacy.Pattern, len(fs))
	for i, f := range fs {
		l4, n, err := categoryLattice(wc.Lattice, f.CategoryCells)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", family, f.key, err)
		}
		if out[i], err = s.protect(family+"/"+f.key, tenant, version, l4, k, n); err != nil {
			return nil, nil, err
		}
	}
	return fs, out, nil
}

// withFamilyTotals returns p with every cell hidden whose family total
// one of qs hides (the slice (x, all) of each category lattice).
func withFamilyTotals(p *privacy.Pattern, qs []*privacy.Pattern) *privacy.Pattern {
	if len(qs) == 0 {
		return p
	}
	l := p.Lattice
	extra := &privacy.Pattern{Lattice: l, K: p.K, Reason: make([]string, l.Len())}
	coord := make([]int, 0, len(l.Dims())+1)
	for i := range l.Len() {
		coord = l.Coord(i, coord)
		for _, q := range qs {
			if r := q.Reason[q.Lattice.Index(append(coord, privacy.Total)...)]; r != "" {
				extra.Reason[i] = r
				break
			}
		}
	}
	return privacy.Union(p, extra)
}

// categoryFigures releases the counts of family f at cell sel of its
// wave's lattice l under the family's pattern q: each category's count at
// the precision of counts, or its reason when q hides it. label names a
// category.
func categoryFigures(f categoryFamily, l *privacy.Lattice, q *privacy.Pattern, sel int, label func(string) string) []CategoryCount {
	coord := l.Coord(sel, nil)
	out := make([]CategoryCount, 0, len(f.Categories))
	for ci, cat := range f.Categories {
		i := q.Lattice.Index(append(coord[:len(coord):len(coord)], ci)...)
		c := hiddenCell(q, i)
		if !q.Hidden(i) {
			n := f.People[ci][sel]
			c = Cell{Value: privacy.Count.Round(float64(n)), N: n}
		}
		out = append(out, CategoryCount{Category: label(cat), Cell: c})
	}
	return out
}

// perTableCategories applies the per-table rule alone to the counts by
// category (each dimension's levels, the segments, the stages: small
// cells and a complement hidden within each table), as before the
// category lattices; only UnsafeNoLatticeProtection uses it.
func perTableCategories(d *ReadinessData, k int) {
	for _, g := range groupBy(d.Distribution, func(l *LevelCount) string { return l.Dimension }, func(l *LevelCount) *Cell { return &l.Cell }) {
		hideMargin(k, g)
	}
	hideMargin(k, categoryCells(d.Segments))
	hideMargin(k, categoryCells(d.Stages))
}
