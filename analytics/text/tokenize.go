package text

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// eachWord calls fn with each word token of s, in order, and returns buf
// for reuse. Text is first composed to Unicode NFC so "perché" typed with
// a combining accent is the same token as the precomposed one. A token is
// a run of letters, digits and combining marks, lower-cased; apostrophes
// (' and ’) split elisions such as "l'ufficio" into "l" and "ufficio";
// hyphens split compounds. Tokens made only of digits and one-character
// tokens are dropped. Stop words are not removed here. No string is made
// per token: w is only valid during the call.
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
