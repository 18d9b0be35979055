package text

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Tokenize splits s into lower-case word tokens. Text is first composed to
// Unicode NFC so "perché" typed with a combining accent is the same token as
// the precomposed one. A token is a run of letters, digits and combining
// marks; apostrophes (' and ’) split elisions such as "l'ufficio" into "l"
// and "ufficio"; hyphens split compounds. Tokens made only of digits and
// one-character tokens are dropped. Stop words are not removed here.
func Tokenize(s string) []string {
	s = norm.NFC.String(s)
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() == 0 {
			return
		}
		tok := b.String()
		b.Reset()
		if len([]rune(tok)) < 2 || isDigits(tok) {
			return
		}
		out = append(out, tok)
	}
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		flush()
	}
	flush()
	return out
}

// Sentences splits s at sentence punctuation and line breaks, so bigrams do
// not join words across sentences.
func Sentences(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '.', '!', '?', ';', ':', '\n', '\r', '…':
			return true
		}
		return false
	})
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// ContentTokens returns the tokens of s that are not stop words, grouped by
// sentence.
func ContentTokens(s string, stop StopWords) [][]string {
	var out [][]string
	for _, sent := range Sentences(s) {
		var toks []string
		for _, t := range Tokenize(sent) {
			if !stop.Has(t) {
				toks = append(toks, t)
			}
		}
		if len(toks) > 0 {
			out = append(out, toks)
		}
	}
	return out
}
