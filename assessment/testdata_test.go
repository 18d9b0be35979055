package assessment

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/bussola-pa/bussola/internal/testenv"
)

// sharedDir finds ../shared/testdata next to the module root (the directory
// holding go.mod), or BUSSOLA_SHARED_DIR when set. It skips the test with a
// clear message when the reference data are absent (fails under CI=true).
func sharedDir(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("BUSSOLA_SHARED_DIR"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			testenv.SkipOrFail(tb, "reference data: no go.mod above the test directory; set BUSSOLA_SHARED_DIR")
		}
		dir = parent
	}
	d := filepath.Join(dir, "..", "shared", "testdata")
	if _, err := os.Stat(filepath.Join(d, "psych", "bfi.csv")); err != nil {
		testenv.SkipOrFail(tb, fmt.Sprintf("reference data absent (%v); set BUSSOLA_SHARED_DIR to the shared testdata directory", err))
	}
	return d
}

func openBFI(tb testing.TB, items []string) *Table {
	tb.Helper()
	f, err := os.Open(filepath.Join(sharedDir(tb), "psych", "bfi.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	t, err := ReadCSV(f, items)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}
