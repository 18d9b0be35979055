package text

import (
	_ "embed"
	"encoding/json"
	"strings"
)

// StopWords is a set of lower-case words left out of term counts.
type StopWords map[string]struct{}

// NewStopWords builds a set from lists of space-separated words.
func NewStopWords(lists ...string) StopWords {
	s := StopWords{}
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			s[strings.ToLower(w)] = struct{}{}
		}
	}
	return s
}

// DefaultStopWords is the union of the Italian and English lists, the
// maintained Italian list of stopwords-iso (ItalianISO) less the words
// diaries mean something by (ItalianKept), and the fillers of diaries
// (ItalianFillers).
func DefaultStopWords() StopWords { return defaultStop }

var defaultStop = func() StopWords {
	s := NewStopWords(Italian, English, ItalianFillers)
	for _, w := range ItalianISO() {
		s[w] = struct{}{}
	}
	for _, w := range strings.Fields(ItalianKept) {
		delete(s, w)
	}
	return s
}()

// stopwordsIT is stopwords-it 0.4.0 (npm; github.com/stopwords-iso,
// MIT licence in stopwords-it/LICENSE): 632 Italian function words and
// fillers ("otto", "solito", "abbastanza").
//
//go:embed stopwords-it/stopwords-it.json
var stopwordsIT []byte

// ItalianISO is the stopwords-iso Italian list.
func ItalianISO() []string {
	var out []string
	if err := json.Unmarshal(stopwordsIT, &out); err != nil {
		panic("text: embedded stopwords-it.json: " + err.Error())
	}
	return out
}

// ItalianKept are words of the stopwords-iso list kept as themes: opinions
// and negations ("bene", "peggio", "non"), and nouns that name what
// diaries are about in a public office ("tempo", "gruppo", "attesa",
// "consiglio", "registrazione", "persone").
const ItalianKept = `
bene male non no meglio peggio benissimo malissimo buono brava bravo peccato purtroppo
tempo persone gruppo consiglio registrazione attesa
`

// ItalianFillers are words that fill diary sentences without a theme and
// that neither list has: "accanto" ("l'ufficio accanto"), "giornata"
// (every entry is one).
const ItalianFillers = `accanto giornata mattinata`

// Italian lists articles, elided forms, prepositions and their contractions,
// pronouns, conjunctions, common adverbs and the forms of essere, avere,
// stare, fare used as auxiliaries. Words with an opinion ("bene", "male",
// "non") are kept out of this list on purpose: they carry meaning in diaries.
const Italian = `
il lo la le gli un uno una l dell all dall nell sull coll quell quest
di da in con su per tra fra a ad e ed o od ma se che chi cui anche come dove quando mentre
del dello della dei degli delle al allo alla ai agli alle dal dallo dalla dai dagli dalle
nel nello nella nei negli nelle sul sullo sulla sui sugli sulle col coi
io tu lui lei noi voi loro mi ti si ci vi ne me te sé se lo li
mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra nostri nostre vostro vostra vostri vostre
questo questa questi queste quello quella quelli quelle quel quei
essere sono sei è siamo siete era erano ero eri stato stata stati state sarà saranno sarebbe sia siano fosse fossero
avere ho hai ha abbiamo avete hanno avevo aveva avevano avuto avrà avrebbe abbia
stare sto stai sta stiamo state stanno stavo stava fare faccio fai fa facciamo fate fanno fatto
c ce cosa cose ogni tutto tutti tutta tutte altro altra altri altre molto molta molti molte poco
più meno già ancora poi qui qua lì là così oggi ieri domani ora solo sempre
perché però quindi oppure cioè dunque invece inoltre quale quali quanto quanta quanti
`

// English lists articles, prepositions, pronouns, auxiliaries, contraction
// fragments and common function words. Negations and opinion words are kept
// out of the list.
const English = `
a an the and or but if then so as of at by for from in into on onto to with without about over under
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
this that these those there here what which who whom whose when where why how
am is are was were be been being have has had having do does did doing
will would shall should can could may might must
s t d ll re ve m
also just very too only than such each every all any some other others more most
today yesterday tomorrow now up out again once
`
