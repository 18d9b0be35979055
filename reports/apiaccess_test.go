package reports_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

// apiEnv serves a stand-in JSON API behind APIRead next to the report
// routes, with an API tokens file in a temporary directory.
type apiEnv struct {
	*env
	tokensPath string
}

func mustStartAPI(tb testing.TB, audit reports.AuditLog) *apiEnv {
	tb.Helper()
	dir, _ := assetsDir(tb)
	buf := &syncBuf{}
	if audit == nil {
		audit = reports.NewJSONLAudit(buf)
	}
	tokensPath := filepath.Join(tb.TempDir(), "api-tokens.json")
	store := reportstest.New()
	srv, err := reports.New(reports.Config{AssetsDir: dir, SessionKey: bytes.Repeat([]byte("k"), 32), APITokensFile: tokensPath},
		store, store, reportstest.MustUsers(tb), audit)
	if err != nil {
		tb.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	srv.Register(r)
	r.Group("/api/v1/assessment", srv.APIRead(reports.PageReadiness, "tenant")).GET("/results", func(g *gin.Context) {
		if g.Query("wave") == "panic" {
			panic("handler bug")
		}
		if g.Query("wave") == "missing" {
			g.AbortWithStatusJSON(http.StatusNotFound, gin.H{"error": "wave: not scored"})
			return
		}
		g.JSON(http.StatusOK, gin.H{"tenant": reports.APITenant(g), "mean": 3.5})
	})
	r.GET("/ops-detail", func(g *gin.Context) {
		if !srv.SignedInAdmin(g) {
			g.Status(http.StatusForbidden)
			return
		}
		g.String(http.StatusOK, "counts")
	})
	ts := httptest.NewServer(r)
	tb.Cleanup(ts.Close)
	return &apiEnv{env: &env{srv: srv, ts: ts, audit: buf}, tokensPath: tokensPath}
}

// token creates an API token for user, as `bussola api-token create` does.
func (e *apiEnv) token(tb testing.TB, user string, ttl time.Duration) (string, reports.APITokenRecord) {
	tb.Helper()
	f, err := reports.ReadAPITokensFile(e.tokensPath)
	if err != nil {
		tb.Fatal(err)
	}
	tok, rec, err := reports.NewAPIToken(user, "test", time.Now(), ttl)
	if err != nil {
		tb.Fatal(err)
	}
	f.Tokens = append(f.Tokens, rec)
	if err := reports.WriteAPITokensFile(e.tokensPath, f); err != nil {
		tb.Fatal(err)
	}
	return tok, rec
}

func (e *apiEnv) read(tb testing.TB, c *http.Client, query, bearer string) (int, string) {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/api/v1/assessment/results?"+query, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, readAll(tb, resp)
}

func auditEntries(tb testing.TB, s string) []reports.AuditEntry {
	tb.Helper()
	var out []reports.AuditEntry
	for line := range strings.Lines(s) {
		var e reports.AuditEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			tb.Fatal(err)
		}
		if strings.HasPrefix(e.Route, "/api/") {
			out = append(out, e)
		}
	}
	return out
}

