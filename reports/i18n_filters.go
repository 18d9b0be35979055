package reports

import "maps"

// filterMessages are the filter bar's strings for options it greys out
// (filterbar.go). They join messages at start-up; a key already there is
// a bug.
var filterMessages = map[string][2]string{
	"f.hidden": {"nascosto", "hidden"},
	"f.hidden.note": {"Le opzioni «nascosto» non si possono scegliere: gruppo sotto il minimo di %d persone, o che permetterebbe di ricavarne uno.",
		"Options marked “hidden” cannot be chosen: a group below the minimum of %d people, or one that would let such a group be derived."},
}

func init() {
	for k := range filterMessages {
		if _, dup := messages[k]; dup {
			panic("reports: duplicate message key " + k)
		}
	}
	maps.Copy(messages, filterMessages)
}
