package reports

import "maps"

// freshMessages are the freshness stamp's strings (fresh.go).
var freshMessages = map[string][2]string{
	"fresh.version": {"Dati aggiornati al %s (versione %s)", "Data as of %s (version %s)"},
	"fresh.live":    {"Dati letti al %s", "Data read at %s"},
}

func init() { maps.Copy(messages, freshMessages) }
