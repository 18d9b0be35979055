package text

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

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
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Tokenize(c.in); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestContentTokensDropStopWordsAndKeepSentences(t *testing.T) {
	got := ContentTokens("Il lavoro da casa è più tranquillo. The VPN was slow", DefaultStopWords())
	want := [][]string{{"lavoro", "casa", "tranquillo"}, {"vpn", "slow"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// diaries builds n people's documents in a group and period with the text
// produced by f.
func diaries(group, period string, n int, f func(i int) string) []Document {
	var out []Document
	for i := 0; i < n; i++ {
		out = append(out, Document{Person: fmt.Sprintf("%s-%d", group, i), Group: group, Period: period, Text: f(i)})
	}
	return out
}

func TestTopTermsMinimumPeople(t *testing.T) {
	docs := diaries("pilot", "post", 12, func(i int) string {
		s := "Connessione lenta ma lavoro concentrato."
		if i < 9 {
			s += " Riunioni troppo lunghe."
		}
		return s
	})
	docs = append(docs, diaries("small", "post", 9, func(int) string { return "connessione lenta" })...)
	// One person repeating a word many times must not lift it over the threshold.
	docs = append(docs, Document{Person: "pilot-0", Group: "pilot", Period: "post", Text: strings.Repeat("segreto ", 50)})
	res, err := TopTerms(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("A group with fewer than 10 people is withheld and counted", func(t *testing.T) {
		if len(res.Groups) != 1 || res.Groups[0].Group != "pilot" || res.Suppressed != 1 {
			t.Fatalf("groups %+v suppressed %d; want only pilot and 1 suppressed", res.Groups, res.Suppressed)
		}
	})
	g := res.Groups[0]
	t.Run("Terms used by at least 10 people are reported with people and counts", func(t *testing.T) {
		want := map[string]int{"connessione": 12, "lenta": 12, "lavoro": 12, "concentrato": 12}
		if len(g.Terms) != len(want) {
			t.Fatalf("terms %+v, want %v", g.Terms, want)
		}
		for _, tc := range g.Terms {
			if want[tc.Term] != tc.People {
				t.Errorf("term %q used by %d people, want %d", tc.Term, tc.People, want[tc.Term])
			}
		}
	})
	t.Run("Bigrams stay within sentences and skip stop words", func(t *testing.T) {
		var got []string
		for _, b := range g.Bigrams {
			got = append(got, b.Term)
		}
		want := []string{"connessione lenta", "lavoro concentrato", "lenta lavoro"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("bigrams %q, want %q", got, want)
		}
	})
	t.Run("A minimum below 10 is raised to 10", func(t *testing.T) {
		r, _ := TopTerms(docs, Options{MinPeople: 2})
		if r.MinPeople != 10 {
			t.Errorf("min people %d, want 10", r.MinPeople)
		}
	})
}

func TestTermShifts(t *testing.T) {
	docs := diaries("pilot", "pre", 30, func(i int) string {
		if i%3 == 0 {
			return "traffico pendolarismo stanchezza riunioni"
		}
		return "traffico riunioni"
	})
	docs = append(docs, diaries("pilot", "post", 30, func(i int) string {
		if i%2 == 0 {
			return "concentrazione riunioni vpn"
		}
		return "concentrazione riunioni"
	})...)
	shifts, err := TermShifts(docs, "pre", "post", ShiftOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("Terms new after the pilot rank first and terms that vanished rank last", func(t *testing.T) {
		if shifts[0].Term != "concentrazione" || shifts[len(shifts)-1].Term != "traffico" {
			t.Errorf("first %q last %q; want concentrazione first and traffico last", shifts[0].Term, shifts[len(shifts)-1].Term)
		}
		if shifts[0].Z <= 0 || shifts[len(shifts)-1].Z >= 0 {
			t.Errorf("z first %v last %v; want positive then negative", shifts[0].Z, shifts[len(shifts)-1].Z)
		}
	})
	t.Run("Terms used by fewer than 10 people are not reported", func(t *testing.T) {
		for _, s := range shifts {
			if s.People < 10 {
				t.Errorf("term %q reported with %d people", s.Term, s.People)
			}
		}
	})
	t.Run("A period with fewer than 10 people is an error", func(t *testing.T) {
		if _, err := TermShifts(docs[:35], "pre", "post", ShiftOptions{}); err == nil {
			t.Error("want an error for 5 people after")
		}
	})
}
