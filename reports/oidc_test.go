package reports_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/crypto/bcrypt"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

// The identity provider of these tests is zitadel's OpenID Provider
// (pkg/op) over its example in-memory storage, with a login form, served
// by an httptest server. Its users carry groups in the ID
// token as Keycloak's group mapper puts them.

const (
	opPassword   = "op-password-2025"
	rpClientID   = "bussola"
	rpSecret     = "bussola-client-secret"
	otherClient  = "protocollo"
	otherSecret  = "protocollo-client-secret"
	otherRedirct = "http://protocollo.invalid/callback"
)

type opUser struct {
	id, username string
	groups       any // []string, or one string as ADFS sends a single group
}

var opUsers = []opUser{
	{"u-ada", "ada.rossi", []string{"Bussola-HR", "Dipendenti"}},
	{"u-bruno", "bruno.verdi", []string{"CN=Bussola Direzione,OU=Gruppi,DC=regione,DC=it"}},
	{"u-carla", "carla.neri", []string{"Dipendenti", "Protocollo"}},
	{"u-dario", "dario.gallo", "Bussola-Admin"},
}

// ssoGroups is Bussola's group mapping for the tests.
var ssoGroups = reports.GroupRolesFile{
	DefaultEntity: reportstest.TenantA,
	Groups: map[string][]string{
		"Bussola-HR": {"hr"},
		"CN=Bussola Direzione,OU=Gruppi,DC=regione,DC=it": {"executive@" + reportstest.TenantA, "executive@" + reportstest.TenantB},
		"Bussola-Admin": {"admin"},
	},
}

// opUserStore implements the example storage's UserStore.
type opUserStore struct{ users map[string]*storage.User }

func (s opUserStore) GetUserByID(id string) *storage.User { return s.users[id] }
func (s opUserStore) GetUserByUsername(name string) *storage.User {
	for _, u := range s.users {
		if u.Username == name {
			return u
		}
	}
	return nil
}
func (opUserStore) ExampleClientID() string { return storage.ServiceUserID }

// opStorage is the example storage with groups and preferred_username in
// the ID token and a signing key shared between providers (as one
// multi-tenant provider signs for several issuers).
type opStorage struct {
	*storage.Storage
	key    *rsa.PrivateKey
	groups map[string]any
	names  map[string]string
}

type opKey struct{ key *rsa.PrivateKey }

func (k opKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k opKey) Algorithm() jose.SignatureAlgorithm          { return jose.RS256 }
func (k opKey) Key() any                                    { return k.key }
func (k opKey) ID() string                                  { return "shared-key" }
func (k opKey) Use() string                                 { return "sig" }

type opPublicKey struct{ opKey }

func (k opPublicKey) Key() any { return &k.key.PublicKey }

func (s *opStorage) SigningKey(context.Context) (op.SigningKey, error) { return opKey{s.key}, nil }
func (s *opStorage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{opPublicKey{opKey{s.key}}}, nil
}

func (s *opStorage) SetUserinfoFromRequest(ctx context.Context, ui *zoidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, req, scopes); err != nil {
		return err
	}
	ui.PreferredUsername = s.names[req.GetSubject()]
	ui.AppendClaims("groups", s.groups[req.GetSubject()])
	return nil
}

var (
	sharedKeyOnce sync.Once
	sharedKey     *rsa.PrivateKey
)

// provider is a running OpenID Provider.
type provider struct{ URL string }

