package main

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The operations endpoints: /metrics and the counts of /status.json
// (status.go) answer only callers bearing the metrics token (Prometheus,
// the operator); the counts also a signed-in report administrator, who
// sees them on the pipeline page. /healthz, /readyz and the anonymous
// status say ok or unavailable, nothing more.

// apiTokensFile is --api-tokens-file, or api-tokens.json in --data-dir.
func apiTokensFile(cfg Config) string {
	if cfg.APITokensFile != "" {
		return cfg.APITokensFile
	}
	return filepath.Join(cfg.DataDir, "api-tokens.json")
}

// metricsToken returns --metrics-token. In embedded mode without one, a
// token is generated once into <data-dir>/metrics.token (0600); otherwise
// it is "" and /metrics is off.
func (m *Main) metricsToken() (string, error) {
	if m.Config.MetricsToken != "" {
		return m.Config.MetricsToken, nil
	}
	if !m.Config.Embedded {
		return "", nil
	}
	path := filepath.Join(m.Config.DataDir, "metrics.token")
	if b, err := os.ReadFile(path); err == nil {
		tok := strings.TrimSpace(string(b))
		if len(tok) < 16 {
			return "", fmt.Errorf("%s: the metrics token must be at least 16 characters", path)
		}
		return tok, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("read metrics token: %w", err)
	}
	tok := randomHex(24)
	if err := os.WriteFile(path, []byte(tok+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write metrics token: %w", err)
	}
	m.Log.Info("generated the metrics token (Authorization: Bearer for /metrics)", "file", path)
	return tok, nil
}

// opsToken reports whether the request bears the metrics token.
func (m *Main) opsToken(g *gin.Context) bool {
	if m.opsTok == "" {
		return false
	}
	scheme, tok, ok := strings.Cut(g.GetHeader("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(m.opsTok)) == 1
}

// mountMetrics serves /metrics to the bearers of the metrics token; without
// a token configured it is not served.
func (m *Main) mountMetrics(r *gin.Engine) error {
	tok, err := m.metricsToken()
	if err != nil {
		return fmt.Errorf("--metrics-token: %w", err)
	}
	m.opsTok = tok
	if tok == "" {
		m.Log.Warn("/metrics is off: set --metrics-token (BUSSOLA_METRICS_TOKEN) to serve it")
		return nil
	}
	h := gin.WrapH(promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry}))
	r.GET("/metrics", func(g *gin.Context) {
		if !m.opsToken(g) {
			g.Header("WWW-Authenticate", `Bearer realm="bussola-metrics"`)
			g.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "Authorization: serve il token delle metriche (Bearer) / the metrics token is required (Bearer)"})
			return
		}
		h(g)
	})
	return nil
}
