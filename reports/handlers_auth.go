package reports

import (
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"
)

func (s *Server) lang(c *gin.Context) string {
	if c.Query("lang") == "en" || c.PostForm("lang") == "en" {
		return "en"
	}
	return "it"
}

// safeNext keeps a post-login redirect on this application: next must be
// a path under the prefix, with no scheme or host, no backslash, no control
// character or whitespace (raw, or in the decoded path, which browsers strip
// to turn "/%09/evil.example" into "//evil.example"), no "//" at the start
// of the decoded path and no dot or empty segment. Anything else lands on
// the reports' index.
func (s *Server) safeNext(next string) string {
	fallback := s.prefix + "/reports/"
	if next == "" || strings.ContainsFunc(next, unsafeRune) || strings.Contains(next, "\\") {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return fallback
	}
	p := u.Path
	if strings.ContainsFunc(p, unsafeRune) || strings.Contains(p, "\\") || strings.HasPrefix(p, "//") {
		return fallback
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if clean != p || !strings.HasPrefix(clean, s.prefix+"/") {
		return fallback
	}
	return next
}

// unsafeRune reports an ASCII control character or any whitespace.
func unsafeRune(r rune) bool {
	return r < 0x20 || r == 0x7f || unicode.IsSpace(r)
}

func (s *Server) loginPage(c *gin.Context) {
	d := s.base(c, s.lang(c))
	d.Title = d.T.T("login")
	d.CSRF = s.cookie.preToken(c.Writer, c.Request)
	d.Next = s.safeNext(c.Query("next"))
	d.LangURL = "?lang=en"
	if d.Lang == "en" {
		d.LangURL = "?lang=it"
	}
	s.render(c, http.StatusOK, "login", d)
}

// login checks a password, within the sign-in rate limits (loginlimit.go).
func (s *Server) login(c *gin.Context) {
	lang := s.lang(c)
	if !s.cookie.checkPreToken(c.Request, c.PostForm("csrf")) {
		s.fail(c, http.StatusForbidden, lang)
		return
	}
	name := c.PostForm("username")
	addr := clientAddr(c.Request, s.cfg.TrustedProxies)
	if wait := s.limit.begin(name, addr); wait > 0 {
		s.recordAs(c, name, "login_throttled", "", Query{}, "", http.StatusTooManyRequests)
		s.loginAgain(c, lang, http.StatusTooManyRequests, wait)
		return
	}
	u, err := s.users.Authenticate(c.Request.Context(), name, c.PostForm("password"))
	if err != nil {
		s.recordAs(c, name, "login_failed", "", Query{}, "", http.StatusUnauthorized)
		s.loginAgain(c, lang, http.StatusUnauthorized, 0)
		return
	}
	s.limit.succeeded(name, addr)
	s.startSession(c, u, originLocal)
	s.record(c, "login", "", Query{}, "", http.StatusSeeOther)
	c.Redirect(http.StatusSeeOther, s.safeNext(c.PostForm("next")))
}

// loginAgain shows the login form after a refused attempt: 401 for wrong
// credentials, 429 with Retry-After (whole seconds, rounded up) while
// locked.
func (s *Server) loginAgain(c *gin.Context, lang string, status int, wait time.Duration) {
	d := s.base(c, lang)
	d.Title = d.T.T("login")
	if status == http.StatusTooManyRequests {
		d.Message = d.T.F("login.throttled", retryAfter(c, wait))
	} else {
		d.Failed = true
	}
	d.CSRF = s.cookie.preToken(c.Writer, c.Request)
	d.Next = s.safeNext(c.PostForm("next"))
	s.render(c, status, "login", d)
}

// retryAfter sets Retry-After to wait in whole seconds, rounded up, and
// returns them.
func retryAfter(c *gin.Context, wait time.Duration) int {
	secs := int((wait + time.Second - 1) / time.Second)
	c.Header("Retry-After", strconv.Itoa(secs))
	return secs
}

// startSession signs u in on this browser after a successful sign-in
// (a password here, or the identity provider's callback): it ends the
// browser's previous session if any, stores a new one under a fresh random
// ID (so no ID chosen before sign-in survives it) and sets its cookie.
// origin says where u's roles come from: originLocal looks them up in the
// UserStore on every request; originOIDC keeps u.Roles for the session.
func (s *Server) startSession(c *gin.Context, u User, origin sessionOrigin) session {
	if old := sessionID(c.Request); old != "" {
		s.sess.delete(old)
	}
	id, sess := s.sess.create(u, origin)
	s.cookie.setSession(c.Writer, id, s.cfg.SessionLifetime)
	c.Set("user", u)
	c.Set("session", sess)
	return sess
}

// logout deletes the session on the server, so a copy of its cookie no
// longer works, and clears the cookie.
func (s *Server) logout(c *gin.Context) {
	if !sessionOf(c).csrfOK(c.PostForm("csrf")) {
		s.fail(c, http.StatusForbidden, s.lang(c))
		return
	}
	s.record(c, "logout", "", Query{}, "", http.StatusSeeOther)
	s.sess.delete(sessionID(c.Request))
	s.cookie.clearSession(c.Writer)
	c.Redirect(http.StatusSeeOther, s.prefix+"/login")
}
