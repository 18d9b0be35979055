package chembed_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bussola-pa/bussola/internal/chembed"
	"github.com/bussola-pa/bussola/internal/testenv"
)

// ask sends one query as acct by method (SQL in the URL for GET, in the
// body for POST) and returns status, exception code and body.
func ask(t *testing.T, srv *chembed.Server, acct chembed.Account, method, sql string, params url.Values) (int, string, string) {
	t.Helper()
	if params == nil {
		params = url.Values{}
	}
	var body io.Reader
	if method == http.MethodGet {
		params.Set("query", sql)
	} else {
		body = strings.NewReader(sql)
	}
	req, err := http.NewRequest(method, srv.URL()+"/?"+params.Encode(), body)
	if err != nil {
		t.Fatal(err)
	}
	if acct.User != "" {
		req.SetBasicAuth(acct.User, acct.Password)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("X-ClickHouse-Exception-Code"), string(b)
}

// secretFile writes a file holding a random secret, as the service's
// secrets.json and session.key are, and returns its path and the secret.
func secretFile(t *testing.T) (path, secret string) {
	t.Helper()
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	secret = "secret-" + hex.EncodeToString(b)
	path = filepath.Join(t.TempDir(), "session.key")
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, secret
}

// TestFilesNetworkAndProcessesOutOfReach: every account, by GET and by
// POST, is refused every way of reading a file, calling out or running a
// program that was found to work on the engine, however it is spelled, and
// the secret never appears in an answer or a table.
func TestFilesNetworkAndProcessesOutOfReach(t *testing.T) {
	srv := testenv.MustStartClickHouse(t)
	db := testenv.ClickHouseDatabase(t)
	creds := srv.Credentials()
	path, secret := secretFile(t)
	outFile := filepath.Join(t.TempDir(), "out.tsv")
	attachDir := t.TempDir() // ATTACH ... FROM would move it into the data directory
	// A script that would print the secret, where executable() looks for
	// scripts (the directory is empty in service): the guard must stop the
	// call even so.
	script := filepath.Join(srv.DataDir(), "bussola-engine", "no-user-scripts", "leak.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ncat "+path+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(script)
	var hits atomic.Int64
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.WriteString(w, secret)
	}))
	defer web.Close()
	if err := testenv.ExecClickHouse(srv, "CREATE TABLE "+db+".notes (s String) ENGINE = MergeTree ORDER BY s"); err != nil {
		t.Fatal(err)
	}
	p := "'" + path + "'"
	attacks := []struct{ name, sql string }{
		{"The file table function.", "SELECT * FROM file(" + p + ", 'RawBLOB')"},
		{"The scalar file function.", "SELECT file(" + p + ")"},
		{"file() in a subquery.", "SELECT * FROM (SELECT * FROM (SELECT file(" + p + ") AS s))"},
		{"file() behind comments.", "SELECT/**/*/**/FROM/* x */file/* y */(" + p + ",/**/'RawBLOB')"},
		{"file() in mixed case with a quoted name.", "SELECT `file`(" + p + ") UNION ALL SELECT \"file\"(" + p + ")"},
		{"file() with a hex escape in its quoted name.", "SELECT `fi\\x6Ce`(" + p + ")"},
		{"file() after a # comment holding a quote.", "# '\nSELECT file(" + p + ") -- '"},
		{"file() after a heredoc holding a quote.", "SELECT $$ ' $$, file(" + p + ") -- '"},
		{"file() after a Unicode space.", "SELECT file\u00a0(" + p + ")"},
		{"A path as a table name (the Filesystem overlay of the default database).", "SELECT * FROM default.`" + path + "`"},
		{"DESCRIBE of file() infers from the file.", "DESCRIBE TABLE file(" + p + ")"},
		{"A File table engine.", "CREATE TABLE " + db + ".f (s String) ENGINE = File(RawBLOB, " + p + ")"},
		{"A Filesystem database.", "CREATE DATABASE fsdb ENGINE = Filesystem('" + filepath.Dir(path) + "')"},
		{"INSERT ... VALUES evaluating file().", "INSERT INTO " + db + ".notes VALUES (file(" + p + "))"},
		{"INSERT ... SELECT from file().", "INSERT INTO " + db + ".notes SELECT * FROM file(" + p + ", 'RawBLOB')"},
		{"INSERT ... FROM INFILE.", "INSERT INTO " + db + ".notes FROM INFILE " + p + " FORMAT RawBLOB"},
		{"SELECT ... INTO OUTFILE.", "SELECT 'x' INTO OUTFILE '" + outFile + "'"},
		{"A Template format reading its template from a file.", "SELECT 1 AS d FORMAT Template SETTINGS format_template_row = " + p},
		{"The url table function.", "SELECT * FROM url('" + web.URL + "/', 'RawBLOB')"},
		{"A URL table engine.", "CREATE TABLE " + db + ".u (s String) ENGINE = URL('" + web.URL + "/', RawBLOB)"},
		{"The remote table function.", "SELECT * FROM remote('127.0.0.1:1', system.one)"},
		{"The s3 table function.", "SELECT * FROM s3('" + web.URL + "/bucket/key', 'RawBLOB')"},
		{"The executable table function.", "SELECT * FROM executable('leak.sh', 'RawBLOB', 's String')"},
		{"ATTACH from a directory.", "ATTACH TABLE " + db + ".a FROM '" + attachDir + "' (s String) ENGINE = MergeTree ORDER BY s"},
		{"A dictionary reading a file.", "CREATE DICTIONARY " + db + ".d (s String) PRIMARY KEY s SOURCE(FILE(path " + p + " format 'RawBLOB')) LAYOUT(FLAT()) LIFETIME(0)"},
		{"A SYSTEM command.", "SYSTEM FLUSH LOGS"},
		{"Granting oneself the FILE source.", "GRANT READ ON FILE TO default"},
	}
	accounts := []struct {
		name string
		acct chembed.Account
	}{{"service", creds.Service}, {"operator", creds.Operator}}
	for _, a := range accounts {
		for _, method := range []string{http.MethodPost, http.MethodGet} {
			for _, at := range attacks {
				t.Run(a.name+"/"+method+"/"+at.name, func(t *testing.T) {
					code, exc, body := ask(t, srv, a.acct, method, at.sql, url.Values{"database": {db}})
					if code == http.StatusOK {
						t.Errorf("answered 200: %q", body)
					}
					if exc == "" {
						t.Errorf("no X-ClickHouse-Exception-Code (status %d): %q", code, body)
					}
					if strings.Contains(body, secret) {
						t.Errorf("the secret is in the answer: %q", body)
					}
				})
			}
		}
	}
	t.Run("A path-valued setting as a URL parameter is refused.", func(t *testing.T) {
		code, _, body := ask(t, srv, creds.Service, http.MethodPost, "SELECT 1 AS d FORMAT Template",
			url.Values{"format_template_row": {path}})
		if code != http.StatusForbidden || strings.Contains(body, secret) {
			t.Errorf("got %d %q, want 403 without the secret", code, body)
		}
	})
	t.Run("INSERT ... VALUES with file() split between URL and body is refused.", func(t *testing.T) {
		code, _, body := post(t, srv.ServiceURL(), url.Values{"database": {db}, "query": {"INSERT INTO notes VALUES (fi"}},
			strings.NewReader("le("+p+"))"), nil)
		if code == http.StatusOK {
			t.Errorf("answered 200: %q", body)
		}
	})
	if got := mustGet(t, srv.ServiceURL()+"/?"+url.Values{"query": {"SELECT count() FROM " + db + ".notes WHERE s LIKE '%secret%'"}}.Encode()); got != "0\n" {
		t.Errorf("the secret reached a table: %q rows", got)
	}
	if _, err := os.Stat(attachDir); err != nil {
		t.Errorf("ATTACH took the directory away: %v", err)
	}
	if _, err := os.Stat(outFile); err == nil {
		t.Errorf("INTO OUTFILE wrote %s", outFile)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the engine called out %d times", n)
	}
}

