package chembed_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/internal/chembed"
	"github.com/bussola-pa/bussola/internal/testenv"
)

// Some behaviour needs a process of its own (chDB allows one data directory
// per process): the parent re-runs this test binary with childEnv set to the
// scenario name and the data directory in childDirEnv.
const (
	childEnv    = "CHEMBED_TEST_CHILD"
	childDirEnv = "CHEMBED_TEST_DIR"
)

func runChild(t *testing.T, scenario, dir string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+scenario, childDirEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestChildProcess is the child side; it does nothing in a normal run.
func TestChildProcess(t *testing.T) {
	scenario, dir := os.Getenv(childEnv), os.Getenv(childDirEnv)
	switch scenario {
	case "":
		t.Skip("only runs as a child process of another test")
	case "open-in-use":
		_, err := chembed.Start(context.Background(), chembed.Config{DataDir: dir})
		fmt.Printf("START-ERROR: %v\n", err)
		if !errors.Is(err, chembed.ErrDataDirInUse) {
			t.Fatalf("want ErrDataDirInUse, got %v", err)
		}
	case "reopen":
		childReopen(t, dir)
	default:
		t.Fatalf("unknown scenario %q", scenario)
	}
}

func childReopen(t *testing.T, dir string) {
	ctx := context.Background()
	srv, err := chembed.Start(ctx, chembed.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE kept (n UInt64) ENGINE = MergeTree ORDER BY n",
		"INSERT INTO kept SELECT number FROM numbers(1000)",
	} {
		if err := testenv.ExecClickHouse(srv, q); err != nil {
			t.Fatal(err)
		}
	}
	other := filepath.Join(t.TempDir(), "other")
	if _, err := chembed.Start(ctx, chembed.Config{DataDir: other}); err == nil ||
		!strings.Contains(err.Error(), "one data directory per process") {
		t.Errorf("a second data directory in one process: got %v, want a clear refusal", err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	srv, err = chembed.Start(ctx, chembed.Config{DataDir: dir})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer srv.Close()
	resp := mustGet(t, srv.ServiceURL()+"/?query=SELECT+count(),sum(n)+FROM+kept")
	if resp != "1000\t499500\n" {
		t.Errorf("after reopen: %q, want 1000 rows summing to 499500", resp)
	}
}

func TestDataDirReopenedAfterCloseKeepsData(t *testing.T) {
	testenv.RequireClickHouseLibrary(t)
	out, err := runChild(t, "reopen", t.TempDir())
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func TestSecondProcessOnSameDataDirGetsClearError(t *testing.T) {
	srv := testenv.MustStartClickHouse(t)
	out, err := runChild(t, "open-in-use", srv.DataDir())
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	want := fmt.Sprintf("data directory %s is in use by PID %d", srv.DataDir(), os.Getpid())
	if !strings.Contains(out, want) {
		t.Errorf("child output does not name this process:\n%s\nwant %q", out, want)
	}
}

func TestMissingLibraryTellsWhatToRun(t *testing.T) {
	_, err := chembed.Start(context.Background(), chembed.Config{
		DataDir: t.TempDir(), LibPath: filepath.Join(t.TempDir(), "libchdb.so"),
	})
	if !errors.Is(err, chembed.ErrLibraryMissing) || !strings.Contains(err.Error(), "make setup") {
		t.Errorf("got %v, want ErrLibraryMissing telling to run make setup", err)
	}
}

func TestDefaultLibPathHonoursEnvironment(t *testing.T) {
	t.Setenv(chembed.EnvLibPath, "/opt/x/libchdb.so")
	if got := chembed.DefaultLibPath(); got != "/opt/x/libchdb.so" {
		t.Errorf("with %s set: %q", chembed.EnvLibPath, got)
	}
	t.Setenv(chembed.EnvLibPath, "")
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Skip("no user cache dir")
	}
	want := filepath.Join(cache, "bussola", "libchdb", chembed.LibVersion, "package", "libchdb.so")
	if got := chembed.DefaultLibPath(); got != want {
		t.Errorf("default: %q, want %q", got, want)
	}
}

// TestGoPanicRecoverableAfterConnect checks that chDB's signal handlers did
// not replace Go's: a nil dereference must be an ordinary recoverable panic.
func TestGoPanicRecoverableAfterConnect(t *testing.T) {
	srv := testenv.MustStartClickHouse(t)
	if err := srv.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	recovered := func() (r any) {
		defer func() { r = recover() }()
		var p *int
		return *p
	}()
	if err, ok := recovered.(error); !ok || !strings.Contains(err.Error(), "nil pointer dereference") {
		t.Errorf("recovered %v, want a nil pointer dereference runtime error", recovered)
	}
}

func TestUnavailableAndSuspend(t *testing.T) {
	srv := testenv.MustStartClickHouse(t)
	srv.SetUnavailable(true)
	code, hdr, body := post(t, srv.ServiceURL(), nil, strings.NewReader("SELECT 1"), nil)
	srv.SetUnavailable(false)
	if code != 503 || hdr.Get("X-ClickHouse-Exception-Code") != strconv.Itoa(210) {
		t.Errorf("unavailable: %d %q", code, body)
	}
	if got := mustGet(t, srv.ServiceURL()+"/?query=SELECT+2"); got != "2\n" {
		t.Errorf("available again: %q", got)
	}
	addr := srv.Addr()
	if err := srv.Suspend(context.Background()); err != nil {
		t.Fatal(err)
	}
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	if err := testenv.ExecClickHouse(srv, "SELECT 1"); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("suspended: got %v, want connection refused", err)
	}
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	if srv.Addr() != addr {
		t.Errorf("resumed on %s, want %s", srv.Addr(), addr)
	}
	if err := testenv.ExecClickHouse(srv, "SELECT 1"); err != nil {
		t.Errorf("resumed: %v", err)
	}
}
