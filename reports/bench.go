package reports

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"
)

// BenchResult is the latency of one page's data endpoint over its runs.
type BenchResult struct {
	Page     Page
	Runs     int
	P50, P95 time.Duration
	Max      time.Duration
}

// BenchEndpoints measures each page's data endpoint (GET
// /reports/{page}/data.json: store, suppression and widgets) through the
// full handler, signed in as username (who must exist in the UserStore),
// once per query per round, one request at a time. It is the harness for
// the p95 <= 250 ms target on demo data; it never fails on a time.
func (s *Server) BenchEndpoints(username string, pages []Page, queries []Query, rounds int) ([]BenchResult, error) {
	u, err := s.users.Lookup(context.Background(), username)
	if err != nil {
		return nil, fmt.Errorf("bench: user %s: %w", username, err)
	}
	id, _ := s.sess.create(u, originLocal)
	cookie := &http.Cookie{Name: sessionCookie, Value: id}
	defer s.sess.delete(id)
	h := s.Handler()
	var out []BenchResult
	for _, p := range pages {
		var ds []time.Duration
		for r := 0; r < rounds; r++ {
			for _, q := range queries {
				req := httptest.NewRequest(http.MethodGet, s.prefix+"/reports/"+string(p)+"/data.json?"+q.Values().Encode(), nil)
				req.AddCookie(cookie)
				w := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(w, req)
				_, _ = io.Copy(io.Discard, w.Body)
				ds = append(ds, time.Since(start))
				if w.Code != http.StatusOK {
					return nil, fmt.Errorf("bench %s %s: status %d: %.200s", p, q.Values().Encode(), w.Code, w.Body.String())
				}
			}
		}
		slices.Sort(ds)
		out = append(out, BenchResult{Page: p, Runs: len(ds), P50: pct(ds, 0.50), P95: pct(ds, 0.95), Max: ds[len(ds)-1]})
	}
	return out, nil
}

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1)*p + 0.5)
	return sorted[i]
}

// FormatBench renders results as a table with the 250 ms target.
func FormatBench(rs []BenchResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %6s %10s %10s %10s  %s\n", "page", "runs", "p50", "p95", "max", "p95<=250ms")
	for _, r := range rs {
		ok := "yes"
		if r.P95 > 250*time.Millisecond {
			ok = "NO"
		}
		fmt.Fprintf(&b, "%-14s %6d %10s %10s %10s  %s\n", r.Page, r.Runs, r.P50.Round(10*time.Microsecond), r.P95.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond), ok)
	}
	return b.String()
}
