package reports

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bussola-pa/bussola/schemas"
)

// Audit actions of the JSON APIs.
const (
	ActionAPIRead   = "api_read"   // an authorised read, whatever its outcome
	ActionAPIDenied = "api_denied" // a read refused for its credentials or its tenant
)

const apiTenantKey = "bussola_api_tenant"

// APIRead returns the middleware that guards the read routes of a JSON API
// with report credentials and audits every request it sees.
//
// Credentials are an API token of a report user (Authorization: Bearer
// bsk_..., see APITokens) or, without an Authorization header, the session
// cookie of a signed-in user. Ingest tokens, or any other bearer, get 401.
// The user's current roles must allow page for the tenant named by the
// query parameter tenantParam (the user's first such tenant when it is
// empty), or the request gets 403; the handler reads the tenant with
// APITenant. One audit entry per request records who (user and
// credential), what (route and query), which tenant, when and the status
// the handler answered; refusals are recorded too. The handler's answer is
// held until its entry is written: when the audit log fails, the caller
// gets 503 instead of unaudited data.
func (s *Server) APIRead(page Page, tenantParam string) gin.HandlerFunc {
	return func(c *gin.Context) {
		lang := "it"
		if c.Query("lang") == "en" {
			lang = "en"
		}
		t := tr{lang}
		e := AuditEntry{At: time.Now().UTC(), Action: ActionAPIDenied, Route: c.Request.URL.Path, Page: string(page),
			Filters: apiFilters(c.Request.URL.Query(), tenantParam)}
		u, cred, err := s.apiUser(c)
		e.User, e.Credential = u.Username, cred
		if err != nil {
			if !errors.Is(err, errNoCredential) {
				s.log.Error("api credentials", "err", err)
			}
			s.apiRefuse(c, e, schemas.EUNAUTHORIZED, t.T("api.401"))
			return
		}
		tenant := c.Query(tenantParam)
		if tenant == "" {
			ts := u.TenantsFor(page)
			if len(ts) == 0 {
				s.apiRefuse(c, e, schemas.EFORBIDDEN, t.F("api.403.none", u.Username, t.T("page."+string(page))))
				return
			}
			tenant = ts[0]
		}
		e.Tenant = tenant
		if !u.Can(page, tenant) {
			s.apiRefuse(c, e, schemas.EFORBIDDEN, t.F("api.403", u.Username, t.T("page."+string(page)), tenant))
			return
		}
		c.Set("user", u)
		c.Set(apiTenantKey, tenant)

		real := c.Writer
		held := &heldWriter{ResponseWriter: real, status: http.StatusOK}
		c.Writer = held
		defer func() {
			if p := recover(); p != nil { // audited as a 500; the recovery middleware answers it
				c.Writer = real
				e.Action, e.Status = ActionAPIRead, http.StatusInternalServerError
				_ = s.auditAPI(c, e)
				panic(p)
			}
		}()
		c.Next()
		c.Writer = real
		e.Action, e.Status = ActionAPIRead, held.status
		if err := s.auditAPI(c, e); err != nil {
			real.Header().Del("Content-Length")
			c.AbortWithStatusJSON(schemas.HTTPStatus(schemas.EUNAVAILABLE), gin.H{"error": t.T("api.503"), "code": schemas.EUNAVAILABLE})
			return
		}
		real.WriteHeader(held.status)
		_, _ = real.Write(held.buf.Bytes())
	}
}

// APITenant is the tenant APIRead authorised for the request ("" outside
// it).
func APITenant(c *gin.Context) string { return c.GetString(apiTenantKey) }

var errNoCredential = errors.New("no credential")

