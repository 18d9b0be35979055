package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/bussola-pa/bussola/internal/statuspage"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/schemas"
)

// pipelineStatus implements statuspage.Source from the store and the
// Prometheus registry.
type pipelineStatus struct{ m *Main }

var _ statuspage.Source = pipelineStatus{}

func (p pipelineStatus) Status(ctx context.Context) (statuspage.Status, error) {
	st := statuspage.Status{At: time.Now().UTC()}
	metrics, err := p.m.Registry.Gather()
	if err != nil {
		return st, err
	}
	sum := func(name string, labels map[string]string) float64 {
		var total float64
		for _, mf := range metrics {
			if mf.GetName() != name {
				continue
			}
		next:
			for _, mt := range mf.GetMetric() {
				have := map[string]string{}
				for _, lp := range mt.GetLabel() {
					have[lp.GetName()] = lp.GetValue()
				}
				for k, v := range labels {
					if have[k] != v {
						continue next
					}
				}
				if c := mt.GetCounter(); c != nil {
					total += c.GetValue()
				} else if g := mt.GetGauge(); g != nil {
					total += g.GetValue()
				}
			}
		}
		return total
	}
	for _, s := range schemas.Streams {
		n, err := p.m.Store.Count(ctx, s.Table())
		if err != nil {
			return st, fmt.Errorf("count %s: %w", s.Table(), err)
		}
		name := string(s)
		st.Streams = append(st.Streams, statuspage.Stream{
			Name: name, Topic: s.Topic(), Rows: n,
			Accepted:     sum("bussola_ingest_records_total", map[string]string{"stream": name, "outcome": "accepted"}),
			Rejected:     sum("bussola_ingest_records_total", map[string]string{"stream": name, "outcome": "rejected"}),
			DeadLettered: sum("bussola_ingest_deadlettered_total", map[string]string{"stream": name}),
			Lag:          sum("bussola_consumer_lag_messages", map[string]string{"stream": name}),
		})
	}
	st.DeadLetters, err = p.m.Store.Count(ctx, schemas.StreamDeadLetter.Table())
	return st, err
}

// assetsDir is where echarts.min.js is served from: --assets-dir, or the
// cache filled by scripts/setup.sh.
func assetsDir(cfg Config) string {
	if cfg.AssetsDir != "" {
		return cfg.AssetsDir
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(cache, "bussola", "echarts", echartsVersion, "package", "dist")
}

// echartsVersion is the npm echarts release scripts/setup.sh fetches.
const echartsVersion = "5.4.3"

// mountStatus mounts the status page at / (and the ECharts assets when the
// reports, which normally serve them, are not mounted). Its counts go to
// the bearers of the metrics token and to signed-in report administrators
// (srv may be nil); everyone else sees ok or unavailable.
func mountStatus(m *Main, r *gin.Engine, serveAssets bool, srv *reports.Server) {
	if serveAssets {
		r.StaticFS("/assets/echarts", reports.FilesOnly(http.Dir(assetsDir(m.Config))))
	}
	detail := func(g *gin.Context) bool {
		return m.opsToken(g) || (srv != nil && srv.SignedInAdmin(g))
	}
	statuspage.New(pipelineStatus{m}, "/assets/echarts/", detail).Register(r)
}

// counterValue reads a Prometheus counter.
func counterValue(c prometheus.Counter) float64 {
	var pb dto.Metric
	if err := c.Write(&pb); err != nil {
		return 0
	}
	return pb.GetCounter().GetValue()
}
