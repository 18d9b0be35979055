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
// be the head counts p was protected for.
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
