package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bussola-pa/bussola/schemas"
)

// RouteErasures is the path of the erasure API.
const RouteErasures = "/api/v1/erasures"

// Eraser erases one person's data (GDPR art. 17): every stored row of the
// person, and an entry in a register that makes the consumers drop the
// person's records when Kafka delivers them again. It is idempotent: an
// erasure that failed half-way is completed by repeating it. An invalid
// person or tenant is a schemas.EINVALID error; any other error means the
// erasure did not complete.
type Eraser interface {
	Erase(ctx context.Context, tenant, person, source string) (Erasure, error)
}

// Erasure is what erasing one person deleted.
type Erasure struct {
	Tenant string `json:"tenant"`
	Person string `json:"person"`
	// Deleted counts the rows deleted per table, both passes together.
	Deleted map[string]uint64 `json:"deleted"`
}

// ErasureConfig configures the erasure API; every field is required but
// Logger.
type ErasureConfig struct {
	// Tokens maps a bearer ingest token to its tenant, as in
	// IntakeConfig: an entity's system erases its own people only.
	Tokens map[string]string
	// Pseudonyms turns an employee identifier into the pseudonym the
	// intake stored it under.
	Pseudonyms *schemas.Pseudonymizer
	Store      Eraser
	Logger     *slog.Logger
}

// ErasureAPI serves POST /api/v1/erasures.
type ErasureAPI struct {
	cfg  ErasureConfig
	auth gin.HandlerFunc
}

// NewErasureAPI returns the erasure API.
func NewErasureAPI(cfg ErasureConfig) (*ErasureAPI, error) {
	if cfg.Pseudonyms == nil || cfg.Store == nil {
		return nil, errors.New("erasure api: Pseudonyms and Store are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	auth, err := TokenAuth(cfg.Tokens)
	if err != nil {
		return nil, fmt.Errorf("erasure api: %w", err)
	}
	return &ErasureAPI{cfg: cfg, auth: auth}, nil
}

// Register mounts the API on r:
//
//	POST /api/v1/erasures   {employee_id} or {person}
//
// An entity's system, with the entity's ingest token, has one person's
// data erased: named by the employee identifier the entity's systems know
// (pseudonymised here, as at the intake) or by the pseudonym itself. The
// answer is the Erasure (200); a bad body 400 with the field in errors;
// an erasure that did not complete 503 (repeating it is safe).
func (a *ErasureAPI) Register(r gin.IRoutes) {
	r.POST(RouteErasures, a.auth, a.erase)
}

// erasureRequest names the person whose data is to be erased.
type erasureRequest struct {
	EmployeeID string `json:"employee_id"`
	Person     string `json:"person"`
}

func (a *ErasureAPI) erase(g *gin.Context) {
	tenant := AuthTenant(g)
	var req erasureRequest
	dec := json.NewDecoder(http.MaxBytesReader(g.Writer, g.Request.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		a.invalid(g, schemas.FieldError{Rule: schemas.RuleSyntax,
			Message: "the body must be one JSON object with employee_id or person: " + err.Error()})
		return
	}
	var person string
	switch {
	case req.EmployeeID != "" && req.Person != "":
		a.invalid(g, schemas.FieldError{Field: "person", Rule: schemas.RuleFormat, Message: "give employee_id or person, not both"})
		return
	case req.EmployeeID != "":
		person = a.cfg.Pseudonyms.Person(tenant, req.EmployeeID)
	case req.Person != "":
		person = req.Person
	default:
		a.invalid(g, schemas.FieldError{Field: "employee_id", Rule: schemas.RuleRequired, Message: "is required (or person, the pseudonym)"})
		return
	}
	res, err := a.cfg.Store.Erase(g.Request.Context(), tenant, person, "api")
	if err != nil {
		if schemas.ErrorCode(err) == schemas.EINVALID {
			a.invalid(g, schemas.FieldError{Field: "person", Rule: schemas.RuleFormat, Message: err.Error()})
			return
		}
		// Any other failure leaves the erasure incomplete, and repeating
		// it completes it: the caller is told to retry (unavailable), not
		// that the service is broken.
		a.cfg.Logger.Error("erasure failed", "tenant", tenant, "err", err)
		g.JSON(schemas.HTTPStatus(schemas.EUNAVAILABLE), gin.H{"error": "the erasure did not complete; it is safe to repeat: " + err.Error()})
		return
	}
	// The log names the entity and the counts, never the person.
	a.cfg.Logger.Info("erased a person's data", "tenant", tenant, "deleted", res.Deleted)
	g.JSON(http.StatusOK, res)
}

// invalid answers a bad request naming the field and the rule.
func (a *ErasureAPI) invalid(g *gin.Context, fe schemas.FieldError) {
	g.JSON(schemas.HTTPStatus(schemas.EINVALID), gin.H{"errors": []schemas.FieldError{fe}})
}
