package text

import (
	"reflect"
	"slices"
	"testing"
)

// tokens collects the tokens eachWord finds in s.
func tokens(s string) []string {
	var out []string
	eachWord(s, nil, func(w []byte) { out = append(out, string(w)) })
	return out
}

func TestTokenize(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"An accented Italian word stays whole", "Perché no?", []string{"perché", "no"}},
		{"A decomposed accent is composed to the same token", "perche\u0301", []string{"perché"}},
		{"Elisions split at the apostrophe, typographic or not", "L'ufficio e l’attività", []string{"ufficio", "attività"}},
		{"Digits-only and one-letter tokens are dropped", "3 riunioni in 2 ore e VPN", []string{"riunioni", "in", "ore", "vpn"}},
		{"English text is lower-cased and split at punctuation", "Fewer meetings, more focus!", []string{"fewer", "meetings", "more", "focus"}},
		{"Hyphenated compounds split", "smart-working", []string{"smart", "working"}},
		{"Digits of other scripts are digits and letters of other scripts are lower-cased", "١٢٣ 3a ΣΊΣΥΦΟΣ МИР", []string{"3a", "σίσυφοσ", "мир"}},
		{"Invalid UTF-8 splits like punctuation", "bad \xff\xfebytes in\xc3 the", []string{"bad", "bytes", "in", "the"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := tokens(c.in); !reflect.DeepEqual(got, c.want) {
				t.Errorf("tokens of %q = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestWriterChunksNeverSplitAWriter(t *testing.T) {
	entries := []Entry{{Writer: 1}, {Writer: 1}, {Writer: 1}, {Writer: 2}, {Writer: 3}, {Writer: 3}}
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
			for _, c := range writerChunks(entries, tt.n) {
				got = append(got, len(c))
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("chunk lengths %v, want %v", got, tt.want)
			}
		})
	}
}
