package ingest

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bussola-pa/bussola/schemas"
)

// redactPath cleans a field path ("texts.q3", "extra[2].note") segment by
// segment, as keys are cleaned.
func redactPath(stream schemas.Stream, path string) string {
	if path == "" {
		return ""
	}
	segs := strings.Split(path, ".")
	for i, s := range segs {
		name, index := s, ""
		if j := strings.IndexByte(s, '['); j > 0 && strings.HasSuffix(s, "]") && isDigits(s[j+1:len(s)-1]) {
			name, index = s[:j], s[j:]
		}
		segs[i] = redactKey(stream, name) + index
	}
	return strings.Join(segs, ".")
}

// redactKey returns k when it names a field of the stream's records or
// looks like a field name, and "~key(n)" (its length) otherwise.
func redactKey(stream schemas.Stream, k string) string {
	if recordFields[stream][strings.ToLower(k)] || isFieldName(k) || isRedactedKey(k) {
		return k
	}
	return "~key(" + strconv.Itoa(utf8.RuneCountInString(k)) + ")"
}

// isFieldName reports whether k looks like the name of a field: letters,
// '_', '-', '.' or spaces, at most 40 bytes, beginning with a letter, and
// at most two trailing digits after lower-case letters.
func isFieldName(k string) bool {
	if k == "" || len(k) > 40 {
		return false
	}
	digits, upper := 0, false
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case 'a' <= c && c <= 'z':
		case 'A' <= c && c <= 'Z':
			upper = true
		case i > 0 && (c == '_' || c == '-' || c == '.' || c == ' '):
		case i > 0 && '0' <= c && c <= '9':
			digits++
			continue
		default:
			return false
		}
		if digits > 0 { // a letter after a digit
			return false
		}
	}
	return digits == 0 || (digits <= 2 && !upper)
}

// isRedactedKey reports whether k is a key this redaction wrote.
func isRedactedKey(k string) bool {
	if k == "~omitted" || k == "~not_json" {
		return true
	}
	rest, ok := strings.CutPrefix(k, "~key(")
	if !ok {
		return false
	}
	n, suffix, _ := strings.Cut(rest, ")")
	return isDigits(n) && (suffix == "" || (strings.HasPrefix(suffix, "#") && isDigits(suffix[1:])))
}

// isDescription reports whether s is a value this redaction wrote.
func isDescription(s string) bool {
	switch s {
	case "~number", "~bool", "~null":
		return true
	}
	for _, p := range []string{"~string(", "~array(", "~object(", "~keys(", "~bytes("} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			n, ok := strings.CutSuffix(rest, ")")
			return ok && isDigits(n)
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
