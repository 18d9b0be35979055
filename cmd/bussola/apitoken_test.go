package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/reports"
)

func TestAPITokenCommand(t *testing.T) {
	cheapDemoHashes(t)
	dir := t.TempDir()
	m := &Main{Config: Config{Embedded: true, DataDir: dir}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if _, err := m.reportUsersFile(); err != nil {
		t.Fatal(err)
	}
	cmd := func(args ...string) (string, string, error) {
		var out, errb bytes.Buffer
		err := runAPIToken(context.Background(), append(args, "--data-dir", dir), &out, &errb)
		return out.String(), errb.String(), err
	}
	tok, note, err := cmd("create", "--user", "hr.aurelia", "--label", "HR dashboard", "--expires", "720h")
	if err != nil {
		t.Fatal(err)
	}
	tok = strings.TrimSpace(tok)
	checker, err := reports.NewAPITokens(filepath.Join(dir, "api-tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := checker.Check(tok)
	if err != nil || rec.Username != "hr.aurelia" || rec.Expires.IsZero() {
		t.Fatalf("the created token: %+v %v", rec, err)
	}
	t.Run("OK the token is printed once, the file keeps its hash, 0600", func(t *testing.T) {
		b, _ := os.ReadFile(filepath.Join(dir, "api-tokens.json"))
		st, _ := os.Stat(filepath.Join(dir, "api-tokens.json"))
		if bytes.Contains(b, []byte(tok)) || st.Mode().Perm() != 0o600 || strings.Contains(note, tok) {
			t.Errorf("tokens file %s (mode %v), note %q", b, st.Mode().Perm(), note)
		}
	})
	t.Run("OK list shows id, user and label, never the token", func(t *testing.T) {
		out, _, err := cmd("list")
		if err != nil || !strings.Contains(out, rec.ID) || !strings.Contains(out, "hr.aurelia") || !strings.Contains(out, "HR dashboard") || strings.Contains(out, tok) {
			t.Errorf("list: %v\n%s", err, out)
		}
	})
	t.Run("ErrInvalid names the flag: unknown user, no user, unknown id", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"create", "--user", "nobody"}, "--user"},
			{[]string{"create"}, "--user"},
			{[]string{"revoke", "--id", "0000000000000000"}, "0000000000000000"},
			{[]string{"revoke"}, "--id"},
			{[]string{"rotate"}, "create, list or revoke"},
		} {
			if _, _, err := cmd(c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v: want an error naming %s, got %v", c.args, c.want, err)
			}
		}
	})
	t.Run("OK revoke removes the token", func(t *testing.T) {
		if _, _, err := cmd("revoke", "--id", rec.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := checker.Check(tok); err == nil {
			t.Error("a revoked token is still valid")
		}
	})
}
