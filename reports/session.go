package reports

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Cookie names and lifetimes.
const (
	sessionCookie = "bussola_session"
	preCookie     = "bussola_pre" // anonymous nonce that binds the login form's CSRF token
	sessionTTL    = 8 * time.Hour
)

// sessions issues and checks HMAC-signed session cookies. A cookie holds
// username, expiry and a random nonce; the CSRF token of a session is the
// HMAC of its nonce, so it needs no server-side state.
type sessions struct {
	key    []byte
	secure bool
	path   string
	now    func() time.Time
}

type session struct {
	Username string
	Expires  time.Time
	Nonce    string
}

func newSessions(key []byte, secure bool, path string) (*sessions, error) {
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
	}
	return &sessions{key: key, secure: secure, path: path, now: time.Now}, nil
}

func (s *sessions) mac(parts ...string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func randomNonce() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *sessions) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: s.path, MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode,
	}
}

// issue starts a session for username.
func (s *sessions) issue(w http.ResponseWriter, username string) {
	exp := s.now().Add(sessionTTL).Unix()
	payload := base64.RawURLEncoding.EncodeToString([]byte(username)) + "." + strconv.FormatInt(exp, 10) + "." + randomNonce()
	http.SetCookie(w, s.cookie(sessionCookie, payload+"."+s.mac("session", payload), int(sessionTTL.Seconds())))
}

func (s *sessions) clear(w http.ResponseWriter) {
	http.SetCookie(w, s.cookie(sessionCookie, "", -1))
}

var errNoSession = errors.New("no valid session")

// read returns the request's valid session.
func (s *sessions) read(r *http.Request) (session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, errNoSession
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 4 {
		return session{}, errNoSession
	}
	payload := strings.Join(parts[:3], ".")
	if !hmac.Equal([]byte(parts[3]), []byte(s.mac("session", payload))) {
		return session{}, errNoSession
	}
	name, err := base64.RawURLEncoding.DecodeString(parts[0])
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || err2 != nil || s.now().Unix() > exp {
		return session{}, errNoSession
	}
	return session{Username: string(name), Expires: time.Unix(exp, 0), Nonce: parts[2]}, nil
}

// csrfToken is the token forms of a session carry.
func (s *sessions) csrfToken(sess session) string { return s.mac("csrf", sess.Nonce) }

// preToken sets (if needed) the anonymous nonce cookie and returns the
// login form's CSRF token.
func (s *sessions) preToken(w http.ResponseWriter, r *http.Request) string {
	nonce := ""
	if c, err := r.Cookie(preCookie); err == nil && len(c.Value) >= 16 {
		nonce = c.Value
	} else {
		nonce = randomNonce()
		http.SetCookie(w, s.cookie(preCookie, nonce, 3600))
	}
	return s.mac("login", nonce)
}

// checkPreToken verifies the login form's token against the nonce cookie.
func (s *sessions) checkPreToken(r *http.Request, token string) bool {
	c, err := r.Cookie(preCookie)
	if err != nil || token == "" {
		return false
	}
	return hmac.Equal([]byte(token), []byte(s.mac("login", c.Value)))
}