// TestQueriesNeedAnAccount: no credentials, a wrong password, an unknown
// user or two ways at once get 401 with ClickHouse's code 516; each of the
// three ways ClickHouse accepts works on its own.
func TestQueriesNeedAnAccount(t *testing.T) {
	srv := testenv.MustStartClickHouse(t)
	svc := srv.Credentials().Service
	refused := []struct {
		name string
		set  func(r *http.Request)
	}{
		{"No credentials.", func(r *http.Request) {}},
		{"A wrong password.", func(r *http.Request) { r.SetBasicAuth(svc.User, svc.Password+"x") }},
		{"An unknown user with the right password.", func(r *http.Request) { r.SetBasicAuth("default", svc.Password) }},
		{"The operator's name with the service's password.", func(r *http.Request) { r.SetBasicAuth(chembed.OperatorUser, svc.Password) }},
		{"A wrong key in the ClickHouse headers.", func(r *http.Request) {
			r.Header.Set("X-ClickHouse-User", svc.User)
			r.Header.Set("X-ClickHouse-Key", "nope")
		}},
		{"A wrong password as URL parameters.", func(r *http.Request) {
			r.URL.RawQuery += "&" + url.Values{"user": {svc.User}, "password": {"nope"}}.Encode()
		}},
		{"Two ways at once.", func(r *http.Request) {
			r.SetBasicAuth(svc.User, svc.Password)
			r.URL.RawQuery += "&" + url.Values{"user": {svc.User}, "password": {svc.Password}}.Encode()
		}},
	}
	accepted := []struct {
		name string
		set  func(r *http.Request)
	}{
		{"HTTP Basic auth.", func(r *http.Request) { r.SetBasicAuth(svc.User, svc.Password) }},
		{"The X-ClickHouse-User and X-ClickHouse-Key headers.", func(r *http.Request) {
			r.Header.Set("X-ClickHouse-User", svc.User)
			r.Header.Set("X-ClickHouse-Key", svc.Password)
		}},
		{"The user and password URL parameters.", func(r *http.Request) {
			r.URL.RawQuery += "&" + url.Values{"user": {svc.User}, "password": {svc.Password}}.Encode()
		}},
	}
	do := func(t *testing.T, method string, set func(*http.Request)) (*http.Response, string) {
		req, _ := http.NewRequest(method, srv.URL()+"/?"+url.Values{"query": {"SELECT 42"}}.Encode(), nil)
		set(req)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		for _, tc := range refused {
			t.Run("Err/"+method+"/"+tc.name, func(t *testing.T) {
				resp, body := do(t, method, tc.set)
				if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("X-ClickHouse-Exception-Code") != "516" ||
					!strings.Contains(body, "Code: 516. DB::Exception:") || !strings.Contains(body, "AUTHENTICATION_FAILED") {
					t.Errorf("got %d code %q %q, want 401 with code 516", resp.StatusCode, resp.Header.Get("X-ClickHouse-Exception-Code"), body)
				}
				if strings.Contains(body, "42") {
					t.Errorf("the query ran: %q", body)
				}
			})
		}
		for _, tc := range accepted {
			t.Run("OK/"+method+"/"+tc.name, func(t *testing.T) {
				if resp, body := do(t, method, tc.set); resp.StatusCode != http.StatusOK || body != "42\n" {
					t.Errorf("got %d %q, want 200 42", resp.StatusCode, body)
				}
			})
		}
	}
	if got := mustGet(t, srv.URL()+"/ping"); got != "Ok.\n" {
		t.Errorf("/ping without credentials: %q, want Ok. (as a ClickHouse server)", got)
	}
}

