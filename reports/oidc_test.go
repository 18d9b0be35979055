package reports_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

func TestSSOLoginPageOffersBothWays(t *testing.T) {
	x := mustStartSSO(t, nil)
	status, body := get(t, newBrowser(), x.ts.URL+"/login?next=%2Freports%2Fimpact")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{`href="/login/oidc?next=%2freports%2fimpact&amp;lang=it"`, "Accedi con l&#39;account dell&#39;ente", `name="password"`} {
		if !strings.Contains(body, want) {
			t.Errorf("login page lacks %s", want)
		}
	}
	plain := mustStart(t)
	if _, body := get(t, newBrowser(), plain.ts.URL+"/login"); strings.Contains(body, "/login/oidc") {
		t.Error("without single sign-on configured, the login page offers it")
	}
}

func TestSSOGroupsMapToRoles(t *testing.T) {
	x := mustStartSSO(t, nil)
	A, B := "?tenant="+reportstest.TenantA, "?tenant="+reportstest.TenantB
	for _, tc := range []struct {
		name, user      string
		allowed, denied []string
	}{
		{"a member of Bussola-HR is HR of the default entity", "ada.rossi",
			[]string{"/reports/readiness" + A, "/reports/communication" + A, "/reports/executive" + A},
			[]string{"/reports/impact" + A, "/reports/pipeline" + A, "/reports/readiness" + B, "/reports/readiness/data.json" + B}},
		{"a member of the AD group of the management is executive of both entities", "bruno.verdi",
			[]string{"/reports/impact" + A, "/reports/readiness" + B, "/reports/executive" + B},
			[]string{"/reports/communication" + A, "/reports/pipeline" + A, "/reports/pipeline" + B}},
		{"a single group sent as a string maps too: admin of the default entity", "dario.gallo",
			[]string{"/reports/pipeline" + A, "/reports/impact" + A},
			[]string{"/reports/readiness" + B, "/reports/pipeline" + B}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := x.ssoClient(t, tc.user)
			for _, p := range tc.allowed {
				if status, body := get(t, c, x.ts.URL+p); status != http.StatusOK {
					t.Errorf("%s: status %d, want 200: %.200s", p, status, body)
				}
			}
			for _, p := range tc.denied {
				if status, _ := get(t, c, x.ts.URL+p); status != http.StatusForbidden && status != http.StatusNotFound {
					t.Errorf("%s: status %d, want 403/404", p, status)
				}
			}
			if !strings.Contains(x.audit.String(), `"user":"oidc:`+tc.user+`","action":"login"`) {
				t.Errorf("audit log has no sign-in of oidc:%s:\n%s", tc.user, x.audit.String())
			}
		})
	}
}

func TestSSOUserWithoutMappedGroupIsRefused(t *testing.T) {
	x := mustStartSSO(t, nil)
	c := newBrowser()
	back, _ := x.begin(t, c, "carla.neri")
	status, body := x.finish(t, c, back)
	if status != http.StatusForbidden {
		t.Fatalf("status %d, want 403", status)
	}
	if !strings.Contains(body, "carla.neri") || !strings.Contains(body, "nessuno dei suoi gruppi dà accesso a Bussola") {
		t.Errorf("the refusal does not say why:\n%s", body)
	}
	if x.signedIn(t, c) {
		t.Error("a user with no mapped group holds a session")
	}
}

func TestSSOTamperedStateIsRefused(t *testing.T) {
	x := mustStartSSO(t, nil)
	for _, tc := range []struct {
		name   string
		tamper func(c *http.Client, back *url.URL) (*http.Client, *url.URL)
	}{
		{"a changed state", func(c *http.Client, back *url.URL) (*http.Client, *url.URL) {
			q := back.Query()
			q.Set("state", q.Get("state")+"x")
			back.RawQuery = q.Encode()
			return c, back
		}},
		{"no state", func(c *http.Client, back *url.URL) (*http.Client, *url.URL) {
			q := back.Query()
			q.Del("state")
			back.RawQuery = q.Encode()
			return c, back
		}},
		{"a flow cookie whose signature does not match", func(c *http.Client, back *url.URL) (*http.Client, *url.URL) {
			for _, ck := range c.Jar.Cookies(back) {
				if ck.Name == "bussola_oidc" {
					v := []byte(ck.Value)
					v[len(v)-2] ^= 1 // a character of the signature
					c.Jar.SetCookies(back, []*http.Cookie{{Name: ck.Name, Value: string(v), Path: "/login/oidc"}})
					return c, back
				}
			}
			panic("no flow cookie")
		}},
		{"the callback delivered to another browser (login CSRF)", func(_ *http.Client, back *url.URL) (*http.Client, *url.URL) {
			return newBrowser(), back
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newBrowser()
			back, _ := x.begin(t, c, "ada.rossi")
			c, back = tc.tamper(c, back)
			if status, body := x.finish(t, c, back); status != http.StatusForbidden || !strings.Contains(body, "non è valida o è scaduta") {
				t.Fatalf("status %d, want 403 with the refusal: %.300s", status, body)
			}
			if x.signedIn(t, c) {
				t.Error("the browser holds a session")
			}
		})
	}
}

func TestSSOProviderRefusalIsShown(t *testing.T) {
	x := mustStartSSO(t, nil)
	c := newBrowser()
	back, _ := x.begin(t, c, "ada.rossi")
	back.RawQuery = url.Values{"error": {"access_denied"}, "state": {back.Query().Get("state")}}.Encode()
	status, body := x.finish(t, c, back)
	if status != http.StatusForbidden || !strings.Contains(body, "Il fornitore di identità non ha concesso l&#39;accesso") {
		t.Fatalf("status %d, want 403 saying the provider refused: %.300s", status, body)
	}
	if x.signedIn(t, c) {
		t.Error("the browser holds a session")
	}
}

