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
