package chembed

import "strings"

// Names as the guard compares them: a quoted identifier decoded the way
// ClickHouse decodes it, and ASCII lower case without allocating.

// lowerASCII lower-cases s into buf; false if s does not fit.
func lowerASCII(buf *[64]byte, s string) ([]byte, bool) {
	if len(s) > len(buf) {
		return nil, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:len(s)], true
}

// identNames returns the names a word or quoted identifier can stand for:
// the bare word itself, or the quoted text decoded as ClickHouse decodes it
// (doubled quotes, \xHH, \n ..., unknown escapes keep their backslash) and,
// to be safe against any difference in decoding, with every backslash
// escape reduced to its character.
func identNames(t token) []string {
	if t.kind == tokWord {
		return []string{t.text}
	}
	body := t.text[1:]
	q := t.text[0]
	if strings.HasSuffix(body, string(q)) {
		body = body[:len(body)-1]
	}
	var exact, loose strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == q && i+1 < len(body) && body[i+1] == q:
			exact.WriteByte(q)
			loose.WriteByte(q)
			i++
		case c == '\\' && i+1 < len(body):
			i++
			e := body[i]
			if e == 'x' && i+2 < len(body) && isHex(body[i+1]) && isHex(body[i+2]) {
				b := unhex(body[i+1])<<4 | unhex(body[i+2])
				exact.WriteByte(b)
				loose.WriteByte(b)
				i += 2
				continue
			}
			d, known := unescapeByte(e)
			if !known {
				exact.WriteByte('\\')
			}
			exact.WriteByte(d)
			loose.WriteByte(d)
		default:
			exact.WriteByte(c)
			loose.WriteByte(c)
		}
	}
	return []string{exact.String(), loose.String()}
}

// unescapeByte decodes the character after a backslash; known reports
// whether ClickHouse drops the backslash for it.
func unescapeByte(e byte) (byte, bool) {
	switch e {
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case '0':
		return 0, true
	case 'a':
		return '\a', true
	case 'v':
		return '\v', true
	case 'e':
		return 0x1b, true
	case '\\', '\'', '"', '`', '/', '=':
		return e, true
	}
	return e, false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