// TestGETAndOperatorAreReadOnly: a GET, from either account, and anything
// from the operator cannot create, insert, alter or drop; the operator
// reads what the service wrote.
func TestGETAndOperatorAreReadOnly(t *testing.T) {
	srv := testenv.MustStartClickHouse(t)
	db := testenv.ClickHouseDatabase(t)
	creds := srv.Credentials()
	if err := testenv.ExecClickHouse(srv, "CREATE TABLE "+db+".kept (n UInt8) ENGINE = MergeTree ORDER BY n"); err != nil {
		t.Fatal(err)
	}
	if err := testenv.ExecClickHouse(srv, "INSERT INTO "+db+".kept VALUES (7)"); err != nil {
		t.Fatal(err)
	}
	writes := []string{
		"CREATE TABLE " + db + ".made (n UInt8) ENGINE = MergeTree ORDER BY n",
		"DROP TABLE " + db + ".kept",
		"TRUNCATE TABLE " + db + ".kept",
		"INSERT INTO " + db + ".kept VALUES (8)",
		"INSERT INTO " + db + ".kept SELECT 9",
		"ALTER TABLE " + db + ".kept DELETE WHERE 1",
		"CREATE DATABASE made_by_get",
		"SELECT 1 SETTINGS readonly = 0",
	}
	for _, tc := range []struct {
		name   string
		acct   chembed.Account
		method string
	}{
		{"The service by GET.", creds.Service, http.MethodGet},
		{"The operator by GET.", creds.Operator, http.MethodGet},
		{"The operator by POST.", creds.Operator, http.MethodPost},
	} {
		for _, sql := range writes {
			t.Run(tc.name+"/"+sql, func(t *testing.T) {
				code, exc, body := ask(t, srv, tc.acct, tc.method, sql, nil)
				if code != http.StatusForbidden || exc != "164" {
					t.Errorf("got %d code %q %q, want 403 with code 164 (READONLY)", code, exc, body)
				}
			})
		}
		t.Run(tc.name+"/SELECT reads.", func(t *testing.T) {
			code, _, body := ask(t, srv, tc.acct, tc.method, "SELECT n FROM "+db+".kept", nil)
			if code != http.StatusOK || body != "7\n" {
				t.Errorf("got %d %q, want 200 7", code, body)
			}
		})
	}
	code, _, body := ask(t, srv, creds.Service, http.MethodGet, fmt.Sprintf("SELECT count() FROM system.tables WHERE database = '%s'", db), nil)
	if code != http.StatusOK || body != "1\n" {
		t.Errorf("after the refused writes the database holds %q tables (status %d), want just the one", body, code)
	}
}

// TestCredentialsFile: created private, kept across starts, made private
// again if loosened, and a broken file names the field at fault.
func TestCredentialsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "credentials.json")
	first, err := chembed.LoadOrCreateCredentials(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v (%v), want 0600", st.Mode().Perm(), err)
	}
	if first.Service.Password == first.Operator.Password || len(first.Service.Password) < 32 {
		t.Errorf("weak or shared passwords: %+v", first)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := chembed.LoadOrCreateCredentials(path)
	if err != nil || again != first {
		t.Fatalf("second load: %+v, %v; want the same accounts", again, err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("a loosened file stays %v, want 0600 again", st.Mode().Perm())
	}
	if err := os.WriteFile(path, []byte(`{"service":{"user":"bussola","password":"short"},"operator":{"user":"operator","password":"0123456789abcdef0123"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := chembed.LoadOrCreateCredentials(path); err == nil || !strings.Contains(err.Error(), "service.password") {
		t.Errorf("a short password: %v, want an error naming service.password", err)
	}
}
