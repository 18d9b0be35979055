package testenv

import (
	"os"
	"strconv"
	"testing"
)

// CI reports whether the CI environment variable is true.
func CI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// SkipOrFail skips the test, saying why, or fails it under CI=true: a
// missing input (reference data, a browser, a library) must not turn a CI
// run green.
func SkipOrFail(tb testing.TB, why string) {
	tb.Helper()
	if CI() {
		tb.Fatalf("CI=true and %s", why)
	}
	tb.Skip(why)
}
