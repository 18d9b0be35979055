package reports

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"
)

// OIDCConfig configures sign-in through the entity's identity provider
// (Keycloak, Entra ID, ADFS...): the authorization code flow with PKCE,
// state and nonce, as a confidential client. Roles come from the groups
// claim of the ID token through Groups; a user none of whose groups is
// mapped is refused. Local accounts keep working next to it.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL, exactly as its discovery
	// document (<Issuer>/.well-known/openid-configuration) states it.
	// Empty disables single sign-on.
	Issuer string
	// ClientID and ClientSecret identify Bussola at the provider.
	ClientID     string
	ClientSecret string
	// RedirectURL is the absolute callback URL registered at the provider;
	// its path must be <BaseURL path>login/oidc/callback.
	RedirectURL string
	// GroupsClaim names the ID token claim listing the user's groups
	// (default "groups"). A name the token lacks is also tried as a
	// dotted path ("realm_access.roles").
	GroupsClaim string
	// Groups maps group names to roles per entity (ReadGroupRolesFile).
	Groups GroupRoles
	// HTTPClient reaches the provider (discovery, keys, token endpoint);
	// nil uses a client with a 10 s timeout.
	HTTPClient *http.Client
}

// GroupRoles maps a group name of the identity provider to the roles its
// members get, per entity (tenant).
type GroupRoles map[string]map[string][]Role

// GroupRolesFile is the JSON form of the group mapping file. Each group
// lists "role@entity" grants; "role" alone grants it in DefaultEntity.
//
//	{"default_entity": "comune-a",
//	 "groups": {"bussola-hr": ["hr"],
//	            "CN=Bussola Direzione,OU=Gruppi,DC=comune,DC=it": ["executive@comune-a", "executive@comune-b"]}}
type GroupRolesFile struct {
	DefaultEntity string              `json:"default_entity,omitempty"`
	Groups        map[string][]string `json:"groups"`
}

// ReadGroupRolesFile reads and validates the group mapping file at path.
func ReadGroupRolesFile(path string) (GroupRoles, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read group mapping file: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f GroupRolesFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse group mapping file %s: %w", path, err)
	}
	return ParseGroupRoles(f)
}

// ParseGroupRoles validates f and returns its mapping.
func ParseGroupRoles(f GroupRolesFile) (GroupRoles, error) {
	if f.DefaultEntity != "" && !tenantRE.MatchString(f.DefaultEntity) {
		return nil, fmt.Errorf("group mapping default_entity: %q must be a lower-case slug", f.DefaultEntity)
	}
	if len(f.Groups) == 0 {
		return nil, errors.New("group mapping groups: at least one group is required")
	}
	out := GroupRoles{}
	for g, grants := range f.Groups {
		if strings.TrimSpace(g) == "" {
			return nil, errors.New("group mapping groups: a group name is empty")
		}
		if len(grants) == 0 {
			return nil, fmt.Errorf("group mapping groups[%q]: lists no role", g)
		}
		for _, grant := range grants {
			role, tenant, hasTenant := strings.Cut(grant, "@")
			if !hasTenant {
				tenant = f.DefaultEntity
			}
			if !knownRole(Role(role)) {
				return nil, fmt.Errorf("group mapping groups[%q]: %q: the role must be one of admin, hr, project_lead, executive", g, grant)
			}
			if tenant == "" {
				return nil, fmt.Errorf("group mapping groups[%q]: %q names no entity: write role@entity or set default_entity", g, grant)
			}
			if !tenantRE.MatchString(tenant) {
				return nil, fmt.Errorf("group mapping groups[%q]: %q: the entity must be a lower-case slug", g, grant)
			}
			if out[g] == nil {
				out[g] = map[string][]Role{}
			}
			out[g][tenant] = append(out[g][tenant], Role(role))
		}
	}
	return out, nil
}

func knownRole(r Role) bool {
	switch r {
	case RoleAdmin, RoleHR, RoleProjectLead, RoleExecutive:
		return true
	}
	return false
}

// rolesOf merges the roles of the mapped groups among groups.
func (m GroupRoles) rolesOf(groups []string) map[string][]Role {
	out := map[string][]Role{}
	for _, g := range groups {
		for t, rs := range m[g] {
			for _, r := range rs {
				if !slices.Contains(out[t], r) {
					out[t] = append(out[t], r)
				}
			}
		}
	}
	for t := range out {
		slices.Sort(out[t])
	}
	return out
}

// OIDCUserPrefix starts the username of every user signed in through the
// identity provider; local accounts with such a name cannot sign in.
const OIDCUserPrefix = "oidc:"

