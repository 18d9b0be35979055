package main

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/schemas"
)

// erasureRequest names the person whose data is to be erased: by the
// employee identifier the entity's systems know (pseudonymised here, as at
// the intake), or by the pseudonym itself.
type erasureRequest struct {
	EmployeeID string `json:"employee_id"`
	Person     string `json:"person"`
}

// mountErasure serves POST /api/v1/erasures: an entity's system, with the
// entity's ingest token, has one person's data erased (GDPR art. 17).
func mountErasure(m *Main, r gin.IRouter, pseudo *schemas.Pseudonymizer) error {
	auth, err := m.tokenAuth()
	if err != nil {
		return err
	}
	r.POST("/api/v1/erasures", auth, func(g *gin.Context) {
		tenant := ingest.AuthTenant(g)
		var req erasureRequest
		dec := json.NewDecoder(http.MaxBytesReader(g.Writer, g.Request.Body, 4096))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			g.JSON(http.StatusBadRequest, gin.H{"errors": []schemas.FieldError{{Rule: schemas.RuleSyntax,
				Message: "the body must be one JSON object with employee_id or person: " + err.Error()}}})
			return
		}
		var person string
		switch {
		case req.EmployeeID != "" && req.Person != "":
			g.JSON(http.StatusBadRequest, gin.H{"errors": []schemas.FieldError{{Field: "person", Rule: schemas.RuleFormat,
				Message: "give employee_id or person, not both"}}})
			return
		case req.EmployeeID != "":
			person = pseudo.Person(tenant, req.EmployeeID)
		case req.Person != "":
			person = req.Person
		default:
			g.JSON(http.StatusBadRequest, gin.H{"errors": []schemas.FieldError{{Field: "employee_id", Rule: schemas.RuleRequired,
				Message: "is required (or person, the pseudonym)"}}})
			return
		}
		res, err := m.Store.Erase(g.Request.Context(), tenant, person, "api")
		switch {
		case schemas.ErrorCode(err) == schemas.EINVALID:
			g.JSON(http.StatusBadRequest, gin.H{"errors": []schemas.FieldError{{Field: "person", Rule: schemas.RuleFormat, Message: err.Error()}}})
			return
		case err != nil:
			m.Log.Error("erasure failed", "tenant", tenant, "err", err)
			g.JSON(http.StatusServiceUnavailable, gin.H{"error": "the erasure did not complete; it is safe to repeat: " + err.Error()})
			return
		}
		// The log names the entity and the counts, never the person.
		m.Log.Info("erased a person's data", "tenant", tenant, "deleted", res.Deleted)
		g.JSON(http.StatusOK, res)
	})
	return nil
}
