package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/bussola-pa/bussola/reports"
)

// cheapDemoHashes hashes the demo users' passwords at bcrypt's minimum
// cost for the rest of the test (five hashes at BcryptCost take tens of
// seconds under -race).
func cheapDemoHashes(t *testing.T) {
	t.Helper()
	hashDemoPassword = func(pw string) (string, error) {
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		return string(h), err
	}
	t.Cleanup(func() { hashDemoPassword = reports.HashPassword })
}

func TestDemoPasswordsStayOutOfTheLog(t *testing.T) {
	cheapDemoHashes(t)
	dir := t.TempDir()
	var log bytes.Buffer
	m := &Main{Config: Config{Embedded: true, DataDir: dir}, Log: slog.New(slog.NewTextHandler(&log, nil))}
	usersPath, err := m.reportUsersFile()
	if err != nil {
		t.Fatal(err)
	}
	pwPath := filepath.Join(dir, "demo-passwords.txt")
	t.Run("the passwords file is readable by the service's user only", func(t *testing.T) {
		st, err := os.Stat(pwPath)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v, want 0600", st.Mode().Perm())
		}
	})
	t.Run("every demo user signs in with the password in the file, which the log never shows", func(t *testing.T) {
		b, err := os.ReadFile(pwPath)
		if err != nil {
			t.Fatal(err)
		}
		users, err := reports.NewFileUserStore(usersPath)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for line := range strings.Lines(string(b)) {
			name, pw, ok := strings.Cut(strings.TrimSpace(line), " ")
			if !ok || strings.HasPrefix(name, "#") {
				continue
			}
			found++
			if _, err := users.Authenticate(context.Background(), name, pw); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			if strings.Contains(log.String(), pw) {
				t.Errorf("the log shows %s's password:\n%s", name, log.String())
			}
		}
		if found != len(demoUsers) {
			t.Fatalf("%d passwords in the file, want %d", found, len(demoUsers))
		}
		if !strings.Contains(log.String(), pwPath) {
			t.Errorf("the log does not say where the passwords are:\n%s", log.String())
		}
	})
}
