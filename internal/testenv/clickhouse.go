package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/internal/chembed"
)

var (
	once     sync.Once
	shared   *chembed.Server
	dataDir  string
	startErr error
)

// MustStartClickHouse returns the test binary's shared embedded ClickHouse
// (chDB allows one data directory per process), starting it on first use
// in a fresh temporary data directory; Main closes it and removes the
// directory. A missing libchdb skips the test, or fails it under CI=true.
func MustStartClickHouse(tb testing.TB) *chembed.Server {
	tb.Helper()
	RequireClickHouseLibrary(tb)
	once.Do(func() {
		dataDir, startErr = os.MkdirTemp("", "bussola-testenv-*")
		if startErr != nil {
			return
		}
		shared, startErr = chembed.Start(context.Background(), chembed.Config{
			DataDir: dataDir,
			Logger:  slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		})
	})
	if startErr != nil {
		tb.Fatalf("start embedded ClickHouse: %v", startErr)
	}
	return shared
}

// RequireClickHouseLibrary skips the test when libchdb is missing, or
// fails it under CI=true.
func RequireClickHouseLibrary(tb testing.TB) {
	tb.Helper()
	path := chembed.DefaultLibPath()
	if chembed.LibraryAvailable(path) {
		return
	}
	SkipOrFail(tb, fmt.Sprintf("libchdb not found at %s: run `make setup` (scripts/setup.sh) or set %s", path, chembed.EnvLibPath))
}

// Main runs the tests and then closes the shared engine, when one was
// started, and removes its data directory. Use it from TestMain:
// func TestMain(m *testing.M) { testenv.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		if err := shared.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "testenv: close embedded ClickHouse:", err)
		}
		_ = os.RemoveAll(dataDir)
	}
	os.Exit(code)
}

// ClickHouseDSN creates a database with a random name on the shared
// engine, drops it when the test ends, and returns a clickhouse-go DSN for
// it with the service account's credentials
// (http://user:password@host:port/test_xxx).
func ClickHouseDSN(tb testing.TB) (dsn string) {
	tb.Helper()
	srv := MustStartClickHouse(tb)
	name := ClickHouseDatabase(tb)
	return srv.ServiceURL() + "/" + name
}

// ClickHouseDatabase creates a fresh database like ClickHouseDSN and
// returns its name.
func ClickHouseDatabase(tb testing.TB) string {
	tb.Helper()
	srv := MustStartClickHouse(tb)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "test_" + hex.EncodeToString(b)
	if err := ExecClickHouse(srv, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		// Plain DROP: DROP ... SYNC hangs on chDB's Atomic databases.
		if err := ExecClickHouse(srv, "DROP DATABASE IF EXISTS "+name); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	return name
}

// ClickHouseOptions returns clickhouse-go options (HTTP protocol) for a
// fresh database.
func ClickHouseOptions(tb testing.TB) *clickhouse.Options {
	tb.Helper()
	srv := MustStartClickHouse(tb)
	svc := srv.Credentials().Service
	return &clickhouse.Options{
		Protocol: clickhouse.HTTP,
		Addr:     []string{srv.Addr()},
		Auth:     clickhouse.Auth{Database: ClickHouseDatabase(tb), Username: svc.User, Password: svc.Password},
	}
}

// OpenClickHouse returns a clickhouse-go connection to a fresh database,
// closed when the test ends.
func OpenClickHouse(tb testing.TB) driver.Conn {
	tb.Helper()
	conn, err := clickhouse.Open(ClickHouseOptions(tb))
	if err != nil {
		tb.Fatalf("open clickhouse-go connection: %v", err)
	}
	tb.Cleanup(func() { _ = conn.Close() })
	return conn
}

// ExecClickHouse runs one statement on srv over plain HTTP as the service
// account.
func ExecClickHouse(srv *chembed.Server, sql string) error {
	resp, err := http.Post(srv.ServiceURL()+"/?"+url.Values{"query": {sql}}.Encode(), "text/plain", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", sql, strings.TrimSpace(string(body)))
	}
	return nil
}
