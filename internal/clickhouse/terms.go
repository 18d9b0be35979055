package clickhouse

import (
	"context"
	"runtime"
	"slices"
	"strings"

	"github.com/bussola-pa/bussola/analytics/text"
	"github.com/bussola-pa/bussola/reports"
)

// termsTopN is the number of terms shown per period.
const termsTopN = 20

// termPeriods are the periods of the term counts, in display order.
var termPeriods = [2]string{"before", "after"}

// terms are the top diary terms before and after each writer's pilot
// start (the first cohort's start for the comparison group), with the
// distinct people using each. No minimum is applied here: reports drops
// terms used by fewer than its text minimum.
//
// The words are analytics/text's content tokens (the tokens of
// text.ContentTokens with the default stop words, found without a string
// per token by eachWord), counted as text.TopTerms counts terms (number of
// uses, distinct writers; most writers first, then most uses, then
// alphabetical) but without the bigrams the page does not show. The texts
// come ordered by writer, so distinct writers are counted without a set
// per term, and the two halves of the writers are tokenised at once.
func (s *Store) terms(ctx context.Context, q reports.Query, v *pilotView) ([]reports.TermCount, error) {
	texts, err := s.diaryTexts(ctx, q)
	if err != nil {
		return nil, err
	}
	chunks := writerChunks(texts, runtime.GOMAXPROCS(0))
	tallies := make([][2]map[string]*termTally, len(chunks))
	parts := make([]func() error, len(chunks))
	for i, c := range chunks {
		parts[i] = func() error { tallies[i] = countTerms(c, v); return nil }
	}
	if err := parallel(parts...); err != nil {
		return nil, err
	}
	var out []reports.TermCount
	for p, period := range termPeriods {
		for _, tc := range topTerms(mergeTallies(tallies, p), termsTopN) {
			out = append(out, reports.TermCount{Period: period, Term: tc.Term, Cell: reports.Cell{Value: float64(tc.Count), N: tc.People}})
		}
	}
	return out, nil
}

// termTally counts one term's uses and distinct writers; last is the
// last writer counted.
type termTally struct {
	uses, people int
	last         uint64
}

// mergeTallies adds up the tallies of period p over chunks of distinct
// writers.
func mergeTallies(chunks [][2]map[string]*termTally, p int) map[string]*termTally {
	total := map[string]*termTally{}
	for _, c := range chunks {
		for term, x := range c[p] {
			if y := total[term]; y != nil {
				y.uses += x.uses
				y.people += x.people
			} else {
				total[term] = &termTally{uses: x.uses, people: x.people}
			}
		}
	}
	return total
}

// writerChunks splits texts ordered by writer into at most n runs of about
// equal length that never split a writer.
func writerChunks(texts []diaryText, n int) [][]diaryText {
	var out [][]diaryText
	for len(texts) > 0 && n > 0 {
		end := (len(texts) + n - 1) / n
		for end < len(texts) && texts[end].person == texts[end-1].person {
			end++
		}
		out = append(out, texts[:end])
		texts, n = texts[end:], n-1
	}
	return out
}

// countTerms tallies the content words of texts ordered by writer, per
// period (0 before the writer's start, 1 after).
func countTerms(texts []diaryText, v *pilotView) [2]map[string]*termTally {
	stop := text.DefaultStopWords()
	out := [2]map[string]*termTally{{}, {}}
	var buf []byte
	for i := range texts {
		t := &texts[i]
		p := 0
		if !t.date.Before(v.startOf(t.cohort)) {
			p = 1
		}
		m := out[p]
		buf = eachWord(t.text, buf, func(w []byte) {
			if _, ok := stop[string(w)]; ok {
				return
			}
			x := m[string(w)]
			if x == nil {
				m[string(w)] = &termTally{uses: 1, people: 1, last: t.person}
				return
			}
			if x.last != t.person {
				x.last = t.person
				x.people++
			}
			x.uses++
		})
	}
	return out
}

// topTerms ranks terms by distinct writers, then uses, then alphabetically.
func topTerms(m map[string]*termTally, n int) []text.TermCount {
	out := make([]text.TermCount, 0, len(m))
	for term, x := range m {
		out = append(out, text.TermCount{Term: term, People: x.people, Count: x.uses})
	}
	slices.SortFunc(out, func(a, b text.TermCount) int {
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