// Lifetimes of the sign-in round trip and of the roles an ID token granted:
// the roles last as long as a session can, then the user signs in again
// and the provider's groups are read afresh.
const (
	oidcFlowTTL  = 10 * time.Minute
	oidcRolesTTL = 8 * time.Hour
	oidcCookie   = "bussola_oidc"
)

// oidcLogin is the relying party: configuration, the lazily discovered
// provider and the users it signed in.
type oidcLogin struct {
	cfg          OIDCConfig
	key          []byte // signs the flow cookie
	secure       bool
	cookiePath   string
	callbackPath string
	users        *oidcUsers

	mu       sync.Mutex
	provider *oidc.Provider
}

func newOIDCLogin(cfg OIDCConfig, sessionKey []byte, secure bool, prefix string) (*oidcLogin, error) {
	iss, err := url.Parse(cfg.Issuer)
	if err != nil || (iss.Scheme != "https" && iss.Scheme != "http") || iss.Host == "" {
		return nil, fmt.Errorf("reports config OIDC.Issuer: %q must be an absolute http(s) URL", cfg.Issuer)
	}
	if cfg.ClientID == "" {
		return nil, errors.New("reports config OIDC.ClientID: is required")
	}
	if cfg.ClientSecret == "" {
		return nil, errors.New("reports config OIDC.ClientSecret: is required (Bussola is a confidential client)")
	}
	callback := prefix + "/login/oidc/callback"
	ru, err := url.Parse(cfg.RedirectURL)
	if err != nil || (ru.Scheme != "https" && ru.Scheme != "http") || ru.Host == "" || ru.Path != callback {
		return nil, fmt.Errorf("reports config OIDC.RedirectURL: %q must be an absolute http(s) URL with path %s", cfg.RedirectURL, callback)
	}
	if len(cfg.Groups) == 0 {
		return nil, errors.New("reports config OIDC.Groups: at least one group must map to a role")
	}
	if cfg.GroupsClaim == "" {
		cfg.GroupsClaim = "groups"
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	key := make([]byte, 32)
	if len(sessionKey) > 0 {
		m := hmac.New(sha256.New, sessionKey)
		m.Write([]byte("bussola oidc flow cookie"))
		key = m.Sum(nil)
	} else if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	return &oidcLogin{cfg: cfg, key: key, secure: secure, cookiePath: prefix + "/login/oidc", callbackPath: callback}, nil
}

func (o *oidcLogin) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, o.cfg.HTTPClient)
}

// discover fetches the provider's discovery document once it answers;
// until then every sign-in through it gets a "provider unreachable" page.
func (o *oidcLogin) discover(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(o.ctx(ctx), o.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc discovery %s: %w", o.cfg.Issuer, err)
	}
	o.provider = p
	return p, nil
}

func (o *oidcLogin) oauth2(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"},
	}
}

// oidcFlow is what the browser carries, signed, between the redirect to
// the provider and the callback.
type oidcFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
	Lang     string `json:"l"`
	Expires  int64  `json:"e"`
}

func (o *oidcLogin) mac(payload string) string {
	m := hmac.New(sha256.New, o.key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (o *oidcLogin) setFlow(w http.ResponseWriter, f oidcFlow) {
	b, _ := json.Marshal(f)
	payload := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: payload + "." + o.mac(payload), Path: o.cookiePath,
		MaxAge: int(oidcFlowTTL.Seconds()), HttpOnly: true, Secure: o.secure, SameSite: http.SameSiteLaxMode})
}

func (o *oidcLogin) clearFlow(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Path: o.cookiePath, MaxAge: -1, HttpOnly: true, Secure: o.secure, SameSite: http.SameSiteLaxMode})
}

var errNoFlow = errors.New("no valid sign-in in progress")

func (o *oidcLogin) readFlow(r *http.Request, now time.Time) (oidcFlow, error) {
	c, err := r.Cookie(oidcCookie)
	if err != nil {
		return oidcFlow{}, errNoFlow
	}
	payload, mac, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(o.mac(payload))) {
		return oidcFlow{}, errNoFlow
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	var f oidcFlow
	if err != nil || json.Unmarshal(b, &f) != nil || now.Unix() > f.Expires || f.State == "" || f.Nonce == "" {
		return oidcFlow{}, errNoFlow
	}
	return f, nil
}

// errNoRole and errNameTaken refuse a verified user.
var (
	errNoRole    = errors.New("no group of the user maps to a role")
	errNameTaken = errors.New("the username belongs to another subject of the provider")
)