// apiUser authenticates the request: a bearer API token, else the session
// cookie. cred says which credential was presented, for the audit log (the
// token's id, never the token).
func (s *Server) apiUser(c *gin.Context) (User, string, error) {
	ctx := c.Request.Context()
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, tok, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return User{}, "authorization:" + strings.ToLower(scheme), errNoCredential
		}
		rec, err := s.tokens.Check(strings.TrimSpace(tok))
		if err != nil {
			if errors.Is(err, ErrBadToken) {
				err = errNoCredential
			}
			return User{}, "bearer:invalid", err
		}
		u, err := s.users.Lookup(ctx, rec.Username)
		if err != nil {
			return User{Username: rec.Username}, "api_token:" + rec.ID, errNoCredential
		}
		return u, "api_token:" + rec.ID, nil
	}
	u, err := s.sessionUser(c.Request)
	if errors.Is(err, errNoSession) {
		return User{}, "none", errNoCredential
	}
	if err != nil {
		return u, "session", errNoCredential
	}
	return u, "session", nil
}

// sessionUser is the user of the request's session with their current
// roles; errNoSession without a valid session, ErrUnknownUser (and the
// session's username) for a user no longer in the store.
func (s *Server) sessionUser(r *http.Request) (User, error) {
	u, _, err := s.currentSession(r)
	return u, err
}

// currentSession is the request's server-side session and its user: the
// roles held by the session for a provider's user, the users file's
// current roles for a local one. errNoSession without a valid session;
// the users file's error (with the session's username) for a local user
// no longer in it. authenticate and the API's credentials both use it.
func (s *Server) currentSession(r *http.Request) (User, session, error) {
	sess, ok := s.sess.get(sessionID(r))
	if !ok {
		return User{}, session{}, errNoSession
	}
	if sess.Origin != originLocal {
		return sess.User, sess, nil // roles from the identity provider, held by the session
	}
	u, err := s.users.Lookup(r.Context(), sess.User.Username)
	if err != nil {
		return User{Username: sess.User.Username}, sess, err
	}
	return u, sess, nil
}

// apiRefuse records a refused request and answers it with the code's
// status (schemas.HTTPStatus).
func (s *Server) apiRefuse(c *gin.Context, e AuditEntry, code, msg string) {
	status := schemas.HTTPStatus(code)
	e.Status = status
	if err := s.auditAPI(c, e); err != nil {
		code, msg = schemas.EUNAVAILABLE, tr{c.Query("lang")}.T("api.503")
		status = schemas.HTTPStatus(code)
	}
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="bussola"`)
	}
	c.AbortWithStatusJSON(status, gin.H{"error": msg, "code": code})
}

var errNoAudit = errors.New("api reads need an audit log")

// errNoSession: the request carries no valid session.
var errNoSession = errors.New("no session")

func (s *Server) auditAPI(c *gin.Context, e AuditEntry) error {
	if s.audit == nil {
		s.log.Error("audit", "err", errNoAudit)
		return errNoAudit
	}
	if err := s.audit.Record(context.WithoutCancel(c.Request.Context()), e); err != nil {
		s.log.Error("audit", "err", err)
		return err
	}
	return nil
}

// apiFilters is the query of a request, sorted, without the tenant (it has
// its own field).
func apiFilters(q url.Values, tenantParam string) string {
	q = maps.Clone(q)
	q.Del(tenantParam)
	return q.Encode()
}

// heldWriter holds a handler's answer until its audit entry is written.
// Headers go straight to the real writer's map; status and body wait.
type heldWriter struct {
	gin.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *heldWriter) WriteHeader(code int)              { w.status = code }
func (w *heldWriter) WriteHeaderNow()                   {}
func (w *heldWriter) Write(b []byte) (int, error)       { return w.buf.Write(b) }
func (w *heldWriter) WriteString(s string) (int, error) { return w.buf.WriteString(s) }
func (w *heldWriter) Status() int                       { return w.status }
func (w *heldWriter) Size() int                         { return w.buf.Len() }
func (w *heldWriter) Written() bool                     { return w.buf.Len() > 0 }
func (w *heldWriter) Flush()                            {}

// SignedInAdmin reports whether the request carries the session of a user
// who is an administrator of at least one tenant (for the operations views
// outside the reports, such as the pipeline status page).
func (s *Server) SignedInAdmin(c *gin.Context) bool {
	u, err := s.sessionUser(c.Request)
	if err != nil {
		return false
	}
	for _, rs := range u.Roles {
		if slices.Contains(rs, RoleAdmin) {
			return true
		}
	}
	return false
}
