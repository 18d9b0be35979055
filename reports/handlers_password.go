package reports

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// The password page lets a user of the users file change their own
// password. A change ends every session of the user, on every browser,
// and signs this browser in again under a new session.

// canChangePassword reports whether the request's user may change their
// password here: a session from the users file, over a PasswordSetter.
func (s *Server) canChangePassword(c *gin.Context) bool {
	_, ok := s.users.(PasswordSetter)
	return ok && sessionOf(c).Origin == originLocal
}

func (s *Server) passwordPage(c *gin.Context) {
	if !s.canChangePassword(c) {
		s.fail(c, http.StatusNotFound, s.lang(c))
		return
	}
	s.renderPassword(c, s.lang(c), http.StatusOK, "")
}

func (s *Server) renderPassword(c *gin.Context, lang string, status int, msg string) {
	d := s.base(c, lang)
	d.Title, d.Message = d.T.T("pw.title"), msg
	s.render(c, status, "password", d)
}

// changePassword checks the current password (within the sign-in rate
// limits: it is a password check like any other), then the new one, sets
// it and revokes the user's sessions.
func (s *Server) changePassword(c *gin.Context) {
	lang := s.lang(c)
	t := tr{lang}
	if !sessionOf(c).csrfOK(c.PostForm("csrf")) {
		s.fail(c, http.StatusForbidden, lang)
		return
	}
	setter, ok := s.users.(PasswordSetter)
	if !ok || !s.canChangePassword(c) {
		s.fail(c, http.StatusNotFound, lang)
		return
	}
	ctx := c.Request.Context()
	u := userOf(c)
	addr := clientAddr(c.Request, s.cfg.TrustedProxies)
	if wait := s.limit.begin(u.Username, addr); wait > 0 {
		s.record(c, "password_throttled", "", Query{}, "", http.StatusTooManyRequests)
		s.renderPassword(c, lang, http.StatusTooManyRequests, t.F("login.throttled", retryAfter(c, wait)))
		return
	}
	if _, err := s.users.Authenticate(ctx, u.Username, c.PostForm("current")); err != nil {
		s.record(c, "password_change_failed", "", Query{}, "", http.StatusBadRequest)
		s.renderPassword(c, lang, http.StatusBadRequest, t.T("pw.current_wrong"))
		return
	}
	s.limit.succeeded(u.Username, addr)
	pw := c.PostForm("new")
	switch {
	case len(pw) < MinPasswordLength:
		s.renderPassword(c, lang, http.StatusBadRequest, t.F("pw.too_short", MinPasswordLength))
		return
	case pw != c.PostForm("confirm"):
		s.renderPassword(c, lang, http.StatusBadRequest, t.T("pw.mismatch"))
		return
	}
	if err := setter.SetPassword(ctx, u.Username, pw); err != nil {
		s.internal(c, err, lang)
		return
	}
	s.sess.revokeUser(u.Username)
	s.startSession(c, u, originLocal)
	s.record(c, "password_changed", "", Query{}, "", http.StatusOK)
	s.renderPassword(c, lang, http.StatusOK, t.T("pw.changed"))
}