// verify turns the callback's code into a user: the code is exchanged with
// the PKCE verifier, then the ID token's signature, issuer, audience and
// expiry (go-oidc), its nonce and its at_hash are checked, and its groups
// mapped to roles.
func (o *oidcLogin) verify(ctx context.Context, p *oidc.Provider, f oidcFlow, code string) (User, string, error) {
	ctx = o.ctx(ctx)
	tok, err := o.oauth2(p).Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return User{}, "", fmt.Errorf("oidc code exchange: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return User{}, "", errors.New("oidc token response: no id_token")
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID}).Verify(ctx, raw)
	if err != nil {
		return User{}, "", fmt.Errorf("oidc id_token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return User{}, "", errors.New("oidc id_token: nonce does not match this sign-in")
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return User{}, "", fmt.Errorf("oidc id_token: %w", err)
		}
	}
	if idt.Subject == "" {
		return User{}, "", errors.New("oidc id_token: no subject")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return User{}, "", fmt.Errorf("oidc id_token claims: %w", err)
	}
	name := idt.Subject
	for _, k := range []string{"preferred_username", "email"} {
		if v, ok := claims[k].(string); ok && v != "" {
			name = v
			break
		}
	}
	u := User{Username: OIDCUserPrefix + name, Roles: o.cfg.Groups.rolesOf(stringsClaim(claims, o.cfg.GroupsClaim))}
	if len(u.Roles) == 0 {
		return u, idt.Subject, errNoRole
	}
	return u, idt.Subject, nil
}

// stringsClaim reads a claim holding a list of strings or one string (as
// ADFS sends a single group), by its name or else as a dotted path.
func stringsClaim(claims map[string]any, name string) []string {
	v, ok := claims[name]
	if !ok {
		var cur any = claims
		for _, part := range strings.Split(name, ".") {
			m, isMap := cur.(map[string]any)
			if !isMap {
				return nil
			}
			cur = m[part]
		}
		v = cur
	}
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// oidcUsers is the UserStore of a server with single sign-on: the local
// accounts, and the users the provider signed in, with the roles their ID
// token granted, for oidcRolesTTL. The two never meet: a name with
// OIDCUserPrefix is only looked up among the provider's users and never
// signs in with a password.
type oidcUsers struct {
	UserStore // the local accounts

	mu    sync.Mutex
	users map[string]oidcUser
	now   func() time.Time
}

type oidcUser struct {
	subject string
	roles   map[string][]Role
	expires time.Time
}

var _ UserStore = (*oidcUsers)(nil)

// Authenticate implements UserStore; a provider's username costs the same
// work as any wrong password and fails.
func (s *oidcUsers) Authenticate(ctx context.Context, username, password string) (User, error) {
	u, err := s.UserStore.Authenticate(ctx, username, password)
	if strings.HasPrefix(username, OIDCUserPrefix) {
		return User{}, ErrBadCredentials
	}
	return u, err
}

// Lookup implements UserStore.
func (s *oidcUsers) Lookup(ctx context.Context, username string) (User, error) {
	if !strings.HasPrefix(username, OIDCUserPrefix) {
		return s.UserStore.Lookup(ctx, username)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[username]
	if !ok || s.now().After(u.expires) {
		return User{}, ErrUnknownUser
	}
	return User{Username: username, Roles: u.roles}, nil
}

// put records the roles a verified ID token granted. A name another
// subject of the provider holds is refused while that one's roles last.
func (s *oidcUsers) put(u User, subject string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for name, x := range s.users {
		if now.After(x.expires) {
			delete(s.users, name)
		}
	}
	if x, ok := s.users[u.Username]; ok && x.subject != subject {
		return errNameTaken
	}
	s.users[u.Username] = oidcUser{subject: subject, roles: u.Roles, expires: now.Add(oidcRolesTTL)}
	return nil
}

// setupOIDC starts the relying party when single sign-on is configured:
// the provider's users then sit next to the local accounts in s.users.
func (s *Server) setupOIDC() error {
	if s.cfg.OIDC.Issuer == "" {
		return nil
	}
	o, err := newOIDCLogin(s.cfg.OIDC, s.cfg.SessionKey, s.cfg.SecureCookies, s.prefix)
	if err != nil {
		return err
	}
	o.users = &oidcUsers{UserStore: s.users, users: map[string]oidcUser{}, now: time.Now}
	s.oidc, s.users = o, o.users
	return nil
}

// registerOIDC adds the single sign-on routes when it is configured.
func (s *Server) registerOIDC(g gin.IRoutes) {
	if s.oidc == nil {
		return
	}
	g.GET("/login/oidc", s.oidcStart)
	g.GET("/login/oidc/callback", s.oidcCallback)
}

// oidcStart sends the browser to the provider with a fresh state, nonce
// and PKCE challenge, kept in a signed cookie for the callback.
func (s *Server) oidcStart(c *gin.Context) {
	lang := s.lang(c)
	p, err := s.oidc.discover(c.Request.Context())
	if err != nil {
		s.log.Error("oidc", "err", err)
		s.oidcFail(c, http.StatusServiceUnavailable, lang, "sso.unavailable")
		return
	}
	f := oidcFlow{State: rand.Text(), Nonce: rand.Text(), Verifier: oauth2.GenerateVerifier(),
		Next: s.safeNext(c.Query("next")), Lang: lang, Expires: time.Now().Add(oidcFlowTTL).Unix()}
	s.oidc.setFlow(c.Writer, f)
	c.Redirect(http.StatusSeeOther, s.oidc.oauth2(p).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)))
}

