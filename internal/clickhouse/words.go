package clickhouse

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// eachWord calls fn with each token of s as analytics/text.Tokenize finds
// them (NFC, runs of letters, digits and combining marks, lower-cased;
// one-character and all-digit tokens dropped), in order, without a string
// per token: w is only valid during the call. buf is reused and returned.
// Sentence breaks are never inside a token, so the tokens of s are those
// of text.ContentTokens before stop words are dropped; words_test.go
// checks both against analytics/text.
func eachWord(s string, buf []byte, fn func(w []byte)) []byte {
	s = norm.NFC.String(s)
	buf = buf[:0]
	runes, digits := 0, true
	flush := func() {
		if runes >= 2 && !digits {
			fn(buf)
		}
		buf, runes, digits = buf[:0], 0, true
	}
	for _, r := range s {
		if r < utf8.RuneSelf {
			switch {
			case 'a' <= r && r <= 'z':
				buf = append(buf, byte(r))
				digits = false
			case 'A' <= r && r <= 'Z':
				buf = append(buf, byte(r)+('a'-'A'))
				digits = false
			case '0' <= r && r <= '9':
				buf = append(buf, byte(r))
			default:
				flush()
				continue
			}
			runes++
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
			flush()
			continue
		}
		lr := unicode.ToLower(r)
		buf = utf8.AppendRune(buf, lr)
		runes++
		if !unicode.IsDigit(lr) {
			digits = false
		}
	}
	flush()
	return buf
}
