package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/schemas"
	"github.com/bussola-pa/bussola/scoring"
)

// mountScoring creates the readiness scoring job and mounts its write
// route, POST /api/v1/assessment/score, behind the per-tenant ingest
// tokens (a token may score its own tenant only). The read route is
// mounted with the reports (mountAssessmentReads): results are read with
// report credentials, never with ingest tokens.
func mountScoring(m *Main, r *gin.Engine) error {
	insts, err := schemas.BuiltinInstruments()
	if err != nil {
		return err
	}
	job, err := scoring.New(m.Store, scoring.Config{Instruments: insts, Interval: m.Config.ScoringInterval, Logger: m.Log})
	if err != nil {
		return err
	}
	auth, err := m.tokenAuth()
	if err != nil {
		return err
	}
	api, err := scoring.NewAPI(job, scoring.APIConfig{Tenant: ingest.AuthTenant, ReaderTenant: reports.APITenant, Logger: m.Log})
	if err != nil {
		return err
	}
	api.RegisterWrite(r.Group(assessmentAPI, auth))
	m.scoring, m.scoringAPI = job, api
	return nil
}

// assessmentAPI is the path of the assessment (readiness scoring) API.
const assessmentAPI = "/api/v1/assessment"

// mountAssessmentReads mounts GET /api/v1/assessment/results behind the
// report server's API guard: a report user's API token or session, a role
// that may open the readiness page for the tenant, and one audit entry per
// request in the reports' audit log.
func mountAssessmentReads(m *Main, r *gin.Engine, srv *reports.Server) {
	if m.scoringAPI == nil {
		return
	}
	m.scoringAPI.SetDisclosure(srv.WaveDisclosure)
	m.scoringAPI.RegisterRead(r.Group(assessmentAPI, srv.APIRead(reports.PageReadiness, "tenant")))
}

// tokenAuth admits the requests bearing one of the ingest tokens, each for
// its own tenant (ingest.AuthTenant).
func (m *Main) tokenAuth() (gin.HandlerFunc, error) {
	byToken := make(map[string]string, len(m.tokens))
	for tenant, tok := range m.tokens {
		byToken[tok] = tenant
	}
	auth, err := ingest.TokenAuth(byToken)
	if err != nil {
		return nil, fmt.Errorf("--ingest-tokens: %w", err)
	}
	return auth, nil
}

// startScoring runs the scoring job every --scoring-interval until the
// service closes; 0 leaves scoring to the API and the demo.
func startScoring(m *Main, ctx context.Context) {
	if m.scoring == nil || m.Config.ScoringInterval <= 0 {
		return
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		_ = m.scoring.Run(ctx)
	}()
}

// scoreStale scores every wave with unscored answers now and prints what
// it did (the demo runs it once its data is loaded).
func scoreStale(ctx context.Context, m *Main, stdout io.Writer) error {
	start := time.Now()
	outs, err := m.scoring.ScoreStale(ctx)
	if err != nil {
		return fmt.Errorf("score the demo waves: %w", err)
	}
	for _, o := range outs {
		fmt.Fprintf(stdout, "scored %s: %d persons, %d dimensions, %d with usage data, in %s\n",
			o.WaveKey, o.Persons, o.Dimensions, o.WithUsage, o.Took.Round(time.Millisecond))
	}
	if len(outs) > 0 {
		fmt.Fprintf(stdout, "scored %d waves in %s\n", len(outs), time.Since(start).Round(time.Millisecond))
	}
	return nil
}
