package text

import (
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Entry is one diary text with its writer and the period it counts in
// (an index among the caller's periods, for example 0 before a pilot's
// start and 1 after).
type Entry struct {
	Writer uint64
	Period int
	Text   string
}

// TermCount is a term with the number of distinct people who used it and
// its total number of uses.
type TermCount struct {
	Term   string `json:"term"`
	People int    `json:"people"`
	Count  int    `json:"count"`
}

// TopTerms counts the content words of entries (their tokens that are not
// stop words) per period and returns, for each of the periods, the top n
// terms: most writers first, then most uses, then alphabetical. No
// minimum is applied here: the caller's disclosure control drops terms
// used by too few people.
//
// Entries must come ordered by writer, so distinct writers are counted
// without a set per term; the writers are split into runs counted at once
// on the available cores.
func TopTerms(entries []Entry, periods, n int) [][]TermCount {
	chunks := writerChunks(entries, runtime.GOMAXPROCS(0))
	tallies := make([][]map[string]*tally, len(chunks))
	var wg sync.WaitGroup
	for i, c := range chunks {
		wg.Go(func() { tallies[i] = countTerms(c, periods) })
	}
	wg.Wait()
	out := make([][]TermCount, periods)
	for p := range out {
		out[p] = top(mergeTallies(tallies, p), n)
	}
	return out
}

// tally counts one term's uses and distinct writers; last is the last
// writer counted.
type tally struct {
	uses, people int
	last         uint64
}

// writerChunks splits entries ordered by writer into at most n runs of
// about equal length that never split a writer.
func writerChunks(entries []Entry, n int) [][]Entry {
	var out [][]Entry
	for len(entries) > 0 && n > 0 {
		end := (len(entries) + n - 1) / n
		for end < len(entries) && entries[end].Writer == entries[end-1].Writer {
			end++
		}
		out = append(out, entries[:end])
		entries, n = entries[end:], n-1
	}
	return out
}

// countTerms tallies the content words of entries ordered by writer, per
// period; entries of a period outside 0..periods-1 are left out.
func countTerms(entries []Entry, periods int) []map[string]*tally {
	stop := DefaultStopWords()
	out := make([]map[string]*tally, periods)
	for p := range out {
		out[p] = map[string]*tally{}
	}
	var buf []byte
	for i := range entries {
		e := &entries[i]
		if e.Period < 0 || e.Period >= periods {
			continue
		}
		m := out[e.Period]
		buf = eachWord(e.Text, buf, func(w []byte) {
			if _, ok := stop[string(w)]; ok {
				return
			}
			x := m[string(w)]
			if x == nil {
				m[string(w)] = &tally{uses: 1, people: 1, last: e.Writer}
				return
			}
			if x.last != e.Writer {
				x.last = e.Writer
				x.people++
			}
			x.uses++
		})
	}
	return out
}

// mergeTallies adds up the tallies of period p over chunks of distinct
// writers.
func mergeTallies(chunks [][]map[string]*tally, p int) map[string]*tally {
	total := map[string]*tally{}
	for _, c := range chunks {
		for term, x := range c[p] {
			if y := total[term]; y != nil {
				y.uses += x.uses
				y.people += x.people
			} else {
				total[term] = &tally{uses: x.uses, people: x.people}
			}
		}
	}
	return total
}

// top ranks terms by distinct writers, then uses, then alphabetically,
// and keeps the first n.
func top(m map[string]*tally, n int) []TermCount {
	out := make([]TermCount, 0, len(m))
	for term, x := range m {
		out = append(out, TermCount{Term: term, People: x.people, Count: x.uses})
	}
	slices.SortFunc(out, func(a, b TermCount) int {
		if a.People != b.People {
			return b.People - a.People
		}
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Term, b.Term)
	})
	return out[:min(n, len(out))]
}