// oidcCallback checks the provider's answer against the flow cookie and
// signs the user in.
func (s *Server) oidcCallback(c *gin.Context) {
	f, err := s.oidc.readFlow(c.Request, time.Now())
	s.oidc.clearFlow(c.Writer)
	lang := f.Lang
	if lang == "" {
		lang = s.lang(c)
	}
	refuse := func(status int, key, why string, name string) {
		s.log.Warn("oidc sign-in refused", "user", name, "why", why)
		s.recordAs(c, name, "login_failed", "", Query{}, "", status)
		s.oidcFail(c, status, lang, key, strings.TrimPrefix(name, OIDCUserPrefix))
	}
	if err != nil {
		refuse(http.StatusForbidden, "sso.refused", err.Error(), "")
		return
	}
	if subtle.ConstantTimeCompare([]byte(c.Query("state")), []byte(f.State)) != 1 {
		refuse(http.StatusForbidden, "sso.refused", "state does not match this sign-in", "")
		return
	}
	if e := c.Query("error"); e != "" {
		refuse(http.StatusForbidden, "sso.denied", "provider answered "+e, "")
		return
	}
	p, err := s.oidc.discover(c.Request.Context())
	if err != nil {
		s.log.Error("oidc", "err", err)
		s.oidcFail(c, http.StatusServiceUnavailable, lang, "sso.unavailable")
		return
	}
	u, subject, err := s.oidc.verify(c.Request.Context(), p, f, c.Query("code"))
	if errors.Is(err, errNoRole) {
		refuse(http.StatusForbidden, "sso.norole", err.Error(), u.Username)
		return
	}
	if err != nil {
		refuse(http.StatusForbidden, "sso.refused", err.Error(), "")
		return
	}
	if err := s.oidc.users.put(u, subject); err != nil {
		refuse(http.StatusForbidden, "sso.conflict", err.Error(), u.Username)
		return
	}
	s.startSession(c, u, originOIDC)
	s.record(c, "login", "", Query{}, "", http.StatusSeeOther)
	c.Redirect(http.StatusSeeOther, s.safeNext(f.Next))
}

// oidcFail renders the error page with a sign-in message.
func (s *Server) oidcFail(c *gin.Context, status int, lang, key string, args ...any) {
	d := s.base(c, lang)
	d.Title, d.Status, d.Message = d.T.T("sso.failed"), status, d.T.F(key, args...)
	s.render(c, status, "error", d)
	c.Abort()
}

// The single sign-on messages live with its code.
func init() {
	for k, v := range map[string][2]string{
		"login.sso":       {"Accedi con l'account dell'ente (single sign-on)", "Sign in with your entity account (single sign-on)"},
		"login.local":     {"Oppure con un account locale di Bussola:", "Or with a local Bussola account:"},
		"sso.failed":      {"Accesso non riuscito", "Sign-in failed"},
		"sso.refused":     {"La risposta del fornitore di identità non è valida o è scaduta. Riprovi ad accedere.", "The identity provider's answer is not valid or has expired. Please sign in again."},
		"sso.denied":      {"Il fornitore di identità non ha concesso l'accesso.", "The identity provider did not grant access."},
		"sso.unavailable": {"Il fornitore di identità non risponde. Riprovi più tardi o usi un account locale.", "The identity provider does not answer. Try again later or use a local account."},
		"sso.norole":      {"Il fornitore di identità ha riconosciuto l'utente %s, ma nessuno dei suoi gruppi dà accesso a Bussola. Chieda all'amministratore di aggiungerla a un gruppo abilitato.", "The identity provider recognised the user %s, but none of their groups gives access to Bussola. Ask your administrator to add you to an enabled group."},
		"sso.conflict":    {"Il nome utente %s è già in uso da un'altra persona del fornitore di identità. Contatti l'amministratore.", "The username %s is already used by another person of the identity provider. Contact your administrator."},
	} {
		messages[k] = v
	}
}
