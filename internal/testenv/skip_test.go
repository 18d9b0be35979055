package testenv_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/internal/testenv"
)

// TestSkipOrFailChild is the test the parent runs in a child process; on
// its own it does nothing.
func TestSkipOrFailChild(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") != "1" {
		return
	}
	testenv.SkipOrFail(t, "the reference data are missing")
}

func TestSkipOrFail(t *testing.T) {
	for _, c := range []struct {
		name, ci string
		fails    bool
		says     string
	}{
		{"OK without CI a missing input skips the test", "", false, "--- SKIP"},
		{"OK with CI=false a missing input skips the test", "false", false, "--- SKIP"},
		{"ErrMissing with CI=true a missing input fails the test", "true", true, "--- FAIL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSkipOrFailChild$", "-test.v")
			cmd.Env = append(os.Environ(), "TESTENV_CHILD=1", "CI="+c.ci)
			out, err := cmd.CombinedOutput()
			if failed := err != nil; failed != c.fails || !strings.Contains(string(out), c.says) ||
				!strings.Contains(string(out), "the reference data are missing") {
				t.Errorf("CI=%q: want failed=%v and %q with the reason, got err=%v:\n%s", c.ci, c.fails, c.says, err, out)
			}
		})
	}
}
