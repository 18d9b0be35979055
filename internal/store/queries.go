package store

import (
	"embed"
	"fmt"
	"strings"
)

// The analytical queries live in sql/<name>.sql, one query a file, so they
// can be read, reviewed and EXPLAINed on their own. {db} stands for the
// database; @name placeholders are bound by the driver.
//
//go:embed sql/*.sql
var queryFS embed.FS

// query returns the named query with the database filled in, and any
// other {key} replaced by its value from repl (pairs of key and value,
// values from code, never from users).
func (s *Store) query(name string, repl ...string) string {
	b, err := queryFS.ReadFile("sql/" + name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("store: query %s is not embedded", name)) // a programming error
	}
	pairs := append([]string{"{db}", s.db}, repl...)
	return strings.NewReplacer(pairs...).Replace(string(b))
}