// mustStartProvider serves an OpenID Provider knowing Bussola's client
// (redirecting to redirectURL) and another application's.
func mustStartProvider(tb testing.TB, redirectURL string) *provider {
	tb.Helper()
	sharedKeyOnce.Do(func() {
		var err error
		if sharedKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	users := opUserStore{users: map[string]*storage.User{}}
	st := &opStorage{key: sharedKey, groups: map[string]any{}, names: map[string]string{}}
	for _, u := range opUsers {
		users.users[u.id] = &storage.User{ID: u.id, Username: u.username, Password: opPassword, FirstName: u.username, EmailVerified: true}
		st.groups[u.id], st.names[u.id] = u.groups, u.username
	}
	st.Storage = storage.NewStorageWithClients(users, map[string]*storage.Client{
		rpClientID:  storage.WebClient(rpClientID, rpSecret, redirectURL),
		otherClient: storage.WebClient(otherClient, otherSecret, otherRedirct),
	})
	ts := httptest.NewUnstartedServer(nil)
	issuer := "http://" + ts.Listener.Addr().String()
	p, err := op.NewProvider(&op.Config{CryptoKey: sha256.Sum256([]byte("provider of the tests")), CodeMethodS256: true},
		st, op.StaticIssuer(issuer), op.WithAllowInsecure())
	if err != nil {
		tb.Fatal(err)
	}
	// The provider leaves the login form to the application: a username
	// and password form that completes the authorization request.
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/username", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<form method="post"><input type="hidden" name="id" value="%s"><input name="username"><input name="password" type="password"></form>`,
			html.EscapeString(r.URL.Query().Get("authRequestID")))
	})
	mux.HandleFunc("POST /login/username", op.NewIssuerInterceptor(p.IssuerFromRequest).HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PostFormValue("id")
		if err := st.CheckUsernamePassword(r.PostFormValue("username"), r.PostFormValue("password"), id); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, op.AuthCallbackURL(p)(r.Context(), id), http.StatusFound)
	}))
	mux.Handle("/", p)
	ts.Config.Handler = mux
	ts.Start()
	tb.Cleanup(ts.Close)
	return &provider{URL: issuer}
}

// signIn follows the provider's redirects from authURL, signs username in
// at its login form and returns where the provider sends the browser back.
func (p *provider) signIn(tb testing.TB, c *http.Client, authURL, username string) *url.URL {
	tb.Helper()
	next := authURL
	for range 10 {
		resp, err := c.Get(next)
		if err != nil {
			tb.Fatal(err)
		}
		readAll(tb, resp)
		if resp.StatusCode == http.StatusOK && resp.Request.URL.Path == "/login/username" {
			id := resp.Request.URL.Query().Get("authRequestID")
			resp, err = c.PostForm(p.URL+"/login/username", url.Values{"id": {id}, "username": {username}, "password": {opPassword}})
			if err != nil {
				tb.Fatal(err)
			}
			readAll(tb, resp)
		}
		loc, err := resp.Location()
		if err != nil {
			tb.Fatalf("provider at %s: status %d without a redirect", resp.Request.URL, resp.StatusCode)
		}
		if !strings.HasPrefix(loc.String(), p.URL+"/") {
			return loc
		}
		next = loc.String()
	}
	tb.Fatal("provider: too many redirects")
	return nil
}

// mint runs a whole code flow at the provider as client and returns the
// token endpoint's raw answer: an access token and an ID token for
// username carrying nonce, genuinely signed.
func (p *provider) mint(tb testing.TB, client, secret, redirectURL, nonce, username string) []byte {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	q := url.Values{"response_type": {"code"}, "client_id": {client}, "redirect_uri": {redirectURL},
		"scope": {"openid profile email"}, "state": {"minted"}, "nonce": {nonce}}
	back := p.signIn(tb, c, p.URL+"/authorize?"+q.Encode(), username)
	code := back.Query().Get("code")
	if code == "" {
		tb.Fatalf("provider sent back %s without a code", back)
	}
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/oauth/token", strings.NewReader(url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURL}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(client), url.QueryEscape(secret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	body := readAll(tb, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "id_token") {
		tb.Fatalf("token endpoint: %d %s", resp.StatusCode, body)
	}
	return []byte(body)
}

// swapTransport lets the real token request through, then, when armed,
// hands Bussola another token answer instead of the real one: a token
// injected by someone who intercepted or forged the callback.
type swapTransport struct{ body atomic.Pointer[[]byte] }

