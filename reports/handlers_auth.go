package reports

import (
	"net/http"
	"net/url"
	"path"
	"strings"
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
	d.CSRF = s.sess.preToken(c.Writer, c.Request)
	d.Next = s.safeNext(c.Query("next"))
	d.LangURL = "?lang=en"
	if d.Lang == "en" {
		d.LangURL = "?lang=it"
	}
	s.render(c, http.StatusOK, "login", d)
}

func (s *Server) login(c *gin.Context) {
	lang := s.lang(c)
	if !s.sess.checkPreToken(c.Request, c.PostForm("csrf")) {
		s.fail(c, http.StatusForbidden, lang)
		return
	}
	name := c.PostForm("username")
	u, err := s.users.Authenticate(c.Request.Context(), name, c.PostForm("password"))
	if err != nil {
		s.recordAs(c, name, "login_failed", "", Query{}, "", http.StatusUnauthorized)
		d := s.base(c, lang)
		d.Title, d.Failed = d.T.T("login"), true
		d.CSRF = s.sess.preToken(c.Writer, c.Request)
		d.Next = s.safeNext(c.PostForm("next"))
		s.render(c, http.StatusUnauthorized, "login", d)
		return
	}
	s.sess.issue(c.Writer, u.Username)
	c.Set("user", u)
	s.record(c, "login", "", Query{}, "", http.StatusSeeOther)
	c.Redirect(http.StatusSeeOther, s.safeNext(c.PostForm("next")))
}

func (s *Server) logout(c *gin.Context) {
	if c.PostForm("csrf") != s.sess.csrfToken(sessionOf(c)) {
		s.fail(c, http.StatusForbidden, s.lang(c))
		return
	}
	s.record(c, "logout", "", Query{}, "", http.StatusSeeOther)
	s.sess.clear(c.Writer)
	c.Redirect(http.StatusSeeOther, s.prefix+"/login")
}
