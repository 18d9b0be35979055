package text

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// themeCorpus is a small fixed diary: writers 1-4, period 0 before the
// pilot and 1 after.
var themeCorpus = []Entry{
	{1, 0, "Riunione lunga in ufficio, come al solito."},
	{1, 0, "Troppe riunioni: traffico e riunioni."},
	{1, 1, "Lavoro agile da casa, concentrazione ottima."},
	{2, 0, "Traffico intenso, otto minuti di ritardo. Riunioni."},
	{2, 1, "Lavoro agile: meno traffico, più concentrazione."},
	{2, 1, "Scambio con l'ufficio accanto."},
	{3, 0, "In ufficio dalle otto, riunione di servizio."},
	{3, 1, "Lavoro agile, nessuna riunione."},
	{3, 1, "Concentrazione scarsa."},
	{4, 1, "Traffico evitato grazie al lavoro agile."},
}

// TestThemes checks Themes against counts made here another way: each
// theme's surface forms listed by hand (no stemmer), an entry mentions a
// theme when one of its words (split at anything not a letter) is one of
// them, and a phrase when the two words stand next to each other.
func TestThemes(t *testing.T) {
	reference := func(forms ...string) (notes, people [2]int) {
		writers := [2]map[uint64]bool{{}, {}}
		for _, e := range themeCorpus {
			words := strings.FieldsFunc(strings.ToLower(e.Text), func(r rune) bool { return !unicode.IsLetter(r) })
			text := " " + strings.Join(words, " ") + " "
			hit := false
			for _, f := range forms {
				if strings.Contains(text, " "+f+" ") {
					hit = true
				}
			}
			if hit {
				notes[e.Period]++
				writers[e.Period][e.Writer] = true
			}
		}
		return notes, [2]int{len(writers[0]), len(writers[1])}
	}
	top, entries := Themes(themeCorpus, 2, 100)
	if !slices.Equal(entries, []int{4, 6}) {
		t.Fatalf("entries per period %v, want [4 6]", entries)
	}
	byForm := map[string]Theme{}
	for _, th := range top {
		byForm[th.Surface] = th
	}
	for _, c := range []struct {
		name, surface string
		forms         []string
	}{
		{"Singular and plural are one theme, shown by its commonest form (3 uses each: the first alphabetically).", "riunione", []string{"riunione", "riunioni"}},
		{"A word in both periods.", "traffico", []string{"traffico"}},
		{"Two consecutive content words are a phrase.", "lavoro agile", []string{"lavoro agile"}},
		{"Concentration is counted once per note.", "concentrazione", []string{"concentrazione"}},
		{"An office theme across periods.", "ufficio", []string{"ufficio"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			th, ok := byForm[c.surface]
			notes, people := reference(c.forms...)
			if !ok {
				t.Fatalf("no theme %q in %v", c.surface, top)
			}
			if !slices.Equal(th.Notes, notes[:]) || !slices.Equal(th.People, people[:]) {
				t.Fatalf("%q: notes %v people %v, reference notes %v people %v", c.surface, th.Notes, th.People, notes, people)
			}
		})
	}
	for _, filler := range []string{"otto", "solito", "accanto", "di", "come", "con"} {
		for _, th := range top {
			if strings.Contains(" "+th.Surface+" ", " "+filler+" ") {
				t.Errorf("filler %q in theme %q", filler, th.Surface)
			}
		}
	}
	if top[0].Surface != "riunione" {
		t.Errorf("the first theme is %q; riunione has the most writers (4, with traffico and lavoro agile) and the most notes (5)", top[0].Surface)
	}
	if _, ok := byForm["non"]; ok {
		t.Error("no entry says non")
	}
	t.Run("One run of writers gives the same themes as several.", func(t *testing.T) {
		one := countThemes(themeCorpus, 2) // Themes splits the writers into GOMAXPROCS runs
		if got := len(one.themes); got != len(top) {
			t.Fatalf("one chunk: %d themes, split: %d", got, len(top))
		}
		for key, x := range one.themes {
			i := slices.IndexFunc(top, func(th Theme) bool { return th.Key == key })
			if i < 0 || !slices.Equal(top[i].Notes, x.notes) || !slices.Equal(top[i].People, x.people) {
				t.Fatalf("theme %q differs between one chunk and several", key)
			}
		}
	})
}