func (s *swapTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/oauth/token") {
		return resp, err
	}
	if b := s.body.Swap(nil); b != nil {
		resp.Body.Close()
		resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(*b)), int64(len(*b))
		resp.Header.Del("Content-Length")
	}
	return resp, nil
}

type ssoEnv struct {
	*env
	op, otherOP *provider
	swap        *swapTransport
	callback    string
}

// mustStartSSO serves the reports with single sign-on through a provider
// (and starts a second provider, another issuer signing with the same
// key). users nil uses the fixture users.
func mustStartSSO(tb testing.TB, users reports.UserStore) *ssoEnv {
	tb.Helper()
	dir, _ := assetsDir(tb)
	ts := httptest.NewUnstartedServer(nil)
	callback := "http://" + ts.Listener.Addr().String() + "/login/oidc/callback"
	x := &ssoEnv{op: mustStartProvider(tb, callback), otherOP: mustStartProvider(tb, callback), swap: &swapTransport{}, callback: callback}
	groups, err := reports.ParseGroupRoles(ssoGroups)
	if err != nil {
		tb.Fatal(err)
	}
	if users == nil {
		users = reportstest.MustUsers(tb)
	}
	audit := &syncBuf{}
	store := reportstest.New()
	srv, err := reports.New(reports.Config{AssetsDir: dir, SessionKey: bytes.Repeat([]byte("k"), 32),
		OIDC: reports.OIDCConfig{Issuer: x.op.URL, ClientID: rpClientID, ClientSecret: rpSecret, RedirectURL: callback,
			Groups: groups, HTTPClient: &http.Client{Transport: x.swap}}},
		store, store, users, reports.NewJSONLAudit(audit))
	if err != nil {
		tb.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	tb.Cleanup(ts.Close)
	x.env = &env{srv: srv, ts: ts, audit: audit}
	return x
}

// begin starts single sign-on in browser c and signs username in at the
// provider; it returns the callback the provider sends the browser to and
// the nonce Bussola asked for.
func (x *ssoEnv) begin(tb testing.TB, c *http.Client, username string) (*url.URL, string) {
	tb.Helper()
	resp, err := c.Get(x.ts.URL + "/login/oidc?next=" + url.QueryEscape("/reports/"))
	if err != nil {
		tb.Fatal(err)
	}
	readAll(tb, resp)
	auth, err := resp.Location()
	if err != nil || resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(auth.String(), x.op.URL+"/") {
		tb.Fatalf("sign-in start: status %d to %v", resp.StatusCode, auth)
	}
	q := auth.Query()
	if q.Get("state") == "" || q.Get("nonce") == "" || q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		tb.Fatalf("authorization request lacks state, nonce or an S256 PKCE challenge: %s", auth)
	}
	back := x.op.signIn(tb, c, auth.String(), username)
	if !strings.HasPrefix(back.String(), x.callback+"?") || back.Query().Get("code") == "" {
		tb.Fatalf("provider sent the browser to %s", back)
	}
	return back, q.Get("nonce")
}

// finish delivers the callback to Bussola.
func (x *ssoEnv) finish(tb testing.TB, c *http.Client, callback *url.URL) (int, string) {
	tb.Helper()
	return get(tb, c, callback.String())
}

func newBrowser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// ssoClient signs username in through the provider.
func (x *ssoEnv) ssoClient(tb testing.TB, username string) *http.Client {
	tb.Helper()
	c := newBrowser()
	back, _ := x.begin(tb, c, username)
	if status, body := x.finish(tb, c, back); status != http.StatusSeeOther {
		tb.Fatalf("callback for %s: status %d: %s", username, status, body)
	}
	return c
}

// signedIn reports whether c holds a session: the reports' home does not
// send it to the login page.
func (x *ssoEnv) signedIn(tb testing.TB, c *http.Client) bool {
	tb.Helper()
	resp, err := c.Get(x.ts.URL + "/reports/")
	if err != nil {
		tb.Fatal(err)
	}
	readAll(tb, resp)
	loc, _ := resp.Location()
	return loc == nil || !strings.HasPrefix(loc.Path, "/login")
}

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
