package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// rule holds the packages matching from to one constraint on everything
// they depend on, directly or not (go list's Deps). Patterns are paths
// relative to the module ("ingest", "internal/...") or, when their first
// element has a dot, full import paths of other modules
// ("github.com/segmentio/kafka-go/..."); a trailing "/..." takes the
// package and everything under it.
type rule struct {
	name string
	from []string
	// forbid lists what the packages must not depend on.
	forbid []string
	// onlyStd, when set, allows the standard library and the packages in
	// allow only (besides the packages of from themselves).
	onlyStd bool
	allow   []string
}

// drivers are the Kafka and ClickHouse client libraries.
var drivers = []string{
	"github.com/ClickHouse/clickhouse-go/...",
	"github.com/ClickHouse/ch-go/...",
	"github.com/segmentio/kafka-go/...",
	"github.com/twmb/franz-go/...",
}

// domain are the packages of the shared vocabulary and the pure rules and
// statistics. scoring moves from internal/scoring to the top; its rule
// holds from the moment the top-level package exists.
var domain = []string{"schemas/...", "privacy/...", "assessment/...", "analytics/...", "scoring/..."}

var rules = []rule{
	{
		// The intake and consumers know nothing of the pages and the pages
		// nothing of Kafka: they meet only in ClickHouse (and in main).
		name:   "ingest and reports never import each other",
		from:   []string{"ingest/..."},
		forbid: []string{"reports/..."},
	},
	{
		name:   "reports never imports ingest",
		from:   []string{"reports/..."},
		forbid: []string{"ingest/..."},
	},
	{
		// Adapters live in internal/ and implement interfaces the domain
		// declares; an arrow from the domain into internal/ runs back up.
		name:   "domain packages never import internal/",
		from:   domain,
		forbid: []string{"internal/...", "cmd/..."},
	},
	{
		// The domain is what the application packages use, never the
		// other way round.
		name:   "the vocabulary, privacy and the statistics never import the application packages",
		from:   []string{"schemas/...", "privacy/...", "assessment/...", "analytics/..."},
		forbid: []string{"ingest/...", "reports/...", "scoring/..."},
	},
	{
		// ingest writes through the Sink it declares, reports reads through
		// the Store it declares: the ClickHouse adapter implements them.
		name:   "ingest and reports reach their adapters only through their own interfaces",
		from:   []string{"ingest/...", "reports/..."},
		forbid: []string{"internal/...", "cmd/..."},
	},
	{
		// Statistics and rules are tested against reference numbers,
		// without I/O: no driver may sit under them.
		name:   "the pure packages never import a Kafka or ClickHouse driver",
		from:   []string{"assessment/...", "analytics/...", "privacy/...", "scoring/..."},
		forbid: drivers,
	},
	{
		// The vocabulary every package shares pulls nothing in with it;
		// add to allow only what validation strictly needs.
		name:    "schemas imports only the standard library",
		from:    []string{"schemas/..."},
		onlyStd: true,
		allow:   nil,
	},
	{
		// Starting the embedded Kafka broker and ClickHouse engine is
		// wiring: main does it, and the test environments.
		name:   "only cmd/ and internal/testenv start the embedded engines",
		from:   []string{"..."},
		forbid: []string{"internal/kafkaembed", "internal/chembed"},
		allow:  []string{"cmd/...", "internal/testenv", "internal/kafkaembed", "internal/chembed/...", "internal/kafkaembed/..."},
	},
}

// pkg is the part of go list's output the rules read.
type pkg struct {
	ImportPath string
	Standard   bool
	Deps       []string
	Module     *struct{ Path string }
}

func TestImportRules(t *testing.T) {
	mod, pkgs := listDeps(t)
	std := map[string]bool{}
	for _, p := range pkgs {
		if p.Standard {
			std[p.ImportPath] = true
		}
	}
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			held := 0
			for _, p := range pkgs {
				rel, ours := strings.CutPrefix(p.ImportPath, mod+"/")
				if !ours || !matchAny(mod, r.from, p.ImportPath) || (r.forbid != nil && matchAny(mod, r.allow, p.ImportPath)) {
					continue
				}
				held++
				var bad []string
				for _, d := range p.Deps {
					if r.onlyStd && !std[d] && !matchAny(mod, r.from, d) && !matchAny(mod, r.allow, d) ||
						!r.onlyStd && matchAny(mod, r.forbid, d) {
						bad = append(bad, strings.TrimPrefix(d, mod+"/"))
					}
				}
				if len(bad) > 0 {
					more := ""
					if len(bad) > 3 {
						more = fmt.Sprintf(" and %d more", len(bad)-3)
						bad = bad[:3]
					}
					t.Errorf("%s depends on %s%s", rel, strings.Join(bad, ", "), more)
				}
			}
			if held == 0 {
				t.Errorf("the rule holds no package: its patterns %v match nothing in the module", r.from)
			}
		})
	}
}

// matchAny reports whether path matches one of the patterns.
func matchAny(mod string, patterns []string, path string) bool {
	for _, pat := range patterns {
		first, _, _ := strings.Cut(pat, "/")
		if pat == "..." {
			pat = mod + "/..."
		} else if !strings.Contains(first, ".") {
			pat = mod + "/" + pat
		}
		if base, ok := strings.CutSuffix(pat, "/..."); ok {
			if path == base || strings.HasPrefix(path, base+"/") {
				return true
			}
		} else if path == pat {
			return true
		}
	}
	return false
}

// listDeps runs go list -deps -json over the whole module and returns the
// module path and every package listed.
func listDeps(t *testing.T) (string, []pkg) {
	t.Helper()
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	dir := filepath.Dir(strings.TrimSpace(string(root)))
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Standard,Deps,Module", "./...")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	mod := ""
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("read go list output: %v", err)
		}
		if mod == "" && p.Module != nil && strings.HasSuffix(p.ImportPath, "/internal/archtest") {
			mod = p.Module.Path
		}
		pkgs = append(pkgs, p)
	}
	if mod == "" || !slices.ContainsFunc(pkgs, func(p pkg) bool { return p.ImportPath == mod+"/ingest" }) {
		t.Fatalf("go list did not list this module's packages (module %q)", mod)
	}
	return mod, pkgs
}