func TestSSOInjectedTokenIsRefused(t *testing.T) {
	x := mustStartSSO(t, nil)
	for _, tc := range []struct {
		name   string
		accept bool
		mint   func(t *testing.T, nonce string) []byte
	}{
		{"a genuine token of this flow, handed over by the swap, is accepted", true, func(t *testing.T, nonce string) []byte {
			return x.op.mint(t, rpClientID, rpSecret, x.callback, nonce, "ada.rossi")
		}},
		{"a token with another nonce (replayed from another sign-in)", false, func(t *testing.T, _ string) []byte {
			return x.op.mint(t, rpClientID, rpSecret, x.callback, "another-sign-in", "ada.rossi")
		}},
		{"a token from another issuer signing with the same key", false, func(t *testing.T, nonce string) []byte {
			return x.otherOP.mint(t, rpClientID, rpSecret, x.callback, nonce, "ada.rossi")
		}},
		{"a token issued to another application (audience)", false, func(t *testing.T, nonce string) []byte {
			return x.op.mint(t, otherClient, otherSecret, otherRedirct, nonce, "ada.rossi")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newBrowser()
			back, nonce := x.begin(t, c, "carla.neri")
			tok := tc.mint(t, nonce)
			x.swap.body.Store(&tok)
			status, body := x.finish(t, c, back)
			if tc.accept {
				if status != http.StatusSeeOther || !x.signedIn(t, c) {
					t.Fatalf("status %d, want 303 and a session: %.300s", status, body)
				}
				return
			}
			if status != http.StatusForbidden || !strings.Contains(body, "non è valida o è scaduta") {
				t.Fatalf("status %d, want 403 with the refusal: %.300s", status, body)
			}
			if x.signedIn(t, c) {
				t.Error("the browser holds a session")
			}
		})
	}
}

func TestSSOLocalAccountsStillWork(t *testing.T) {
	h, err := bcrypt.GenerateFromPassword([]byte(reportstest.Password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	users, err := reports.NewUserStore(reports.UsersFile{Users: []reports.UserRecord{
		{Username: reportstest.HRA, PasswordHash: string(h), Roles: map[string][]reports.Role{reportstest.TenantA: {reports.RoleHR}}},
		{Username: "oidc:ada.rossi", PasswordHash: string(h), Roles: map[string][]reports.Role{reportstest.TenantB: {reports.RoleExecutive}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	x := mustStartSSO(t, users)
	t.Run("a local account signs in with its password", func(t *testing.T) {
		c := x.client(t, reportstest.HRA)
		if status, _ := get(t, c, x.ts.URL+"/reports/readiness"); status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
	})
	t.Run("a local account named like a provider's user cannot sign in", func(t *testing.T) {
		x.ssoClient(t, "ada.rossi")
		c := newBrowser()
		_, page := get(t, c, x.ts.URL+"/login")
		m := csrfRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("login page has no csrf token")
		}
		resp, err := c.PostForm(x.ts.URL+"/login", url.Values{"csrf": {m[1]}, "username": {"oidc:ada.rossi"}, "password": {reportstest.Password}})
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, resp)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", resp.StatusCode)
		}
	})
}

func TestParseGroupRoles(t *testing.T) {
	ok, err := reports.ParseGroupRoles(reports.GroupRolesFile{DefaultEntity: "comune-a",
		Groups: map[string][]string{"hr": {"hr", "admin@comune-b"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ok["hr"]; len(got) != 2 || got["comune-a"][0] != reports.RoleHR || got["comune-b"][0] != reports.RoleAdmin {
		t.Errorf("mapping %v", got)
	}
	for _, tc := range []struct {
		name string
		f    reports.GroupRolesFile
		want string
	}{
		{"ErrUnknownRole", reports.GroupRolesFile{Groups: map[string][]string{"g": {"boss@comune-a"}}}, `groups["g"]: "boss@comune-a": the role must be one of`},
		{"ErrNoEntity", reports.GroupRolesFile{Groups: map[string][]string{"g": {"hr"}}}, `groups["g"]: "hr" names no entity`},
		{"ErrBadEntity", reports.GroupRolesFile{Groups: map[string][]string{"g": {"hr@Comune A"}}}, "the entity must be a lower-case slug"},
		{"ErrBadDefault", reports.GroupRolesFile{DefaultEntity: "Comune", Groups: map[string][]string{"g": {"hr"}}}, "default_entity"},
		{"ErrNoGroups", reports.GroupRolesFile{}, "at least one group"},
		{"ErrNoRoles", reports.GroupRolesFile{Groups: map[string][]string{"g": {}}}, `groups["g"]: lists no role`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := reports.ParseGroupRoles(tc.f)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %q", err, tc.want)
			}
		})
	}
}

// BenchmarkSSOSignIn measures a whole sign-in through the in-process
// provider: redirect, the provider's login form, callback, code exchange
// and ID token verification.
func BenchmarkSSOSignIn(b *testing.B) {
	x := mustStartSSO(b, nil)
	for b.Loop() {
		c := newBrowser()
		back, _ := x.begin(b, c, "ada.rossi")
		if status, _ := x.finish(b, c, back); status != http.StatusSeeOther {
			b.Fatalf("status %d", status)
		}
	}
}
