package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/internal/chembed"
)

// TestEmbeddedClickHouseLockedDown: in embedded mode the endpoint answers
// only the accounts generated into <data-dir>/clickhouse-credentials.json
// (0600); the operator reads, cannot write, and nobody reads the service's
// secrets off the data directory through it.
func TestEmbeddedClickHouseLockedDown(t *testing.T) {
	m := mustOpenMain(t, func(c *Config) { c.Consumers = false })
	path := filepath.Join(m.Config.DataDir, clickHouseCredentialsFile)
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v, mode %v; want a 0600 file", path, err, st.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	var creds chembed.Credentials
	if err := json.Unmarshal(b, &creds); err != nil || creds != m.ClickHouse().Credentials() {
		t.Fatalf("credentials file %s does not hold the endpoint's accounts: %v", path, err)
	}
	secrets, _ := os.ReadFile(filepath.Join(m.Config.DataDir, "secrets.json"))
	if len(secrets) == 0 {
		t.Fatal("no secrets.json to protect")
	}
	ask := func(acct *chembed.Account, sql string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, m.ClickHouse().URL()+"/", strings.NewReader(sql))
		if acct != nil {
			req.SetBasicAuth(acct.User, acct.Password)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := ask(nil, "SELECT count() FROM bussola.intranet_events"); code != http.StatusUnauthorized {
		t.Errorf("anonymous query: %d %q, want 401", code, body)
	}
	if code, body := ask(&creds.Operator, "SELECT count() FROM bussola.intranet_events"); code != http.StatusOK || body != "0\n" {
		t.Errorf("operator query: %d %q, want 200 and 0 rows", code, body)
	}
	if code, body := ask(&creds.Operator, "DROP TABLE bussola.intranet_events"); code != http.StatusForbidden {
		t.Errorf("operator DROP: %d %q, want 403", code, body)
	}
	for _, acct := range []*chembed.Account{&creds.Service, &creds.Operator} {
		for _, sql := range []string{
			"SELECT file(" + chQuote(filepath.Join(m.Config.DataDir, "secrets.json")) + ")",
			"SELECT * FROM file(" + chQuote(filepath.Join(m.Config.DataDir, "secrets.json")) + ", 'RawBLOB')",
			"SELECT * FROM file(" + chQuote(path) + ", 'RawBLOB')",
		} {
			if code, body := ask(acct, sql); code == http.StatusOK || strings.Contains(body, string(secrets)) || strings.Contains(body, creds.Service.Password) {
				t.Errorf("%s: %s answered %d %q", acct.User, sql, code, body)
			}
		}
	}
	if got := m.clickhouseURL(); strings.Contains(got, creds.Service.Password) {
		t.Errorf("the URL fit for logs carries the password: %s", got)
	}
}

func chQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "\\'") + "'" }
