package schemas

// Identifier checks on the hot path of every record: hand-written, with the
// regular expressions they implement in ids_test.go as the reference.

// isUUID reports whether s is a UUID in 8-4-4-4-12 hex form (either case).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !isHex(c) && !('A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// isSlug reports whether s is a lower-case slug: a letter or digit, then up
// to 62 letters, digits, '-' or '_'.
func isSlug(s string) bool {
	if len(s) == 0 || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || (i > 0 && (c == '-' || c == '_'))
		if !ok {
			return false
		}
	}
	return true
}

// isPerson reports whether s is a pseudonym: 16 lower-case hex digits.
func isPerson(s string) bool {
	if len(s) != 16 {
		return false
	}
	for i := 0; i < 16; i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool { return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') }

// IsTenant reports whether s is a well-formed tenant name (a slug).
func IsTenant(s string) bool { return isSlug(s) }