func TestAPIRead(t *testing.T) {
	e := mustStartAPI(t, nil)
	hrA, hrRec := e.token(t, reportstest.HRA, 0)
	leadA, _ := e.token(t, reportstest.LeadA, 0)
	execAB, _ := e.token(t, reportstest.ExecAB, 0)
	expired, _ := e.token(t, reportstest.HRA, time.Nanosecond)
	revoked, revRec := e.token(t, reportstest.AdminA, 0)
	f, _ := reports.ReadAPITokensFile(e.tokensPath)
	f, err := reports.RevokeAPIToken(f, revRec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteAPITokensFile(e.tokensPath, f); err != nil {
		t.Fatal(err)
	}
	qa := "tenant=" + reportstest.TenantA + "&wave=2025-10"
	qb := "tenant=" + reportstest.TenantB + "&wave=2025-10"

	// want lists the audit entries the requests below must leave, in order.
	type want struct {
		user, cred, tenant, action string
		status                     int
	}
	var wants []want
	refused := func(t *testing.T, name, query, bearer string, c *http.Client, status int, w want) {
		t.Helper()
		code, body := e.read(t, c, query, bearer)
		if code != status {
			t.Errorf("%s: want %d, got %d %s", name, status, code, body)
		}
		if strings.Contains(body, "3.5") {
			t.Errorf("%s: the refusal carries data: %s", name, body)
		}
		w.status = code
		wants = append(wants, w)
	}

	t.Run("ErrUnauthorized for an ingest token, a malformed, expired or revoked token, another scheme and no credential", func(t *testing.T) {
		ingestToken := strings.Repeat("ab", 24) // what --ingest-tokens holds: any bearer that is not an API token
		refused(t, "ingest token", qa, ingestToken, nil, http.StatusUnauthorized, want{cred: "bearer:invalid", tenant: "", action: reports.ActionAPIDenied})
		refused(t, "forged token with a real id", qa, "bsk_"+hrRec.ID+"_"+strings.Repeat("A", 43), nil, http.StatusUnauthorized, want{cred: "bearer:invalid", action: reports.ActionAPIDenied})
		refused(t, "expired token", qa, expired, nil, http.StatusUnauthorized, want{cred: "bearer:invalid", action: reports.ActionAPIDenied})
		refused(t, "revoked token", qa, revoked, nil, http.StatusUnauthorized, want{cred: "bearer:invalid", action: reports.ActionAPIDenied})
		refused(t, "no credential", qa, "", nil, http.StatusUnauthorized, want{cred: "none", action: reports.ActionAPIDenied})
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/api/v1/assessment/results?"+qa, nil)
		req.SetBasicAuth(reportstest.HRA, reportstest.Password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(t, resp); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Authorization") {
			t.Errorf("HTTP Basic with a report password: want 401 naming Authorization, got %d %s", resp.StatusCode, body)
		}
		wants = append(wants, want{cred: "authorization:basic", action: reports.ActionAPIDenied, status: http.StatusUnauthorized})
	})

	t.Run("ErrForbidden for a role that may not read readiness or another tenant", func(t *testing.T) {
		refused(t, "project lead of A", qa, leadA, nil, http.StatusForbidden, want{user: reportstest.LeadA, cred: "api_token:", tenant: reportstest.TenantA, action: reports.ActionAPIDenied})
		refused(t, "project lead of A, tenant left empty", "wave=2025-10", leadA, nil, http.StatusForbidden, want{user: reportstest.LeadA, cred: "api_token:", action: reports.ActionAPIDenied})
		refused(t, "HR of A reading B", qb, hrA, nil, http.StatusForbidden, want{user: reportstest.HRA, cred: "api_token:", tenant: reportstest.TenantB, action: reports.ActionAPIDenied})
		lead := e.client(t, reportstest.LeadA)
		refused(t, "project lead's session", qa, "", lead, http.StatusForbidden, want{user: reportstest.LeadA, cred: "session", tenant: reportstest.TenantA, action: reports.ActionAPIDenied})
	})

	t.Run("OK a readiness role reads its tenants with an API token or a session", func(t *testing.T) {
		for _, c := range []struct {
			name, query, bearer string
			client              *http.Client
			w                   want
		}{
			{"HR of A", qa, hrA, nil, want{user: reportstest.HRA, cred: "api_token:", tenant: reportstest.TenantA}},
			{"HR of A, tenant left empty", "wave=2025-10", hrA, nil, want{user: reportstest.HRA, cred: "api_token:", tenant: reportstest.TenantA}},
			{"executive of A and B reading B", qb, execAB, nil, want{user: reportstest.ExecAB, cred: "api_token:", tenant: reportstest.TenantB}},
			{"admin of B signed in", qb, "", e.client(t, reportstest.AdminB), want{user: reportstest.AdminB, cred: "session", tenant: reportstest.TenantB}},
		} {
			code, body := e.read(t, c.client, c.query, c.bearer)
			if code != http.StatusOK || !strings.Contains(body, `"tenant":"`+c.w.tenant+`"`) {
				t.Errorf("%s: want 200 for %s, got %d %s", c.name, c.w.tenant, code, body)
			}
			c.w.action, c.w.status = reports.ActionAPIRead, code
			wants = append(wants, c.w)
		}
		code, _ := e.read(t, nil, "tenant="+reportstest.TenantA+"&wave=missing", hrA)
		if code != http.StatusNotFound {
			t.Errorf("the handler's 404: got %d", code)
		}
		wants = append(wants, want{user: reportstest.HRA, cred: "api_token:", tenant: reportstest.TenantA, action: reports.ActionAPIRead, status: code})
		code, _ = e.read(t, nil, "tenant="+reportstest.TenantA+"&wave=panic", hrA)
		if code != http.StatusInternalServerError {
			t.Errorf("a handler that panics: want 500, got %d", code)
		}
		wants = append(wants, want{user: reportstest.HRA, cred: "api_token:", tenant: reportstest.TenantA, action: reports.ActionAPIRead, status: http.StatusInternalServerError})
	})

	t.Run("OK every read, allowed or refused, leaves one audit entry with who, what, which tenant, when and the outcome", func(t *testing.T) {
		got := auditEntries(t, e.audit.String())
		if len(got) != len(wants) {
			t.Fatalf("%d audit entries for %d reads:\n%s", len(got), len(wants), e.audit.String())
		}
		for i, w := range wants {
			g := got[i]
			if g.User != w.user || !strings.HasPrefix(g.Credential, w.cred) || g.Tenant != w.tenant || g.Action != w.action ||
				g.Status != w.status || g.Route != "/api/v1/assessment/results" || g.Page != "readiness" ||
				!strings.Contains(g.Filters, "wave=") || time.Since(g.At) > time.Hour || g.At.IsZero() {
				t.Errorf("entry %d: want %+v, got %+v", i, w, g)
			}
		}
		for _, tok := range []string{hrA, leadA, execAB, expired, revoked} {
			if strings.Contains(e.audit.String(), tok) {
				t.Errorf("the audit log holds a token")
			}
		}
	})
}

type failingAudit struct{}

func (failingAudit) Record(context.Context, reports.AuditEntry) error { return errors.New("disk full") }

func TestAPIReadWithoutAudit(t *testing.T) {
	e := mustStartAPI(t, failingAudit{})
	tok, _ := e.token(t, reportstest.HRA, 0)
	code, body := e.read(t, nil, "tenant="+reportstest.TenantA, tok)
	if code != http.StatusServiceUnavailable || strings.Contains(body, "3.5") {
		t.Errorf("a read that cannot be audited: want 503 without data, got %d %s", code, body)
	}
}

func TestAPITokensFile(t *testing.T) {
	e := mustStartAPI(t, nil)
	tok, _ := e.token(t, reportstest.HRA, 0)
	t.Run("OK the file keeps no token, only its hash, readable by its owner only", func(t *testing.T) {
		b, err := os.ReadFile(e.tokensPath)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(tok)) || bytes.Contains(b, []byte(tok[21:])) {
			t.Errorf("the tokens file holds the token: %s", b)
		}
		st, _ := os.Stat(e.tokensPath)
		if st.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", st.Mode().Perm())
		}
	})
	t.Run("ErrUnauthorized for a token no longer in the file, at the next request", func(t *testing.T) {
		if code, _ := e.read(t, nil, "tenant="+reportstest.TenantA, tok); code != http.StatusOK {
			t.Fatalf("before: %d", code)
		}
		if err := reports.WriteAPITokensFile(e.tokensPath, reports.APITokensFile{}); err != nil {
			t.Fatal(err)
		}
		if code, _ := e.read(t, nil, "tenant="+reportstest.TenantA, tok); code != http.StatusUnauthorized {
			t.Errorf("after revocation: want 401, got %d", code)
		}
	})
}

