package ingest

import (
	"crypto/sha256"
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/bussola-pa/bussola/schemas"
)

// tenantKey is the gin context key TokenAuth stores the tenant under.
const tenantKey = "bussola.ingest.tenant"

// TokenAuth returns Gin middleware that admits requests bearing one of the
// per-tenant ingest tokens (tokens maps a token to its tenant), checked
// like the intake's, and answers 401 otherwise. AuthTenant tells the
// handlers which tenant the token belongs to.
func TokenAuth(tokens map[string]string) (gin.HandlerFunc, error) {
	in := &Intake{}
	for tok, tenant := range tokens {
		if len(tok) < 16 {
			return nil, fmt.Errorf("token auth: the token of tenant %s is shorter than 16 characters", tenant)
		}
		in.tokens = append(in.tokens, tokenEntry{hash: sha256.Sum256([]byte(tok)), tenant: tenant})
	}
	return func(g *gin.Context) {
		tenant, ok := in.tenantOf(g.GetHeader("Authorization"))
		if !ok {
			g.Header("WWW-Authenticate", `Bearer realm="bussola"`)
			g.AbortWithStatusJSON(schemas.HTTPStatus(schemas.EUNAUTHORIZED), gin.H{"error": "a valid bearer token is required (Authorization: Bearer <token>)"})
			return
		}
		g.Set(tenantKey, tenant)
		g.Next()
	}, nil
}

// AuthTenant returns the tenant TokenAuth admitted the request for, or "".
func AuthTenant(g *gin.Context) string { return g.GetString(tenantKey) }
