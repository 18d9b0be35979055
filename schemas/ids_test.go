package schemas

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// The definitions the hand-written checks implement.
var (
	uuidRE   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	slugRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	personRE = regexp.MustCompile(`^[0-9a-f]{16}$`)
)

func TestIdentifierChecksMatchTheirRegexps(t *testing.T) {
	cases := []string{"", "a", "-a", "a-", "_x", "comune-aurelia", "Comune", "x y", "è", "0123456789abcdef", "0123456789ABCDEF",
		"0123456789abcde", "0123456789abcdef0", "6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41", "6F1C2A8E-3B7D-4C1E-9A2F-0D5E8B7C6A41",
		"6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a4", "6f1c2a8e_3b7d-4c1e-9a2f-0d5e8b7c6a41", "g f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a4"}
	for n := 63; n <= 64; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'a'
		}
		cases = append(cases, string(b))
	}
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789abcdefABCDEFgz-_ .è"
	for i := 0; i < 20000; i++ {
		n := []int{16, 36, r.IntN(70)}[r.IntN(3)]
		b := make([]byte, 0, n)
		for len(b) < n {
			if n == 36 && (len(b) == 8 || len(b) == 13 || len(b) == 18 || len(b) == 23) && r.IntN(10) > 0 {
				b = append(b, '-')
				continue
			}
			b = append(b, alphabet[r.IntN(len(alphabet))])
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		if isUUID(s) != uuidRE.MatchString(s) || isSlug(s) != slugRE.MatchString(s) || isPerson(s) != personRE.MatchString(s) {
			t.Fatalf("%q: uuid %v/%v slug %v/%v person %v/%v", s, isUUID(s), uuidRE.MatchString(s), isSlug(s), slugRE.MatchString(s), isPerson(s), personRE.MatchString(s))
		}
	}
}
