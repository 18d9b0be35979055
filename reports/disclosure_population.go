package reports

import (
	"context"
	"fmt"
	"slices"

	"github.com/bussola-pa/bussola/privacy"
)

// A weekly lattice (the referents' publishing, the diary) counts who was
// active in each week. A cell of 1 to k-1 people of the organisation chart
// that is empty one week and hidden the next would tell, week by week,
// whether its people wrote or published: a viewer who knows the chart
// knows who they are (issue 9, membership). So besides each week's
// pattern, the cells are protected by their population over every week of
// the lattice, everPopulated: a cell whose population is small is hidden
// in every week, empty or not, and no published cells may tell its count,
// zero included. The union of the two patterns is what a week publishes.
//
// Who wrote is not enough: a cell whose few people never wrote would have
// a population of zero and be published empty every week, telling that
// they never did. So the population of an interior cell is at least the
// people Bussola knows in it from any stream (Store.KnownPopulation).

// everPopulated is, per cell of l, a lower bound of the people in it over
// all weeks: per interior cell (a unit, a grade and a cohort) the most in
// any one week or the people known in it (known, indexed like l; nil:
// none), whichever is more, summed up to every margin, so the counts add
// up as a lattice's must. A cell with people in some week, or with known
// people, has a population of at least one, and a population of k or more
// means k people or more.
func everPopulated(l *privacy.Lattice, weeks [][]int, known []int) []int {
	dims := len(l.Dims())
	out := make([]int, l.Len())
	var coord, anc []int
	for i := range out {
		coord = l.Coord(i, coord)
		if l.Totals(i) > 0 {
			continue
		}
		most := 0
		if known != nil {
			most = known[i]
		}
		for _, n := range weeks {
			most = max(most, n[i])
		}
		if most == 0 {
			continue
		}
		for mask := range 1 << dims {
			anc = append(anc[:0], coord...)
			for d := range dims {
				if mask&(1<<d) != 0 {
					anc[d] = privacy.Total
				}
			}
			out[l.Index(anc...)] += most
		}
	}
	return out
}

// populationPattern protects l's cells by their population over all its
// weeks (everPopulated); nil with UnsafeNoLatticeProtection, which keeps
// the per-week rule alone.
func (s *Server) populationPattern(ctx context.Context, family, tenant, version string, l *privacy.Lattice, k int, weeks [][]int) (*privacy.Pattern, []int, error) {
	kp, err := s.store.KnownPopulation(ctx, tenant)
	if err != nil {
		return nil, nil, fmt.Errorf("known population: %w", err)
	}
	pop := everPopulated(l, weeks, knownCells(l, kp))
	if s.cfg.Privacy.UnsafeNoLatticeProtection {
		return nil, pop, nil
	}
	p, err := s.protect(family+"/population", tenant, version, l, k, pop)
	return p, pop, err
}

// withPopulation is the union of a week's pattern and the population
// pattern (nil: the week's alone). A cached pattern may come from another
// read of the same lattice (same tenant, data version and cells: the
// cache key), so the population's is taken over the week's lattice.
func withPopulation(week, pop *privacy.Pattern) *privacy.Pattern {
	if pop == nil {
		return week
	}
	same := *pop
	same.Lattice = week.Lattice
	return privacy.Union(week, &same)
}

// knownCells indexes kp's people by l's interior cells. A cell whose unit,
// grade or cohort is not one of l's is left out: the lattice has no cell
// to hide for it.
func knownCells(l *privacy.Lattice, kp KnownPopulation) []int {
	out := make([]int, l.Len())
	dims := l.Dims()
	for _, c := range kp.Cells {
		u, g, co := slices.Index(dims[0].Categories, c.Unit), slices.Index(dims[1].Categories, c.Grade), slices.Index(dims[2].Categories, c.Cohort)
		if u < 0 || g < 0 || co < 0 {
			continue
		}
		out[l.Index(u, g, co)] += c.People
	}
	return out
}
