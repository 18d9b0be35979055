package clickhouse

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestQueryNames holds the code and sql/ to each other: every query name
// the code runs (queryText, query, each with a literal name) has its
// file, every file is run by some code, and every file name follows the
// one scheme, <Topic>.<query>.sql or <Topic>.sql.
func TestQueryNames(t *testing.T) {
	files, err := fs.Glob(sqlFS, "sql/*")
	if err != nil {
		t.Fatal(err)
	}
	scheme := regexp.MustCompile(`^sql/[A-Z][A-Za-z]*(\.[a-z]+)?\.sql$`)
	embedded := map[string]bool{}
	for _, f := range files {
		if !scheme.MatchString(f) {
			t.Errorf("%s: the name must be <Topic>.<query>.sql or <Topic>.sql (Topic capitalised, query lower-case letters)", f)
		}
		embedded[strings.TrimSuffix(strings.TrimPrefix(f, "sql/"), ".sql")] = true
	}

	used := map[string]bool{}
	sources, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, src := range sources {
		if strings.HasSuffix(src, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, src, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			arg := -1
			switch sel.Sel.Name {
			case "queryText":
				arg = 0
			case "query", "each":
				arg = 1
			}
			if arg < 0 || len(call.Args) <= arg {
				return true
			}
			lit, ok := call.Args[arg].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			name, _ := strconv.Unquote(lit.Value)
			used[name] = true
			if !embedded[name] {
				t.Errorf("%s: query %q has no file sql/%s.sql", fset.Position(lit.Pos()), name, name)
			}
			return true
		})
	}
	if len(used) == 0 {
		t.Fatal("found no query names in the code: the test reads the wrong files")
	}
	for name := range embedded {
		if !used[name] {
			t.Errorf("sql/%s.sql: no code runs it (delete it or run it)", name)
		}
	}
	t.Logf("%d query files, all named by the code: %v", len(embedded), slices.Sorted(maps.Keys(embedded)))
}

// TestRawTablesReadFinal keeps every page's read of a raw table
// deduplicated: a copy of a record (a zombie consumer's insert, a re-post)
// may sit in the table until a merge, and FINAL collapses it on read.
func TestRawTablesReadFinal(t *testing.T) {
	raw := regexp.MustCompile(`\{db\}\.(diary_entries|survey_answers|intranet_events)\b(\s+FINAL\b)?`)
	reads := 0
	err := fs.WalkDir(sqlFS, "sql", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(filepath.Base(path), "Scoring.") || strings.HasPrefix(filepath.Base(path), "Repair") {
			return nil // not a page's read: the scoring job and the repair dedupe on their own
		}
		b, err := sqlFS.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range raw.FindAllStringSubmatch(string(b), -1) {
			reads++
			if m[2] == "" {
				t.Errorf("%s reads %s without FINAL: a copy stored before a merge would count twice", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if reads == 0 {
		t.Fatal("no read of a raw table found: the pattern tests nothing")
	}
}
