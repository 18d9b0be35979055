package main

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestEveryFlagIsDocumented checks that each service flag has its
// BUSSOLA_* variable in its usage line and a row of the README's
// configuration table naming both.
func TestEveryFlagIsDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(l, "| `--") {
			rows = append(rows, l)
		}
	}
	env := regexp.MustCompile(`\$(BUSSOLA_[A-Z0-9_]+)\)$`)
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var c Config
	configFlags(fs, &c)
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		m := env.FindStringSubmatch(f.Usage)
		if m == nil {
			t.Errorf("--%s: the usage line does not name its BUSSOLA_* variable", f.Name)
			return
		}
		for _, r := range rows {
			if strings.Contains(r, "`--"+f.Name+"`") && strings.Contains(r, "`"+m[1]+"`") {
				return
			}
		}
		t.Errorf("--%s ($%s, default %q) has no row in the README's configuration table", f.Name, m[1], f.DefValue)
	})
	if n < 15 {
		t.Fatalf("only %d flags registered", n)
	}
}
