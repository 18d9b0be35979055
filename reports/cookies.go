package reports

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"
)

// Cookie names.
const (
	sessionCookie = "bussola_session" // the session's random ID
	preCookie     = "bussola_pre"     // anonymous nonce that binds the login form's CSRF token
)

// cookies sets the application's cookies and signs the login form's CSRF
// token, which exists before any session: it is the HMAC of a random nonce
// kept in an anonymous cookie.
type cookies struct {
	key    []byte
	secure bool
	path   string
}

func newCookies(key []byte, secure bool, path string) (*cookies, error) {
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
	}
	return &cookies{key: key, secure: secure, path: path}, nil
}

func (k *cookies) mac(parts ...string) string {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (k *cookies) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: k.path, MaxAge: maxAge,
		HttpOnly: true, Secure: k.secure, SameSite: http.SameSiteLaxMode,
	}
}

// setSession sets the session cookie; it lives no longer than the
// session's lifetime (the server ends idle sessions sooner).
func (k *cookies) setSession(w http.ResponseWriter, id string, lifetime time.Duration) {
	http.SetCookie(w, k.cookie(sessionCookie, id, int(lifetime.Seconds())))
}

func (k *cookies) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, k.cookie(sessionCookie, "", -1))
}

// sessionID returns the request's session cookie value, or "".
func sessionID(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// preToken sets (if needed) the anonymous nonce cookie and returns the
// login form's CSRF token.
func (k *cookies) preToken(w http.ResponseWriter, r *http.Request) string {
	nonce := ""
	if c, err := r.Cookie(preCookie); err == nil && len(c.Value) >= 16 {
		nonce = c.Value
	} else {
		nonce = randomToken(18)
		http.SetCookie(w, k.cookie(preCookie, nonce, 3600))
	}
	return k.mac("login", nonce)
}

// checkPreToken verifies the login form's token against the nonce cookie.
func (k *cookies) checkPreToken(r *http.Request, token string) bool {
	c, err := r.Cookie(preCookie)
	if err != nil || token == "" {
		return false
	}
	return hmac.Equal([]byte(token), []byte(k.mac("login", c.Value)))
}
