package reports_test

import (
	"bytes"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

// assetsDir returns the real ECharts dist directory when present; tests
// that need no browser fall back to a stub file.
func assetsDir(tb testing.TB) (dir string, real bool) {
	tb.Helper()
	d := reports.DefaultAssetsDir()
	if _, err := os.Stat(filepath.Join(d, "echarts.min.js")); err == nil {
		return d, true
	}
	d = tb.TempDir()
	if err := os.WriteFile(filepath.Join(d, "echarts.min.js"), []byte("/* stub */"), 0o644); err != nil {
		tb.Fatal(err)
	}
	return d, false
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

type env struct {
	srv   *reports.Server
	ts    *httptest.Server
	audit *syncBuf
}

// mustStart serves the report routes over the fixture store.
func mustStart(tb testing.TB) *env { tb.Helper(); return mustStartWith(tb, startOpts{}) }

// startOpts changes what mustStartWith serves; zero fields keep mustStart's.
type startOpts struct {
	users  reports.UserStore     // default: the fixture users
	config func(*reports.Config) // edits the configuration
	server func(*reports.Server) // runs before the server serves
}

// mustStartWith is mustStart with options.
func mustStartWith(tb testing.TB, o startOpts) *env {
	tb.Helper()
	dir, _ := assetsDir(tb)
	audit := &syncBuf{}
	store := reportstest.New()
	users := o.users
	if users == nil {
		users = reportstest.MustUsers(tb)
	}
	// No Chromium unless a test asks for it: the PDF export answers 503
	// at once instead of printing in every access test.
	cfg := reports.Config{AssetsDir: dir, SessionKey: bytes.Repeat([]byte("k"), 32), ChromiumPath: filepath.Join(tb.TempDir(), "no-chromium")}
	if o.config != nil {
		o.config(&cfg)
	}
	srv, err := reports.New(cfg, store, store, users, reports.NewJSONLAudit(audit))
	if err != nil {
		tb.Fatal(err)
	}
	if o.server != nil {
		o.server(srv)
	}
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	return &env{srv: srv, ts: ts, audit: audit}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// client returns an HTTP client signed in as user (no redirects followed).
func (e *env) client(tb testing.TB, user string) *http.Client {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if user == "" {
		return c
	}
	resp, err := c.Get(e.ts.URL + "/login")
	if err != nil {
		tb.Fatal(err)
	}
	body := readAll(tb, resp)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		tb.Fatal("login page has no csrf token")
	}
	resp, err = c.PostForm(e.ts.URL+"/login", url.Values{"csrf": {m[1]}, "username": {user}, "password": {reportstest.Password}, "next": {"/"}})
	if err != nil {
		tb.Fatal(err)
	}
	readAll(tb, resp)
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("login %s: status %d", user, resp.StatusCode)
	}
	return c
}

func readAll(tb testing.TB, resp *http.Response) string {
	tb.Helper()
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

func get(tb testing.TB, c *http.Client, u string) (int, string) {
	tb.Helper()
	resp, err := c.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, readAll(tb, resp)
}
