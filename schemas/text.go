package schemas

import (
	"fmt"
	"unicode/utf8"
)

// Character rules for every text a record carries. The intake refuses
// what it cannot store faithfully instead of changing it silently: a
// string that is not valid UTF-8 (encoding/json would store U+FFFD in its
// place) and control characters (C0 U+0000-U+001F, DEL, C1 U+0080-U+009F),
// which no label, code or note of a person needs and which break CSV
// exports, logs and terminals. Free text (a diary note, a survey's text
// answer) may hold tab, line feed and carriage return; nothing else may.
// Other invisible characters (format characters, bidirectional marks) are
// legitimate in Italian and English text and are kept.

// textChars checks the characters of s, the value of field: valid UTF-8
// and no control character (tab and line breaks allowed when multiline).
func textChars(v *validator, field, s string, multiline bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && !(multiline && (c == '\t' || c == '\n' || c == '\r'))) || c == 0x7f {
				controlChar(v, field, rune(c), multiline)
				return
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			v.errs = append(v.errs, InvalidUTF8Error(field))
			return
		}
		if r >= 0x80 && r <= 0x9f {
			controlChar(v, field, r, multiline)
			return
		}
		i += size
	}
}

func controlChar(v *validator, field string, r rune, multiline bool) {
	allowed, consentiti := "", ""
	if multiline {
		allowed, consentiti = "; tab and line breaks are allowed", "; tabulazione e a capo sono ammessi"
	}
	v.addIT(field, RuleControl,
		fmt.Sprintf("non deve contenere caratteri di controllo (trovato U+%04X)%s", r, consentiti),
		fmt.Sprintf("must not contain control characters (found U+%04X)%s", r, allowed))
}

// InvalidUTF8Error names field as holding bytes that are not valid UTF-8.
func InvalidUTF8Error(field string) FieldError {
	return FieldError{Field: field, Rule: RuleUTF8,
		MessageIT: "non è UTF-8 valido: invia il testo codificato in UTF-8",
		Message:   "is not valid UTF-8: send the text encoded as UTF-8"}
}
