package reports

import (
	"sync"

	"github.com/bussola-pa/bussola/privacy"
)

// knowledgeCache keeps what the published cells of each cached pattern
// determine (privacy.Knowledge): like the pattern, it depends only on the
// data version, so it is computed once (by the refresher's warm-up when
// there is one), not per request. Past patternCacheMax entries it starts
// afresh.
type knowledgeCache struct {
	mu sync.Mutex
	m  map[*privacy.Pattern]*privacy.Knowledge
}

// knowledgeOf returns p.Knowledge(n), computed once per pattern. n must
// be the head counts p was protected for, or the population the diary
// protects its weeks by (disclosure_population.go): either is fixed by the
// pattern's data version.
func (s *Server) knowledgeOf(p *privacy.Pattern, n []int) *privacy.Knowledge {
	c := &s.knowledge
	c.mu.Lock()
	kn, ok := c.m[p]
	c.mu.Unlock()
	if ok {
		return kn
	}
	kn = p.Knowledge(n)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= patternCacheMax {
		c.m = map[*privacy.Pattern]*privacy.Knowledge{}
	}
	c.m[p] = kn
	c.mu.Unlock()
	return kn
}

// unionCache keeps the union of a week's pattern and its lattice's
// population pattern (withPopulation) per pair of cached patterns, so the
// union, and through knowledgeOf what it determines, is computed once per
// data version like its parts, and not on every request.
type unionCache struct {
	mu sync.Mutex
	m  map[[2]*privacy.Pattern]*privacy.Pattern
}

// withPopulation is withPopulation(week, pop), once per pair.
func (s *Server) withPopulation(week, pop *privacy.Pattern) *privacy.Pattern {
	if pop == nil {
		return week
	}
	c, key := &s.unions, [2]*privacy.Pattern{week, pop}
	c.mu.Lock()
	u, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return u
	}
	u = withPopulation(week, pop)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= patternCacheMax {
		c.m = map[[2]*privacy.Pattern]*privacy.Pattern{}
	}
	c.m[key] = u
	c.mu.Unlock()
	return u
}
