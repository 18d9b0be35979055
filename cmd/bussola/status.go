package main

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/schemas"
)

// The operations surface is the reports' pipeline page
// (/reports/pipeline, report administrators). / and /status lead there;
// /status.json gives its figures to monitoring: everyone learns whether
// the pipeline is ok or unavailable, the counts go to the bearers of the
// metrics token and to signed-in report administrators.

// statusStream is the live state of one evidence stream in /status.json.
type statusStream struct {
	Name         string  `json:"name"`
	Topic        string  `json:"topic"`
	Rows         uint64  `json:"rows"`          // rows queryable in ClickHouse
	Accepted     float64 `json:"accepted"`      // records the intake acknowledged since start
	Rejected     float64 `json:"rejected"`      // records the intake refused since start
	DeadLettered float64 `json:"dead_lettered"` // records sent to the dead-letter topic since start
	Lag          float64 `json:"lag"`           // messages not yet inserted and committed
}

// status is /status.json for the callers admitted to the counts.
type status struct {
	At          time.Time      `json:"at"`
	Streams     []statusStream `json:"streams"`
	DeadLetters uint64         `json:"dead_letters"` // rows in the dead_letters table
}

// statusSummary is what everyone else gets.
type statusSummary struct {
	At     time.Time `json:"at"`
	Status string    `json:"status"` // "ok" or "unavailable"
}

func (m *Main) status(ctx context.Context) (status, error) {
	st := status{At: time.Now().UTC()}
	snap, err := m.pipeline.snapshot()
	if err != nil {
		return st, err
	}
	totals, err := m.streamTotals(ctx, snap)
	if err != nil {
		return st, err
	}
	for _, t := range totals {
		c := snap.streams[t.Stream]
		st.Streams = append(st.Streams, statusStream{Name: t.Stream, Topic: t.Topic, Rows: t.Rows,
			Accepted: c.accepted, Rejected: c.rejected, DeadLettered: c.deadLettered, Lag: c.lag})
	}
	st.DeadLetters, err = m.Store.Count(ctx, schemas.StreamDeadLetter.Table())
	return st, err
}

// mountStatus mounts /status.json, and / and /status leading to the
// pipeline page; without the reports (admin: nil), to /status.json.
// admin says whether a request comes from a signed-in report
// administrator.
func mountStatus(m *Main, r *gin.Engine, admin func(*gin.Context) bool) {
	page := "/reports/" + string(reports.PagePipeline)
	if admin == nil {
		page = "/status.json"
		admin = func(*gin.Context) bool { return false }
	}
	toPage := func(g *gin.Context) { g.Redirect(http.StatusSeeOther, page) }
	r.GET("/", toPage)
	r.GET("/status", toPage)
	r.GET("/status.json", statusJSON(m.status, func(g *gin.Context) bool { return m.opsToken(g) || admin(g) }))
}

// statusJSON answers /status.json from read: the counts to the callers
// detail admits, ok or unavailable (never the reason) to everyone else.
func statusJSON(read func(context.Context) (status, error), detail func(*gin.Context) bool) gin.HandlerFunc {
	return func(g *gin.Context) {
		ctx, cancel := context.WithTimeout(g.Request.Context(), 5*time.Second)
		defer cancel()
		st, err := read(ctx)
		g.Header("Cache-Control", "no-store")
		if !detail(g) {
			sum := statusSummary{At: st.At, Status: "ok"}
			code := http.StatusOK
			if err != nil {
				sum.Status, code = "unavailable", http.StatusServiceUnavailable
			}
			g.JSON(code, sum)
			return
		}
		if err != nil {
			g.JSON(http.StatusServiceUnavailable, gin.H{"error": err.Error()})
			return
		}
		g.JSON(http.StatusOK, st)
	}
}
