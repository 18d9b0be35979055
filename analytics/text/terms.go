package text

import (
	"fmt"
	"sort"
	"strings"
)

// Document is one diary answer with the pseudonymous person who wrote it,
// the group (for example pilot or comparison) and the period (for example
// "pre", "post" or an ISO week).
type Document struct {
	Person string
	Group  string
	Period string
	Text   string
}

// Options tunes the aggregates.
type Options struct {
	// MinPeople is the least number of distinct people behind any reported
	// group, term or bigram; 0 means 10. Values below 10 are raised to 10
	// unless AllowBelowTen is set (for tests and synthetic data only).
	MinPeople     int
	AllowBelowTen bool
	// TopN caps the terms and bigrams reported per group; 0 means 20.
	TopN int
	// StopWords replaces DefaultStopWords when not nil.
	StopWords StopWords
}

func (o Options) minPeople() int {
	if o.MinPeople < 10 && !o.AllowBelowTen {
		return 10
	}
	return o.MinPeople
}

func (o Options) topN() int {
	if o.TopN <= 0 {
		return 20
	}
	return o.TopN
}

func (o Options) stop() StopWords {
	if o.StopWords != nil {
		return o.StopWords
	}
	return DefaultStopWords()
}

// TermCount is a term (or a bigram "w1 w2") with the number of distinct
// people who used it and its total number of occurrences.
type TermCount struct {
	Term   string `json:"term"`
	People int    `json:"people"`
	Count  int    `json:"count"`
}

// GroupTerms are the top terms of one group in one period.
type GroupTerms struct {
	Group   string      `json:"group"`
	Period  string      `json:"period"`
	People  int         `json:"people"`
	Terms   []TermCount `json:"terms"`
	Bigrams []TermCount `json:"bigrams"`
}

// TopTermsResult lists the reported groups and how many were withheld for
// having too few people.
type TopTermsResult struct {
	Groups     []GroupTerms `json:"groups"`
	Suppressed int          `json:"suppressed_groups"`
	MinPeople  int          `json:"min_people"`
}

// counter tallies occurrences and distinct people per term.
type counter struct {
	count  map[string]int
	people map[string]map[string]struct{}
}

func newCounter() *counter {
	return &counter{count: map[string]int{}, people: map[string]map[string]struct{}{}}
}

func (c *counter) add(term, person string) {
	c.count[term]++
	p := c.people[term]
	if p == nil {
		p = map[string]struct{}{}
		c.people[term] = p
	}
	p[person] = struct{}{}
}

// top returns the terms used by at least min people, most people first,
// then most occurrences, then alphabetical; at most n.
func (c *counter) top(min, n int) []TermCount {
	var out []TermCount
	for t, ps := range c.people {
		if len(ps) >= min {
			out = append(out, TermCount{Term: t, People: len(ps), Count: c.count[t]})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].People != out[j].People {
			return out[i].People > out[j].People
		}
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Term < out[j].Term
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

type groupKey struct{ group, period string }

// TopTerms counts content terms and bigrams (adjacent content words in one
// sentence, after stop words are removed) per group and period and reports
// those used by at least MinPeople distinct people, in groups of at least
// MinPeople people.
func TopTerms(docs []Document, opt Options) (TopTermsResult, error) {
	min, stop := opt.minPeople(), opt.stop()
	type acc struct {
		people         map[string]struct{}
		terms, bigrams *counter
	}
	groups := map[groupKey]*acc{}
	for i, d := range docs {
		if d.Person == "" {
			return TopTermsResult{}, fmt.Errorf("top terms: document %d has no person; distinct people are needed for the minimum group size", i+1)
		}
		k := groupKey{d.Group, d.Period}
		a := groups[k]
		if a == nil {
			a = &acc{people: map[string]struct{}{}, terms: newCounter(), bigrams: newCounter()}
			groups[k] = a
		}
		a.people[d.Person] = struct{}{}
		for _, sent := range ContentTokens(d.Text, stop) {
			for j, t := range sent {
				a.terms.add(t, d.Person)
				if j > 0 {
					a.bigrams.add(sent[j-1]+" "+t, d.Person)
				}
			}
		}
	}
	res := TopTermsResult{MinPeople: min, Groups: []GroupTerms{}}
	for k, a := range groups {
		if len(a.people) < min {
			res.Suppressed++
			continue
		}
		res.Groups = append(res.Groups, GroupTerms{Group: k.group, Period: k.period, People: len(a.people),
			Terms: a.terms.top(min, opt.topN()), Bigrams: a.bigrams.top(min, opt.topN())})
	}
	sort.Slice(res.Groups, func(i, j int) bool {
		a, b := res.Groups[i], res.Groups[j]
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		return strings.Compare(a.Group, b.Group) < 0
	})
	return res, nil
}
