// Package chtest gives tests an embedded ClickHouse: one engine per test
// binary (chDB allows one data directory per process) and a fresh database
// per test, dropped when the test ends.
//
// Tests skip with a clear message when libchdb is not installed, unless the
// CI environment variable is true: then a missing library fails the test.
//
// It must only be imported from tests.
package chtest

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
	"strconv"
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

// MustStart returns the test binary's shared embedded ClickHouse, starting
// it on first use in a fresh temporary data directory.
func MustStart(tb testing.TB) *chembed.Server {
	tb.Helper()
	RequireLibrary(tb)
	once.Do(func() {
		dataDir, startErr = os.MkdirTemp("", "bussola-chtest-*")
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

// RequireLibrary skips the test when libchdb is missing, or fails it when
// the CI environment variable is true.
func RequireLibrary(tb testing.TB) {
	tb.Helper()
	path := chembed.DefaultLibPath()
	if chembed.LibraryAvailable(path) {
		return
	}
	msg := fmt.Sprintf("libchdb not found at %s: run `make setup` (scripts/setup.sh) or set %s", path, chembed.EnvLibPath)
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}

// Main runs the tests and then closes the shared engine and removes its
// data directory. Use it from TestMain: func TestMain(m *testing.M) { chtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		if err := shared.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "chtest: close embedded ClickHouse:", err)
		}
		_ = os.RemoveAll(dataDir)
	}
	os.Exit(code)
}

// NewDatabase creates a database with a random name on the shared engine,
// drops it when the test ends, and returns a clickhouse-go DSN for it
// with the service account's credentials (http://user:password@host:port/test_xxx).
func NewDatabase(tb testing.TB) (dsn string) {
	tb.Helper()
	srv := MustStart(tb)
	name := DatabaseName(tb)
	return srv.ServiceURL() + "/" + name
}

// DatabaseName creates a fresh database like NewDatabase and returns its name.
func DatabaseName(tb testing.TB) string {
	tb.Helper()
	srv := MustStart(tb)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "test_" + hex.EncodeToString(b)
	if err := Exec(srv, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		// Plain DROP: DROP ... SYNC hangs on chDB's Atomic databases.
		if err := Exec(srv, "DROP DATABASE IF EXISTS "+name); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	return name
}

// Options returns clickhouse-go options (HTTP protocol) for a fresh database.
func Options(tb testing.TB) *clickhouse.Options {
	tb.Helper()
	srv := MustStart(tb)
	svc := srv.Credentials().Service
	return &clickhouse.Options{
		Protocol: clickhouse.HTTP,
		Addr:     []string{srv.Addr()},
		Auth:     clickhouse.Auth{Database: DatabaseName(tb), Username: svc.User, Password: svc.Password},
	}
}

// Open returns a clickhouse-go connection to a fresh database, closed when
// the test ends.
func Open(tb testing.TB) driver.Conn {
	tb.Helper()
	conn, err := clickhouse.Open(Options(tb))
	if err != nil {
		tb.Fatalf("open clickhouse-go connection: %v", err)
	}
	tb.Cleanup(func() { _ = conn.Close() })
	return conn
}

// Exec runs one statement on srv over plain HTTP as the service account.
func Exec(srv *chembed.Server, sql string) error {
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
