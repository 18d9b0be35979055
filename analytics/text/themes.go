package text

import (
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/italian"
)

// Theme is one diary theme: a word's Italian stem, or two consecutive
// content words' stems for a phrase ("lavor agil"), shown by its most
// frequent surface form ("lavoro agile"). Notes[p] counts the entries of
// period p that mention it (once per entry, however often), People[p] the
// distinct writers of those entries.
type Theme struct {
	Key     string `json:"key"`
	Surface string `json:"surface"`
	Notes   []int  `json:"notes"`
	People  []int  `json:"people"`
}

// Themes counts the themes of entries (ordered by writer) per period and
// returns the top n: most writers over the periods first, then most
// notes, then by key; and the number of entries in each period, so a
// theme reads per 100 notes. A theme is every content word (a token that
// is not a stop word, DefaultStopWords) by its Snowball Italian stem, so
// "riunione" and "riunioni" are one theme, and every pair of consecutive
// content words. No minimum is applied here: the caller's disclosure
// control drops the counts of too few people.
func Themes(entries []Entry, periods, n int) (top []Theme, notes []int) {
	chunks := writerChunks(entries, runtime.GOMAXPROCS(0))
	parts := make([]*themeTally, len(chunks))
	var wg sync.WaitGroup
	for i, c := range chunks {
		wg.Go(func() { parts[i] = countThemes(c, periods) })
	}
	wg.Wait()
	total := newThemeTally(periods)
	for _, p := range parts {
		total.merge(p)
	}
	out := make([]Theme, 0, len(total.themes))
	for key, x := range total.themes {
		out = append(out, Theme{Key: key, Surface: x.surface(), Notes: x.notes, People: x.people})
	}
	sum := func(xs []int) (s int) {
		for _, x := range xs {
			s += x
		}
		return s
	}
	slices.SortFunc(out, func(a, b Theme) int {
		if pa, pb := sum(a.People), sum(b.People); pa != pb {
			return pb - pa
		}
		if na, nb := sum(a.Notes), sum(b.Notes); na != nb {
			return nb - na
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out[:min(n, len(out))], total.entries
}

// themeCount is one theme's tally: notes and writers per period (last is
// the last writer counted in each), and the uses of each surface form.
type themeCount struct {
	notes, people []int
	last          []uint64
	seen          []bool
	forms         map[string]int
}

// surface is the most used form, the alphabetically first on a tie.
func (x *themeCount) surface() string {
	best, n := "", -1
	for f, c := range x.forms {
		if c > n || (c == n && f < best) {
			best, n = f, c
		}
	}
	return best
}

type themeTally struct {
	periods int
	entries []int
	themes  map[string]*themeCount
}

func newThemeTally(periods int) *themeTally {
	return &themeTally{periods: periods, entries: make([]int, periods), themes: map[string]*themeCount{}}
}

// merge adds a tally of other writers.
func (t *themeTally) merge(o *themeTally) {
	for p := range t.entries {
		t.entries[p] += o.entries[p]
	}
	for key, x := range o.themes {
		y := t.themes[key]
		if y == nil {
			t.themes[key] = x
			continue
		}
		for p := range y.notes {
			y.notes[p] += x.notes[p]
			y.people[p] += x.people[p]
		}
		for f, c := range x.forms {
			y.forms[f] += c
		}
	}
}

// countThemes tallies entries ordered by writer; entries of a period
// outside 0..periods-1 are left out.
func countThemes(entries []Entry, periods int) *themeTally {
	stop := DefaultStopWords()
	env := snowballstem.NewEnv("")
	stems := map[string]string{}
	stem := func(w string) string {
		if s, ok := stems[w]; ok {
			return s
		}
		env.SetCurrent(w)
		italian.Stem(env)
		s := env.Current()
		stems[w] = s
		return s
	}
	t := newThemeTally(periods)
	var buf []byte
	var words, keys []string
	inNote := map[string]bool{}
	for i := range entries {
		e := &entries[i]
		if e.Period < 0 || e.Period >= periods {
			continue
		}
		t.entries[e.Period]++
		words, keys = words[:0], keys[:0]
		buf = eachWord(e.Text, buf, func(w []byte) {
			if _, ok := stop[string(w)]; !ok {
				words = append(words, string(w))
			}
		})
		clear(inNote)
		mention := func(key, form string) {
			x := t.themes[key]
			if x == nil {
				x = &themeCount{notes: make([]int, periods), people: make([]int, periods), last: make([]uint64, periods),
					seen: make([]bool, periods), forms: map[string]int{}}
				t.themes[key] = x
			}
			x.forms[form]++
			if inNote[key] {
				return
			}
			inNote[key] = true
			x.notes[e.Period]++
			if !x.seen[e.Period] || x.last[e.Period] != e.Writer {
				x.seen[e.Period], x.last[e.Period] = true, e.Writer
				x.people[e.Period]++
			}
		}
		for j, w := range words {
			s := stem(w)
			mention(s, w)
			if j > 0 {
				mention(stem(words[j-1])+" "+s, words[j-1]+" "+w)
			}
		}
	}
	return t
}
