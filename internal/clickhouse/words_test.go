package clickhouse

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/analytics/text"
	"github.com/bussola-pa/bussola/schemas"
)

// wordCases are diary-like texts and the Unicode cases Tokenize handles:
// accents precomposed and combining, elisions, hyphens, digits, sentence
// punctuation inside and between words, other scripts, invalid UTF-8.
var wordCases = []string{
	"",
	"Oggi ho lavorato da casa. Perché no? L'ufficio era chiuso; riunione alle 10:30!",
	"Perche\u0301 il caffe\u0300 è già freddo… ma va bene",
	"Smart-working: tre giorni, 2026 e 3a settimana. Ok.",
	"ÀÉÎÕÜ ĞİŞ Straße ΣΊΣΥΦΟΣ Привет МИР 東京 ١٢٣ 123 x y zz",
	"l’ufficio dell'ente—un po' di\tcaos\r\nsul VPN\u037e poi ok",
	"\u0301\u0301ab . \u0301cd ;\u0300 ef",
	"bad \xff\xfe bytes in\xc3 the middle",
	"ǅemal ǈudevit ﬁne ﬂow ⅷ ½ ⑤ x²",
}

// contentWords flattens text.ContentTokens without the stop-word filter.
func contentWords(s string) []string {
	var out []string
	for _, sent := range text.ContentTokens(s, text.StopWords{}) {
		out = append(out, sent...)
	}
	return out
}

func TestEachWordMatchesAnalyticsText(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	alphabet := []rune("aAzZ09 .,;:!?…'’-\n\réÈçñßİıΣσ\u0301\u0300\u0345東١½ⅷ\ufffd")
	cases := slices.Clone(wordCases)
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		for j := rng.IntN(40); j > 0; j-- {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for i, s := range cases {
		var got []string
		eachWord(s, nil, func(w []byte) { got = append(got, string(w)) })
		if want := contentWords(s); !slices.Equal(got, want) {
			t.Errorf("case %d %q: eachWord %q, text.ContentTokens %q", i, s, got, want)
		}
		if want := text.Tokenize(s); !slices.Equal(got, want) {
			t.Errorf("case %d %q: eachWord %q, text.Tokenize %q", i, s, got, want)
		}
	}
}

func TestTermsMatchTopTerms(t *testing.T) {
	v := newPilotView(schemas.Pilot{ID: "p", Tenant: "t", PreStart: "2025-09-01", PostEnd: "2026-05-31",
		Comparison: []string{"comparison"}, Cohorts: []schemas.PilotCohort{{Label: "pilot-1", Start: "2025-11-03"}}})
	rng := rand.New(rand.NewPCG(3, 5))
	words := strings.Fields("ufficio casa riunione perché caffè VPN colleghi smart working l'ente il la di e")
	var texts []diaryText
	for person := uint64(1); person <= 60; person++ {
		cohort := []string{"pilot-1", "comparison"}[person%2]
		for e := rng.IntN(6); e > 0; e-- {
			var b strings.Builder
			for k := rng.IntN(12); k > 0; k-- {
				b.WriteString(words[rng.IntN(len(words))])
				b.WriteString([]string{" ", ". ", ", "}[rng.IntN(3)])
			}
			date := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(200))
			texts = append(texts, diaryText{person: person, cohort: cohort, date: date, text: b.String() + wordCases[rng.IntN(len(wordCases))]})
		}
	}
	var docs []text.Document
	for _, tx := range texts {
		p := "before"
		if !tx.date.Before(v.startOf(tx.cohort)) {
			p = "after"
		}
		docs = append(docs, text.Document{Person: strconv.FormatUint(tx.person, 36), Period: p, Text: tx.text})
	}
	res, err := text.TopTerms(docs, text.Options{MinPeople: 1, AllowBelowTen: true, TopN: termsTopN})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2, 3} {
		chunks := writerChunks(texts, n)
		tallies := make([][2]map[string]*termTally, len(chunks))
		for i, c := range chunks {
			tallies[i] = countTerms(c, v)
		}
		for pi, period := range termPeriods {
			total := mergeTallies(tallies, pi)
			got := topTerms(total, termsTopN)
			var want []text.TermCount
			for _, g := range res.Groups {
				if g.Period == period {
					want = g.Terms
				}
			}
			if len(want) == 0 {
				t.Fatalf("period %s: text.TopTerms found no terms; the test data are wrong", period)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%d chunks, period %s:\n got %v\nwant %v", n, period, got, want)
			}
		}
	}
}

func TestWriterChunksNeverSplitAWriter(t *testing.T) {
	texts := []diaryText{{person: 1}, {person: 1}, {person: 1}, {person: 2}, {person: 3}, {person: 3}}
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
			for _, c := range writerChunks(texts, tt.n) {
				got = append(got, len(c))
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("chunk lengths %v, want %v", got, tt.want)
			}
		})
	}
}
