package reports_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

func TestFreshness(t *testing.T) {
	e := mustStart(t)
	c := e.client(t, reportstest.AdminA)
	for _, p := range reports.Pages {
		t.Run("OK data.json of the "+string(p)+" page says which data version it answers from", func(t *testing.T) {
			status, body := get(t, c, e.ts.URL+"/reports/"+string(p)+"/data.json")
			if status != http.StatusOK {
				t.Fatalf("status %d: %.200s", status, body)
			}
			var d struct {
				AsOf    string `json:"as_of"`
				Version string `json:"data_version"`
			}
			if err := json.Unmarshal([]byte(body), &d); err != nil {
				t.Fatal(err)
			}
			at, err := time.Parse(time.RFC3339, d.AsOf)
			if err != nil {
				t.Fatalf("as_of %q: %v", d.AsOf, err)
			}
			if p == reports.PagePipeline {
				if d.Version != "" || at.IsZero() {
					t.Errorf("pipeline as_of %s version %q: want the time its live figures were taken and no version", d.AsOf, d.Version)
				}
				return
			}
			if !at.Equal(reportstest.Freshness.AsOf) || d.Version != reportstest.Freshness.Version {
				t.Errorf("as_of %s version %q, want %s %q", d.AsOf, d.Version, reportstest.Freshness.AsOf.Format(time.RFC3339), reportstest.Freshness.Version)
			}
		})
	}
	t.Run("OK the page header carries the stamp in Italian date format", func(t *testing.T) {
		_, body := get(t, c, e.ts.URL+"/reports/readiness")
		if !strings.Contains(body, "Dati aggiornati al 02/12/2026 15:42 UTC (versione 5eed0001)") {
			t.Error("the readiness page has no freshness stamp")
		}
		_, body = get(t, c, e.ts.URL+"/reports/readiness?lang=en")
		if !strings.Contains(body, "Data as of 02/12/2026 15:42 UTC (version 5eed0001)") {
			t.Error("the English readiness page has no freshness stamp")
		}
	})
}
