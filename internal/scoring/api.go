package scoring

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	store "github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/schemas"
)

// APIConfig configures the scoring API.
type APIConfig struct {
	// Tenant returns the tenant a POST /score request is authenticated
	// for by its ingest token ("" when it is not); the authentication
	// middleware runs before the route.
	Tenant func(g *gin.Context) string
	// ReaderTenant returns the tenant a GET /results request was
	// authorised for with report credentials ("" when it was not); the
	// middleware that authenticates, authorises and audits the readers
	// runs before the route.
	ReaderTenant func(g *gin.Context) string
	// MinGroupSize is the smallest group whose aggregates are published.
	// Default 5.
	MinGroupSize int
	// Disclosure is the lattice protection the results go through (the
	// report server's WaveDisclosure); cmd/bussola wires it in. Without it
	// (tests of the job alone) only the per-table rule applies.
	Disclosure Disclosure
	// Timeout bounds one scoring or one results query. Default 2 minutes.
	Timeout time.Duration
	Logger  *slog.Logger
}

// API serves the scoring routes.
type API struct {
	cfg APIConfig
	job *Job
}

// NewAPI returns the API over job.
func NewAPI(job *Job, cfg APIConfig) (*API, error) {
	if cfg.Tenant == nil || cfg.ReaderTenant == nil {
		return nil, errors.New("scoring api: Tenant and ReaderTenant functions are required")
	}
	if cfg.MinGroupSize <= 0 {
		cfg.MinGroupSize = 5
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &API{cfg: cfg, job: job}, nil
}

// Routes, relative to the group they are registered on.
const (
	RouteScore   = "/score"
	RouteResults = "/results"
)

// RegisterWrite mounts POST /score on r (mount it under
// /api/v1/assessment behind the ingest tokens: a producer that finished a
// wave asks for it to be scored):
//
//	POST /score   {tenant, instrument_id, instrument_version, wave}
//	              scores the wave now and answers its Outcome.
//
// tenant defaults to the token's and instrument_version to 1; a token may
// name its own tenant only (403 otherwise).
func (a *API) RegisterWrite(r gin.IRoutes) {
	r.POST(RouteScore, a.score)
}

// RegisterRead mounts GET /results on r (mount it under
// /api/v1/assessment behind the report credentials' middleware, which
// audits every read; ingest tokens do not read):
//
//	GET  /results ?tenant=&instrument_id=&instrument_version=&wave=&by=
//	              the latest scoring's Results, grouped by org_unit
//	              (default), grade or cohort.
//
// tenant defaults to the one the middleware authorised.
func (a *API) RegisterRead(r gin.IRoutes) {
	r.GET(RouteResults, a.results)
}

// scoreRequest is the body of POST /score; tenant defaults to the token's.
type scoreRequest struct {
	Tenant            string `json:"tenant"`
	InstrumentID      string `json:"instrument_id"`
	InstrumentVersion int    `json:"instrument_version"`
	Wave              string `json:"wave"`
}

func (a *API) score(g *gin.Context) {
	var req scoreRequest
	if err := g.ShouldBindJSON(&req); err != nil {
		a.fail(g, schemas.Errorf(schemas.EINVALID, "body: must be JSON {tenant, instrument_id, instrument_version, wave}: %v", err))
		return
	}
	k := store.WaveKey{Tenant: req.Tenant, Instrument: req.InstrumentID, Version: req.InstrumentVersion, Wave: req.Wave}
	if !a.authorize(g, a.cfg.Tenant(g), &k) {
		return
	}
	ctx, cancel := context.WithTimeout(g.Request.Context(), a.cfg.Timeout)
	defer cancel()
	o, err := a.job.ScoreNow(ctx, k)
	if err != nil {
		a.fail(g, err)
		return
	}
	g.JSON(http.StatusOK, o)
}

func (a *API) results(g *gin.Context) {
	k := store.WaveKey{Tenant: g.Query("tenant"), Instrument: g.Query("instrument_id"), Wave: g.Query("wave"), Version: 1}
	if v := g.Query("instrument_version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			a.fail(g, schemas.Errorf(schemas.EINVALID, "instrument_version: must be a whole number, got %q", v))
			return
		}
		k.Version = n
	}
	by := g.DefaultQuery("by", "org_unit")
	if !a.authorize(g, a.cfg.ReaderTenant(g), &k) {
		return
	}
	in, err := a.job.Instrument(k.Instrument, k.Version)
	if err != nil {
		a.fail(g, err)
		return
	}
	ctx, cancel := context.WithTimeout(g.Request.Context(), a.cfg.Timeout)
	defer cancel()
	groups, err := a.job.st.WaveGroups(ctx, k, by)
	if err != nil {
		a.fail(g, err)
		return
	}
	if groups.ScoredAt.IsZero() {
		a.fail(g, schemas.Errorf(schemas.ENOTFOUND, "wave: %s has not been scored yet (POST /api/v1/assessment/score)", k))
		return
	}
	rel, notes, err := a.job.Reliability(ctx, k, groups.ScoredAt)
	if err != nil {
		a.fail(g, err)
		return
	}
	var dims []string
	for _, d := range in.Dimensions {
		dims = append(dims, d.ID)
	}
	res := buildResults(k, by, a.cfg.MinGroupSize, dims, groups, rel, notes)
	if a.cfg.Disclosure != nil && !res.Suppressed {
		hidden, total, err := a.cfg.Disclosure(ctx, k.Tenant, k.Instrument, k.Wave, by)
		if err != nil {
			a.fail(g, err)
			return
		}
		applyDisclosure(res, hidden, total)
	}
	g.JSON(http.StatusOK, res)
}

// SetDisclosure sets the lattice protection the results go through, once
// the report server that holds it exists.
func (a *API) SetDisclosure(d Disclosure) { a.cfg.Disclosure = d }

// authorize fills a missing tenant with the authenticated one and refuses
// another tenant's (403) or a request without a tenant (401).
func (a *API) authorize(g *gin.Context, tenant string, k *store.WaveKey) bool {
	if tenant == "" {
		a.fail(g, schemas.Errorf(schemas.EUNAUTHORIZED, "a valid bearer token is required (Authorization: Bearer <token>)"))
		return false
	}
	if k.Tenant == "" {
		k.Tenant = tenant
	}
	if k.Tenant != tenant {
		a.fail(g, schemas.Errorf(schemas.EFORBIDDEN, "tenant: the credentials of tenant %s cannot read or score tenant %s", tenant, k.Tenant))
		return false
	}
	if err := k.Check(); err != nil {
		a.fail(g, err)
		return false
	}
	return true
}

// statusOf maps error codes to HTTP statuses.
var statusOf = map[string]int{
	schemas.EINVALID:      http.StatusBadRequest,
	schemas.EUNAUTHORIZED: http.StatusUnauthorized,
	schemas.EFORBIDDEN:    http.StatusForbidden,
	schemas.ENOTFOUND:     http.StatusNotFound,
	schemas.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// fail answers with the error's status and message; internal errors are
// logged and answered without details.
func (a *API) fail(g *gin.Context, err error) {
	code := schemas.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		a.cfg.Logger.Error("scoring api", "path", g.FullPath(), "err", err)
		g.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "internal error; see the service log"})
		return
	}
	var e *schemas.Error
	msg := err.Error()
	if errors.As(err, &e) {
		msg = e.Message
	}
	g.AbortWithStatusJSON(status, gin.H{"error": msg, "code": code})
}
