package analytics

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedTestdata returns the directory of the shared reference data:
// $BUSSOLA_SHARED_DIR/testdata when the variable is set, else
// <module root>/../shared/testdata.
func sharedTestdata(tb testing.TB) string {
	tb.Helper()
	if dir := os.Getenv("BUSSOLA_SHARED_DIR"); dir != "" {
		return filepath.Join(dir, "testdata")
	}
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "testdata")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the test directory; set BUSSOLA_SHARED_DIR")
		}
		dir = parent
	}
}

// mustReadTable reads a CSV under the shared testdata directory.
func mustReadTable(tb testing.TB, rel string) *Table {
	tb.Helper()
	f, err := os.Open(filepath.Join(sharedTestdata(tb), rel))
	if err != nil {
		tb.Fatalf("open reference data (set BUSSOLA_SHARED_DIR if the shared directory is elsewhere): %v", err)
	}
	defer f.Close()
	t, err := ReadTable(f)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func mustCol(tb testing.TB, t *Table, name string) []float64 {
	tb.Helper()
	v, err := t.Floats(name)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// near fails the test when got differs from want by more than tol.
func near(tb testing.TB, what string, got, want, tol float64) {
	tb.Helper()
	if !(got >= want-tol && got <= want+tol) {
		tb.Errorf("%s = %.8g, want %.8g (tolerance %g)", what, got, want, tol)
	}
}
