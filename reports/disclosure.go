package reports

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/privacy"
)

// The disclosure control every page, export, data endpoint and API reads
// through (package privacy): the store returns a page family's lattice of
// cells (every selection the filters can make, margins down to the entity
// total); protect hides the cells that are small or would let a small one
// be derived, once per tenant, family and data version; the page then
// publishes only published cells, each figure at its release precision
// (privacy.Precision), its estimate computed by analytics from the cell's
// own sums. A filter selects a cell; a hidden selection hides the page.

// patternCacheMax bounds the cached patterns; past it the patterns of
// older data versions are dropped.
const patternCacheMax = 2048

// patternCache keeps protected patterns per key: tenant, page family, data
// version, minimum and the figures' head counts. A pattern takes 0.15-5 s
// to compute, so it is computed once per key, never per request;
// concurrent callers of one key wait for one computation.
type patternCache struct {
	mu      sync.Mutex
	entries map[string]*patternCall
}

type patternCall struct {
	done    chan struct{}
	version string
	p       *privacy.Pattern
	err     error
}

func newPatternCache() *patternCache { return &patternCache{entries: map[string]*patternCall{}} }

// get returns the pattern under key, computing it with fn once. When the
// cache is full, the patterns of other data versions than version (the
// newest, being built by figures.Refresher) go first. The cap holds the
// patterns of a few versions of dozens of tenants, so the version the
// pages answer from during a build keeps its own.
func (c *patternCache) get(key, version string, fn func() (*privacy.Pattern, error)) (*privacy.Pattern, error) {
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		c.mu.Unlock()
		<-e.done
		return e.p, e.err
	}
	if len(c.entries) >= patternCacheMax {
		for k, e := range c.entries {
			if e.version != version {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= patternCacheMax {
			c.entries = map[string]*patternCall{}
		}
	}
	e := &patternCall{done: make(chan struct{}), version: version}
	c.entries[key] = e
	c.mu.Unlock()
	e.p, e.err = fn()
	close(e.done)
	if e.err != nil {
		c.mu.Lock()
		delete(c.entries, key)
		c.mu.Unlock()
	}
	return e.p, e.err
}

// protect returns the pattern of lattice l for the head counts ns (one
// per figure released from the lattice: the union of their patterns) under
// the minimum k. The version names the data the counts come from; an
// empty version is not cached. With UnsafeNoLatticeProtection the pattern
// is primary suppression only.
func (s *Server) protect(family, tenant, version string, l *privacy.Lattice, k int, ns ...[]int) (*privacy.Pattern, error) {
	unsafe := s.cfg.Privacy.UnsafeNoLatticeProtection
	compute := func() (*privacy.Pattern, error) {
		ps := make([]*privacy.Pattern, 0, len(ns))
		for _, n := range ns {
			var p *privacy.Pattern
			var err error
			if unsafe {
				p, err = privacy.Primary(l, n, k)
			} else if p, err = privacy.Protect(l, n, k); err == nil {
				relaxMargins(p, n)
			}
			if err != nil {
				return nil, fmt.Errorf("protect %s of %s: %w", family, tenant, err)
			}
			ps = append(ps, p)
		}
		if len(ps) == 0 {
			return privacy.Primary(l, make([]int, l.Len()), k)
		}
		return privacy.Union(ps...), nil
	}
	if version == "" {
		return compute()
	}
	key := family + "\x00" + tenant + "\x00" + version + "\x00" + strconv.Itoa(k) + "\x00" + strconv.FormatBool(unsafe) + "\x00" + strconv.Itoa(l.Len())
	return s.patterns.get(key, version, compute)
}

// relaxMargins publishes again the complementary cells among the entity
// total and the one-way margins (a whole unit, grade or cohort: the
// selections viewers make most; in a category lattice, each category of
// those) that the pattern can do without: each in
// turn, the entity total first, then the larger margins, is published if
// privacy.Audit still finds no leak, and hidden again otherwise. The
// result passes the audit like Protect's; it costs one audit per try, on
// a few dozen cells, once per cached pattern.
func relaxMargins(p *privacy.Pattern, n []int) {
	l := p.Lattice
	var tries []int
	for i := range n {
		if p.Reason[i] == privacy.ReasonComplementary && selectionTotals(l, i) >= 2 {
			tries = append(tries, i)
		}
	}
	slices.SortStableFunc(tries, func(a, b int) int {
		return cmp.Or(cmp.Compare(l.Totals(b), l.Totals(a)), cmp.Compare(n[b], n[a]), cmp.Compare(a, b))
	})
	for _, i := range tries {
		p.Reason[i] = ""
		if len(privacy.Audit(p, n)) > 0 {
			p.Reason[i] = privacy.ReasonComplementary
		}
	}
}

// selectionTotals is how many of unit, grade and cohort cell i of l
// aggregates away: 2 for a one-way margin (a whole unit, grade or
// cohort), 3 for the entity total, whatever other dimensions l has (a
// family's categories, disclosure_categories.go).
func selectionTotals(l *privacy.Lattice, i int) int {
	t := 0
	for d, c := range l.Coord(i, nil) {
		if c == privacy.Total && slices.Contains(filterDims[:], l.Dims()[d].Name) {
			t++
		}
	}
	return t
}

// selection returns the cell q's filters select in l, ok false when a
// filter names a label the lattice does not have (an empty selection).
func selection(l *privacy.Lattice, q Query) (int, bool) {
	i, err := l.Cell(map[string]string{"unit": q.Unit, "grade": q.Grade, "cohort": q.Cohort})
	return i, err == nil
}

// hiddenCell is the published form of a hidden cell.
func hiddenCell(p *privacy.Pattern, i int) Cell {
	return Cell{Suppressed: true, Reason: p.Reason[i]}
}

// meanFigure releases the mean of figure m at cell i with its 95% interval
// (analytics.MeanCI), at the precision of means, or the cell's reason.
func meanFigure(p *privacy.Pattern, m CellMoments, i int) Cell {
	if p.Hidden(i) {
		return hiddenCell(p, i)
	}
	mean, lo, hi, ok := analytics.MeanCI(moments(m, i))
	c := Cell{Value: privacy.Mean.Round(mean), N: m.N[i]}
	if ok {
		c.Lo, c.Hi = privacy.Mean.Round(lo), privacy.Mean.Round(hi)
	}
	return c
}

// shareFigure releases k[i]/n[i] at the precision of shares.
func shareFigure(p *privacy.Pattern, k []float64, n []int, i int) Cell {
	if p.Hidden(i) {
		return hiddenCell(p, i)
	}
	if n[i] == 0 {
		return Cell{}
	}
	return Cell{Value: privacy.Share.Round(k[i] / float64(n[i])), N: n[i]}
}

// diffFigure releases the change a-b of two published cells' means (cell
// ia of one wave's lattice, ib of another's), hidden when either is.
func diffFigure(pa, pb *privacy.Pattern, a, b CellMoments, ia, ib int) Cell {
	switch {
	case pa.Hidden(ia):
		return hiddenCell(pa, ia)
	case pb.Hidden(ib):
		return hiddenCell(pb, ib)
	}
	d, lo, hi, ok := analytics.DiffCI(moments(a, ia), moments(b, ib))
	c := Cell{Value: privacy.Mean.Round(d), N: min(a.N[ia], b.N[ib])}
	if ok {
		c.Lo, c.Hi = privacy.Mean.Round(lo), privacy.Mean.Round(hi)
	}
	return c
}

func moments(m CellMoments, i int) analytics.Moments {
	return analytics.Moments{N: float64(m.N[i]), S: m.S[i], SS: m.SS[i]}
}
