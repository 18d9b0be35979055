package text

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// tokens collects the tokens eachWord finds in s.
func tokens(s string) []string {
	var out []string
	eachWord(s, nil, func(w []byte) { out = append(out, string(w)) })
	return out
}

func TestTokenize(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"An accented Italian word stays whole", "Perché no?", []string{"perché", "no"}},
		{"A decomposed accent is composed to the same token", "perche\u0301", []string{"perché"}},
		{"Elisions split at the apostrophe, typographic or not", "L'ufficio e l’attività", []string{"ufficio", "attività"}},
		{"Digits-only and one-letter tokens are dropped", "3 riunioni in 2 ore e VPN", []string{"riunioni", "in", "ore", "vpn"}},
		{"English text is lower-cased and split at punctuation", "Fewer meetings, more focus!", []string{"fewer", "meetings", "more", "focus"}},
		{"Hyphenated compounds split", "smart-working", []string{"smart", "working"}},
		{"Digits of other scripts are digits and letters of other scripts are lower-cased", "١٢٣ 3a ΣΊΣΥΦΟΣ МИР", []string{"3a", "σίσυφοσ", "мир"}},
		{"Invalid UTF-8 splits like punctuation", "bad \xff\xfebytes in\xc3 the", []string{"bad", "bytes", "in", "the"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := tokens(c.in); !reflect.DeepEqual(got, c.want) {
				t.Errorf("tokens of %q = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestTopTerms(t *testing.T) {
	var entries []Entry
	for w := uint64(1); w <= 12; w++ {
		s := "Il lavoro da casa: connessione lenta ma lavoro concentrato."
		if w <= 9 {
			s += " Riunioni lunghe."
		}
		entries = append(entries, Entry{Writer: w, Period: 1, Text: s})
	}
	// One person repeating a word many times is one person using it.
	entries = append(entries, Entry{Writer: 13, Period: 1, Text: strings.Repeat("segreto ", 50)},
		Entry{Writer: 14, Period: 0, Text: "Traffico e riunioni"}, Entry{Writer: 14, Period: 5, Text: "fuori"})
	got := TopTerms(entries, 2, 5)
	t.Run("Terms rank by writers, then uses, then alphabetically, without stop words", func(t *testing.T) {
		want := []TermCount{{"lavoro", 12, 24}, {"concentrato", 12, 12}, {"connessione", 12, 12}, {"lenta", 12, 12}, {"casa", 12, 12}}
		slices.SortStableFunc(want[1:], func(a, b TermCount) int { return strings.Compare(a.Term, b.Term) })
		if !reflect.DeepEqual(got[1], want) {
			t.Errorf("after: %v, want %v", got[1], want)
		}
	})
	t.Run("Each period counts its own entries and other periods are left out", func(t *testing.T) {
		want := []TermCount{{"riunioni", 1, 1}, {"traffico", 1, 1}}
		if !reflect.DeepEqual(got[0], want) {
			t.Errorf("before: %v, want %v", got[0], want)
		}
	})
}

func TestTopTermsSameInAnyNumberOfChunks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	words := strings.Fields("ufficio casa riunione perché caffè VPN colleghi smart working l'ente il la di e")
	var entries []Entry
	for w := uint64(1); w <= 60; w++ {
		for e := rng.IntN(6); e > 0; e-- {
			var b strings.Builder
			for k := rng.IntN(12); k > 0; k-- {
				b.WriteString(words[rng.IntN(len(words))])
				b.WriteString([]string{" ", ". ", ", "}[rng.IntN(3)])
			}
			entries = append(entries, Entry{Writer: w, Period: rng.IntN(2), Text: b.String()})
		}
	}
	// The reference: a set of writers per term, counted one entry at a time.
	stop := DefaultStopWords()
	want := make([][]TermCount, 2)
	for p := range want {
		uses, writers := map[string]int{}, map[string]map[uint64]bool{}
		for _, e := range entries {
			if e.Period != p {
				continue
			}
			for _, w := range tokens(e.Text) {
				if _, ok := stop[w]; ok {
					continue
				}
				uses[w]++
				if writers[w] == nil {
					writers[w] = map[uint64]bool{}
				}
				writers[w][e.Writer] = true
			}
		}
		m := map[string]*tally{}
		for w, n := range uses {
			m[w] = &tally{uses: n, people: len(writers[w])}
		}
		want[p] = top(m, 20)
	}
	for _, n := range []int{1, 2, 3, 7} {
		chunks := writerChunks(entries, n)
		tallies := make([][]map[string]*tally, len(chunks))
		for i, c := range chunks {
			tallies[i] = countTerms(c, 2)
		}
		for p := range want {
			if got := top(mergeTallies(tallies, p), 20); !reflect.DeepEqual(got, want[p]) {
				t.Errorf("%d chunks, period %d:\n got %v\nwant %v", n, p, got, want[p])
			}
		}
	}
}

func TestWriterChunksNeverSplitAWriter(t *testing.T) {
	entries := []Entry{{Writer: 1}, {Writer: 1}, {Writer: 1}, {Writer: 2}, {Writer: 3}, {Writer: 3}}
	tests := []struct {
		name string
		n    int
		want []int
	}{
		{"One chunk holds every text.", 1, []int{6}},
		{"Two chunks end after the first writer's last text.", 2, []int{3, 3}},
		{"Four chunks of about two texts keep writer 1 whole.", 4, []int{3, 1, 2}},
		{"More chunks than writers give one writer each.", 10, []int{3, 1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			for _, c := range writerChunks(entries, tt.n) {
				got = append(got, len(c))
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("chunk lengths %v, want %v", got, tt.want)
			}
		})
	}
}
