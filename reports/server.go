package reports

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

//go:embed web
var webFS embed.FS

// Server serves the report pages, data endpoints and exports.
type Server struct {
	cfg    Config
	store  Store
	pipe   PipelineSource
	users  UserStore
	audit  AuditLog
	cookie *cookies
	sess   *sessionStore
	limit  *loginLimiter
	tokens *APITokens // API tokens of report users (apitokens.go)
	prefix string     // URL path prefix without trailing slash ("" at the root)
	tpl    *template.Template
	log    *slog.Logger

	oidc *oidcLogin // nil without single sign-on

	patterns  *patternCache  // protected lattices per tenant, family and data version (disclosure.go)
	knowledge knowledgeCache // what each cached pattern's published cells determine (disclosure_knowledge.go)
	unions    unionCache     // each week's pattern with its lattice's population pattern (disclosure_knowledge.go)
	printer   *pdfPrinter    // the PDF export's Chromium (export_pdf.go)
}

// New checks the configuration and returns a server. pipe may be nil (the
// pipeline page then shows no data); audit may be nil (nothing recorded).
func New(cfg Config, store Store, pipe PipelineSource, users UserStore, audit AuditLog) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if store == nil || users == nil {
		return nil, fmt.Errorf("reports: store and users are required")
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("reports config BaseURL: %w", err)
	}
	prefix := strings.TrimSuffix(u.Path, "/")
	ck, err := newCookies(cfg.SessionKey, cfg.SecureCookies, prefix+"/")
	if err != nil {
		return nil, fmt.Errorf("reports cookies: %w", err)
	}
	s := &Server{cfg: cfg, store: store, pipe: pipe, users: users, audit: audit, prefix: prefix, log: slog.Default(), patterns: newPatternCache(), printer: newPDFPrinter(cfg.ChromiumPath),
		cookie: ck, sess: newSessionStore(cfg.SessionIdleTimeout, cfg.SessionLifetime), limit: newLoginLimiter(cfg.Login)}
	if err := s.setupOIDC(); err != nil {
		return nil, err
	}
	tokens, err := NewAPITokens(cfg.APITokensFile)
	if err != nil {
		return nil, fmt.Errorf("reports config APITokensFile: %w", err)
	}
	s.tokens = tokens
	if s.tpl, err = parseTemplates(); err != nil {
		return nil, fmt.Errorf("reports templates: %w", err)
	}
	return s, nil
}

// Register adds the report routes to r: /login, /logout,
// /account/password, /reports/ (the
// home, which opens the first page the user may see), /reports/...,
// /assets/... under the BaseURL path. It leaves the BaseURL itself to the
// application (the status page), and avoids /api, /healthz, /readyz and
// /metrics.
func (s *Server) Register(r *gin.Engine) {
	g := r.Group(s.prefix+"/", s.secureHeaders)
	static, _ := fs.Sub(webFS, "web/static")
	g.StaticFS("/assets/app", FilesOnly(http.FS(static)))
	g.StaticFS("/assets/echarts", FilesOnly(http.Dir(s.cfg.AssetsDir)))
	g.GET("/login", s.loginPage)
	g.POST("/login", s.login)
	s.registerOIDC(g)
	auth := g.Group("/", s.authenticate)
	auth.GET("/reports/", s.home)
	auth.POST("/logout", s.logout)
	auth.GET("/account/password", s.passwordPage)
	auth.POST("/account/password", s.changePassword)
	auth.GET("/reports/:page", s.pageHTML)
	auth.GET("/reports/:page/data.json", s.pageJSON)
	auth.GET("/reports/:page/export/:file", s.export)
}

// Handler returns a standalone handler with only the report routes.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	s.Register(r)
	return r
}