func TestStaticDirectoriesAreNotListed(t *testing.T) {
	e := mustStart(t)
	c := http.DefaultClient // follows the redirect of /assets/app to /assets/app/
	for _, dir := range []string{"/assets/app/", "/assets/app", "/assets/echarts/", "/assets/echarts/../echarts/"} {
		code, body := get(t, c, e.ts.URL+dir)
		if code != http.StatusNotFound || strings.Contains(body, "app.js") || strings.Contains(body, "echarts.min.js") || strings.Contains(body, "<pre>") {
			t.Errorf("GET %s: want 404 and no listing, got %d %s", dir, code, body)
		}
	}
	if code, _ := get(t, c, e.ts.URL+"/assets/app/app.js"); code != http.StatusOK {
		t.Errorf("GET /assets/app/app.js: %d, want 200", code)
	}
}

func TestSignedInAdmin(t *testing.T) {
	e := mustStartAPI(t, nil)
	for user, want := range map[string]int{reportstest.AdminB: http.StatusOK, reportstest.HRA: http.StatusForbidden, reportstest.ExecAB: http.StatusForbidden, "": http.StatusForbidden} {
		if code, _ := get(t, e.client(t, user), e.ts.URL+"/ops-detail"); code != want {
			t.Errorf("%q: want %d, got %d", user, want, code)
		}
	}
	tok, _ := e.token(t, reportstest.AdminA, 0)
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/ops-detail", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if readAll(t, resp); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an admin's API token is for the assessment API only: want 403, got %d", resp.StatusCode)
	}
}
