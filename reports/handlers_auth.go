package reports

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

func (s *Server) lang(c *gin.Context) string {
	if c.Query("lang") == "en" || c.PostForm("lang") == "en" {
		return "en"
	}
	return "it"
}

// safeNext keeps a post-login redirect on this application.
func (s *Server) safeNext(next string) string {
	if !strings.HasPrefix(next, s.prefix+"/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return s.prefix + "/reports/"
	}
	return next
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
