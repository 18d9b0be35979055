package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/reports"
)

// mustAPIToken creates an API token for a report user with
// `bussola api-token create` and returns it.
func mustAPIToken(tb testing.TB, m *Main, user string) string {
	tb.Helper()
	var out, errb bytes.Buffer
	if err := runAPIToken(context.Background(), []string{"create", "--data-dir", m.Config.DataDir, "--user", user, "--label", "test"}, &out, &errb); err != nil {
		tb.Fatalf("api-token create --user %s: %v\n%s", user, err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// withEChartsAssets points the service at a stub echarts.min.js when
// scripts/setup.sh has not fetched the real one, so the reports (and with
// them the assessment API's reads) are mounted.
func withEChartsAssets(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(reports.DefaultAssetsDir(), "echarts.min.js")); err == nil {
		return
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "echarts.min.js"), []byte("/* stub */"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BUSSOLA_ASSETS_DIR", dir)
}

// short cuts a response body for a test message.
func short(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// opsGet gets path with a bearer token ("" : anonymous).
func opsGet(tb testing.TB, m *Main, path, bearer string) *http.Response {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+m.HTTPAddr()+path, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	return resp
}

// apiAudit returns the audit log's entries for the assessment API.
func apiAudit(tb testing.TB, m *Main) []reports.AuditEntry {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(m.Config.DataDir, "audit.log"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []reports.AuditEntry
	for line := range strings.Lines(string(b)) {
		var e reports.AuditEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			tb.Fatal(err)
		}
		if strings.HasPrefix(e.Route, assessmentAPI) {
			out = append(out, e)
		}
	}
	return out
}

// TestReadAccess runs the service on two entities of demo data and reads
// it as the outside would: the assessment results with every kind of
// credential, and the operations endpoints anonymously.
func TestReadAccess(t *testing.T) {
	withEChartsAssets(t)
	m, _ := mustLoadedMain(t)
	tenants := []string{"comune-aurelia", "comune-borgoverde"}
	aur := clickhouse.WaveKey{Tenant: tenants[0], Instrument: "digital-readiness", Version: 1, Wave: "2025-10"}
	bgv := clickhouse.WaveKey{Tenant: tenants[1], Instrument: "digital-readiness", Version: 1, Wave: "2025-10"}
	hr, lead, exec := mustAPIToken(t, m, "hr.aurelia"), mustAPIToken(t, m, "progetto.aurelia"), mustAPIToken(t, m, "direzione.enti")

	type read struct {
		name, path, bearer, user, tenant string
		status                           int
	}
	reads := []read{
		{"aurelia's ingest token on its own results", resultsPath(aur, "org_unit"), m.Tokens()[aur.Tenant], "", "", http.StatusUnauthorized},
		{"borgoverde's ingest token, tenant left to the token", "/api/v1/assessment/results?instrument_id=digital-readiness&wave=2025-10", m.Tokens()[bgv.Tenant], "", "", http.StatusUnauthorized},
		{"no credential", resultsPath(aur, "org_unit"), "", "", "", http.StatusUnauthorized},
		{"aurelia's project lead (no readiness role)", resultsPath(aur, "org_unit"), lead, "progetto.aurelia", aur.Tenant, http.StatusForbidden},
		{"aurelia's HR on borgoverde", resultsPath(bgv, "org_unit"), hr, "hr.aurelia", bgv.Tenant, http.StatusForbidden},
		{"aurelia's HR on aurelia", resultsPath(aur, "org_unit"), hr, "hr.aurelia", aur.Tenant, http.StatusOK},
		{"the executive of both entities on borgoverde", resultsPath(bgv, "grade"), exec, "direzione.enti", bgv.Tenant, http.StatusOK},
	}
	t.Run("OK results only to report users with a readiness role in the entity, never to ingest tokens", func(t *testing.T) {
		for _, r := range reads {
			code, body := bearerCall(t, m, http.MethodGet, r.path, r.bearer, nil)
			if code != r.status {
				t.Errorf("%s: want %d, got %d %s", r.name, r.status, code, short(body))
			}
			if code != http.StatusOK && bytes.Contains(body, []byte("respondents")) {
				t.Errorf("%s: a refusal carries results: %s", r.name, short(body))
			}
			if code == http.StatusOK && !bytes.Contains(body, []byte(`"respondents"`)) {
				t.Errorf("%s: no results in %s", r.name, short(body))
			}
		}
	})
	t.Run("OK the ingest token still scores its entity (a write)", func(t *testing.T) {
		code, body := apiCall(t, m, http.MethodPost, "/api/v1/assessment/score", aur.Tenant,
			map[string]any{"instrument_id": aur.Instrument, "instrument_version": 1, "wave": aur.Wave})
		if code != http.StatusOK {
			t.Errorf("POST /score with the ingest token: want 200, got %d %s", code, short(body))
		}
	})
	t.Run("OK every read is in the reports' audit log with who, which entity, when and the outcome", func(t *testing.T) {
		var got []reports.AuditEntry
		for _, e := range apiAudit(t, m) {
			if e.Route == assessmentAPI+"/results" {
				got = append(got, e)
			}
		}
		if len(got) != len(reads) {
			t.Fatalf("%d audit entries for %d reads: %+v", len(got), len(reads), got)
		}
		for i, r := range reads {
			e := got[i]
			action := reports.ActionAPIDenied
			if r.status == http.StatusOK {
				action = reports.ActionAPIRead
			}
			if e.User != r.user || e.Tenant != r.tenant || e.Status != r.status || e.Action != action || e.At.IsZero() ||
				!strings.Contains(e.Filters, "instrument_id=digital-readiness") {
				t.Errorf("%s: audit entry %+v", r.name, e)
			}
			if r.bearer != "" && strings.Contains(e.Credential+e.Filters, r.bearer) {
				t.Errorf("%s: the audit log holds the credential", r.name)
			}
		}
	})

	t.Run("OK anonymous callers learn nothing per entity from /metrics, the status page, /readyz and /healthz", func(t *testing.T) {
		for _, path := range []string{"/metrics", "/status.json", "/status", "/", "/readyz", "/healthz"} {
			resp := opsGet(t, m, path, "")
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, id := range tenants {
				if bytes.Contains(b, []byte(id)) {
					t.Errorf("anonymous GET %s names the entity %s", path, id)
				}
			}
			switch path {
			case "/metrics":
				if resp.StatusCode != http.StatusUnauthorized || bytes.Contains(b, []byte("bussola_")) {
					t.Errorf("anonymous GET /metrics: want 401 without metrics, got %d %s", resp.StatusCode, short(b))
				}
			case "/status.json":
				var st map[string]any
				_ = json.Unmarshal(b, &st)
				if resp.StatusCode != http.StatusOK || st["status"] != "ok" || len(st) != 2 {
					t.Errorf("anonymous GET /status.json: want 200 with only the time and ok, got %d %s", resp.StatusCode, short(b))
				}
			case "/readyz":
				var st map[string]string
				_ = json.Unmarshal(b, &st)
				for k, v := range st {
					if v != "ok" && v != "unavailable" {
						t.Errorf("/readyz %s: %q says more than ok or unavailable", k, v)
					}
				}
			}
		}
		resp := opsGet(t, m, "/metrics", m.opsTok)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Contains(b, []byte("bussola_ingest_records_total")) {
			t.Errorf("GET /metrics with the metrics token: want 200 with the metrics, got %d", resp.StatusCode)
		}
		for _, id := range tenants {
			if bytes.Contains(b, []byte(id)) {
				t.Errorf("/metrics has a per-entity label: %s", id)
			}
		}
	})

	t.Run("OK directories under the static assets are 404, never a listing", func(t *testing.T) {
		for _, dir := range []string{"/assets/echarts/", "/assets/app/"} {
			resp := opsGet(t, m, dir, "")
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound || bytes.Contains(b, []byte(".js")) {
				t.Errorf("GET %s: want 404 and no listing, got %d %s", dir, resp.StatusCode, short(b))
			}
		}
	})
	t.Run("OK with ClickHouse down, anonymous callers learn that it is unavailable and nothing more", func(t *testing.T) {
		m.ClickHouse().SetUnavailable(true)
		defer m.ClickHouse().SetUnavailable(false)
		for _, path := range []string{"/readyz", "/status.json"} {
			resp := opsGet(t, m, path, "")
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var st map[string]any
			_ = json.Unmarshal(b, &st)
			for k, v := range st {
				if k != "at" && v != "ok" && v != "unavailable" {
					t.Errorf("anonymous GET %s %s: %q says more than ok or unavailable", path, k, v)
				}
			}
			if resp.StatusCode != http.StatusServiceUnavailable || !bytes.Contains(b, []byte("unavailable")) {
				t.Errorf("anonymous GET %s with ClickHouse down: want 503 unavailable, got %d %s", path, resp.StatusCode, short(b))
			}
		}
	})
}
