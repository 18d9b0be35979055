package reports_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

// Every route that serves report data, with a {page} and a {widget}.
var dataRoutes = []string{"/reports/%s", "/reports/%s/data.json", "/reports/%s/export/%w.csv", "/reports/%s/export/%w.xlsx", "/reports/%s/export/page.xlsx", "/reports/%s/export/page.pdf", "/reports/%s/export/summary.pdf"}

var pageWidget = map[reports.Page]string{
	reports.PageReadiness: "readiness-heatmap", reports.PageImpact: "impact-diary", reports.PageExecutive: "executive-kpis",
	reports.PageCommunication: "communication-reasons", reports.PagePipeline: "pipeline-deadletters",
}

func route(tpl string, p reports.Page) string {
	return strings.NewReplacer("%s", string(p), "%w", pageWidget[p]).Replace(tpl)
}

// Tenant B's unit names: they must never appear in a tenant A user's responses.
var tenantBMarkers = []string{"Segreteria", "Tributi", reportstest.TenantB}

func TestTenantIsolation(t *testing.T) {
	e := mustStart(t)
	for _, user := range []string{reportstest.AdminA, reportstest.HRA, reportstest.LeadA, reportstest.ExecA} {
		c := e.client(t, user)
		for _, p := range reports.Pages {
			for _, tpl := range dataRoutes {
				path := route(tpl, p)
				for _, params := range []url.Values{
					{"tenant": {reportstest.TenantB}},
					{"tenant": {reportstest.TenantB}, "unit": {"Segreteria"}},
					{"tenant": {reportstest.TenantB}, "lang": {"en"}},
					{"tenant": {reportstest.TenantA, reportstest.TenantB}},
					{"tenant": {"COMUNE-BETA"}},
					{"tenants": {reportstest.TenantB}},
				} {
					t.Run(user+" cannot read tenant B via "+path+"?"+params.Encode(), func(t *testing.T) {
						status, body := get(t, c, e.ts.URL+path+"?"+params.Encode())
						if status != http.StatusNotFound && status != http.StatusForbidden && status != http.StatusBadRequest {
							t.Fatalf("status %d, want 400/403/404", status)
						}
						for _, m := range tenantBMarkers[:2] {
							if strings.Contains(body, m) {
								t.Fatalf("response mentions tenant B's %q", m)
							}
						}
					})
				}
			}
			// Without a tenant parameter the user lands on their own tenant
			// (or is refused the page): never on B.
			for _, tpl := range dataRoutes {
				path := route(tpl, p)
				status, body := get(t, c, e.ts.URL+path)
				for _, m := range tenantBMarkers {
					if strings.Contains(body, m) {
						t.Errorf("%s %s: status %d mentions tenant B's %q", user, path, status, m)
					}
				}
			}
		}
	}
}

func TestRolesGatePages(t *testing.T) {
	e := mustStart(t)
	for _, tc := range []struct {
		user string
		page reports.Page
		want int
	}{
		{reportstest.HRA, reports.PageReadiness, 200},
		{reportstest.HRA, reports.PageImpact, 403},
		{reportstest.HRA, reports.PagePipeline, 403},
		{reportstest.LeadA, reports.PageImpact, 200},
		{reportstest.LeadA, reports.PageReadiness, 403},
		{reportstest.ExecA, reports.PageExecutive, 200},
		{reportstest.ExecA, reports.PageCommunication, 403},
		{reportstest.AdminA, reports.PagePipeline, 200},
	} {
		t.Run(tc.user+" opening "+string(tc.page)+" gets the status its roles allow", func(t *testing.T) {
			status, _ := get(t, e.client(t, tc.user), e.ts.URL+"/reports/"+string(tc.page)+"/data.json")
			if status != tc.want {
				t.Fatalf("status %d, want %d", status, tc.want)
			}
		})
	}
}

func TestAuthAndCSRF(t *testing.T) {
	e := mustStart(t)
	anon := e.client(t, "")
	t.Run("ErrUnauthorized an anonymous data request gets 401 and a page redirects to login", func(t *testing.T) {
		if s, _ := get(t, anon, e.ts.URL+"/reports/readiness/data.json"); s != http.StatusUnauthorized {
			t.Fatalf("data: %d", s)
		}
		resp, _ := anon.Get(e.ts.URL + "/reports/readiness")
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Fatalf("page: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("ErrForbidden a login post without the form's CSRF token is refused", func(t *testing.T) {
		resp, err := anon.PostForm(e.ts.URL+"/login", url.Values{"username": {reportstest.HRA}, "password": {reportstest.Password}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("ErrForbidden a logout post without the session's CSRF token is refused", func(t *testing.T) {
		c := e.client(t, reportstest.HRA)
		resp, err := c.PostForm(e.ts.URL+"/logout", url.Values{"csrf": {"forged"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("OK the session cookie is HttpOnly and SameSite", func(t *testing.T) {
		c := e.client(t, "")
		_, body := get(t, c, e.ts.URL+"/login")
		tok := csrfRE.FindStringSubmatch(body)[1]
		resp, _ := c.PostForm(e.ts.URL+"/login", url.Values{"csrf": {tok}, "username": {reportstest.HRA}, "password": {reportstest.Password}})
		resp.Body.Close()
		sc := resp.Header.Get("Set-Cookie")
		if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
			t.Fatalf("cookie %q", sc)
		}
	})
	t.Run("ErrInvalid an unknown or malformed filter is a 400 naming the parameter", func(t *testing.T) {
		c := e.client(t, reportstest.HRA)
		for _, q := range []string{"unitt=x", "from=2025-13-01", "lang=de", "tenant=Bad%20Name"} {
			s, body := get(t, c, e.ts.URL+"/reports/readiness/data.json?"+q)
			if s != http.StatusBadRequest || !strings.Contains(body, "parameter") {
				t.Errorf("%s: %d %s", q, s, body)
			}
		}
	})
}

func TestBenchmarkOnlyEntitledTenants(t *testing.T) {
	e := mustStart(t)
	_, body := get(t, e.client(t, reportstest.ExecA), e.ts.URL+"/reports/executive/data.json")
	if strings.Contains(body, reportstest.TenantB) {
		t.Fatal("a single-tenant executive sees tenant B in the benchmark")
	}
	_, body = get(t, e.client(t, reportstest.ExecAB), e.ts.URL+"/reports/executive/data.json")
	if !strings.Contains(body, `"tenant":"`+reportstest.TenantB+`"`) {
		t.Fatal("a two-tenant executive does not get the benchmark")
	}
}

func TestAuditRecordsViewsAndExports(t *testing.T) {
	e := mustStart(t)
	c := e.client(t, reportstest.HRA)
	get(t, c, e.ts.URL+"/reports/readiness?unit=Ragioneria")
	get(t, c, e.ts.URL+"/reports/readiness/export/readiness-heatmap.csv")
	get(t, c, e.ts.URL+"/reports/readiness?tenant="+reportstest.TenantB)
	log := e.audit.String()
	for _, want := range []string{`"action":"view","route":"/reports/readiness","page":"readiness","tenant":"comune-alfa","filters":"unit=\"Ragioneria\"`,
		`"action":"export"`, `"format":"csv"`, `"action":"denied"`, `"action":"login","route":"/login"`} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %s:\n%s", want, log)
		}
	}
}