// secureHeaders forbids every request to another host (CSP), framing and
// caching of report data.
func (s *Server) secureHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	if !strings.Contains(c.Request.URL.Path, "/assets/") {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// authenticate loads the session's user, or sends the browser to the login
// page (and API clients a 401). A session from the users file takes the
// user's current roles; one from the identity provider keeps the roles it
// was given at sign-in.
func (s *Server) authenticate(c *gin.Context) {
	u, sess, err := s.currentSession(c.Request)
	if err != nil {
		if c.Request.Method == http.MethodGet && !strings.Contains(c.Request.URL.Path, "/data.json") && !strings.Contains(c.Request.URL.Path, "/export/") {
			c.Redirect(http.StatusSeeOther, s.prefix+"/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		} else {
			c.AbortWithStatus(http.StatusUnauthorized)
		}
		c.Abort()
		return
	}
	c.Set("user", u)
	c.Set("session", sess)
	c.Next()
}

// isPage reports whether the request is for an HTML page (not a data
// endpoint or an export).
func isPage(c *gin.Context) bool {
	p := c.Request.URL.Path
	return !strings.HasSuffix(p, ".json") && !strings.Contains(p, "/export/")
}

func userOf(c *gin.Context) User { u, _ := c.Get("user"); return u.(User) }

func sessionOf(c *gin.Context) session { s, _ := c.Get("session"); return s.(session) }

// scope is the one choke point between a request and the store: it parses
// the filters, resolves the tenant and refuses any tenant the user may not
// see with this page (404, so other tenants' existence is not revealed).
// q.Tenants is set here from the user's entitlements, never from the URL.
func (s *Server) scope(c *gin.Context) (Page, Query, bool) {
	u := userOf(c)
	page := Page(c.Param("page"))
	lang := c.Query("lang")
	if _, ok := pageRoles[page]; !ok {
		s.fail(c, http.StatusNotFound, lang)
		return "", Query{}, false
	}
	var q Query
	var err error
	if isPage(c) {
		// The filter form: a bad field is reported on the page, next to
		// the field, and the other filters are kept.
		var bad []*QueryError
		if q, bad, err = ParseFilters(c.Request.URL.Query()); len(bad) > 0 {
			c.Set("filterErrors", bad)
		}
	} else {
		q, err = ParseQuery(c.Request.URL.Query())
	}
	if err != nil {
		c.Set("detail", err.Error())
		var qe *QueryError
		if errors.As(err, &qe) {
			c.Set("queryError", qe)
		}
		s.fail(c, http.StatusBadRequest, lang)
		return "", Query{}, false
	}
	if q.Tenant == "" {
		ts := u.TenantsFor(page)
		if len(ts) == 0 {
			s.record(c, "denied", page, q, "", http.StatusForbidden)
			s.fail(c, http.StatusForbidden, q.Lang)
			return "", Query{}, false
		}
		q.Tenant = ts[0]
	}
	if !u.Can(page, q.Tenant) {
		s.record(c, "denied", page, q, "", http.StatusNotFound)
		s.fail(c, http.StatusNotFound, q.Lang)
		return "", Query{}, false
	}
	q.Tenants = u.TenantsFor(page)
	return page, q, true
}

func (s *Server) record(c *gin.Context, action string, page Page, q Query, format string, status int) {
	if s.audit == nil {
		return
	}
	u, _ := c.Get("user")
	name := ""
	if uu, ok := u.(User); ok {
		name = uu.Username
	}
	s.recordAs(c, name, action, page, q, format, status)
}

func (s *Server) recordAs(c *gin.Context, name, action string, page Page, q Query, format string, status int) {
	if s.audit == nil {
		return
	}
	e := AuditEntry{At: time.Now().UTC(), User: name, Action: action, Route: c.Request.URL.Path, Page: string(page),
		Tenant: q.Tenant, Format: format, Status: status}
	if q.Tenant != "" {
		e.Filters = q.Describe()
	}
	if err := s.audit.Record(context.WithoutCancel(c.Request.Context()), e); err != nil {
		s.log.Error("audit", "err", err)
	}
}

func (s *Server) home(c *gin.Context) {
	u := userOf(c)
	for _, p := range Pages {
		if len(u.TenantsFor(p)) > 0 {
			c.Redirect(http.StatusSeeOther, s.prefix+"/reports/"+string(p))
			return
		}
	}
	s.fail(c, http.StatusForbidden, c.Query("lang"))
}
