package reports_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

func TestDisplayNames(t *testing.T) {
	labels := reports.Labels{reportstest.TenantA: {Entity: "Comune di Alfa",
		Units:   map[string]string{"Ragioneria": "Ragioneria generale", reportstest.SmallUnit: "Protocollo e archivio"},
		Cohorts: map[string]string{"onda-1": "Prima onda"}, Grades: map[string]string{"dirigente": "Dirigenti"},
		Waves: map[string]string{"2025": "Rilevazione di primavera 2025"}}}
	e := mustStartWith(t, startOpts{config: func(c *reports.Config) { c.Labels = labels }})
	c := e.client(t, reportstest.HRA)
	t.Run("OK the page shows the names; option values and links keep the identifiers", func(t *testing.T) {
		// A unit the fixture publishes (its cohorts and grades are hidden
		// options there: the label stays, marked).
		_, body := get(t, c, e.ts.URL+"/reports/readiness?unit=Ragioneria")
		for _, want := range []string{`<option value="Ragioneria" selected>Ragioneria generale</option>`, `<option value="onda-1"`, `>Prima onda`,
			`<option value="dirigente"`, `>Dirigenti`, `· Comune di Alfa</span>`, `data-keys="[`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		if !strings.Contains(body, "Ragioneria generale") {
			t.Error("the heatmap does not name the unit")
		}
	})
	t.Run("OK the executive cards and sentences name the wave", func(t *testing.T) {
		_, body := get(t, e.client(t, reportstest.ExecA), e.ts.URL+"/reports/executive")
		for _, want := range []string{"Rilevazione di primavera 2025", "nella rilevazione «Rilevazione di primavera 2025»"} {
			if !strings.Contains(body, want) {
				t.Errorf("the executive page lacks %s", want)
			}
		}
	})
	t.Run("OK the CSV has the name and, in its key column, the identifier", func(t *testing.T) {
		_, body := get(t, c, e.ts.URL+"/reports/readiness/export/readiness-heatmap.csv")
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF")))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) < 2 || recs[0][0] != "Unità (codice)" || recs[0][1] != "Unità" {
			t.Fatalf("header %q, want the key column before the name", recs[0])
		}
		found := false
		for _, rec := range recs[1:] {
			if rec[0] == "Ragioneria" {
				found = true
				if rec[1] != "Ragioneria generale" {
					t.Errorf("row %q: the name column is not the name", rec)
				}
			}
		}
		if !found {
			t.Errorf("no row keyed Ragioneria: %q", recs)
		}
	})
	t.Run("OK an identifier without a name reads in a readable form", func(t *testing.T) {
		for id, want := range map[string]string{"comune-aurelia": "Comune aurelia", "onda_2": "Onda 2", "Servizi sociali": "Servizi sociali"} {
			if got := reports.Readable(id); got != want {
				t.Errorf("Readable(%q) = %q, want %q", id, got, want)
			}
		}
	})
	t.Run("Err a blank name is refused, naming the tenant, the kind and the identifier, in Italian and English", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "labels.json")
		if err := os.WriteFile(path, []byte(`{"comune-alfa": {"units": {"ragioneria": "  "}}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := reports.ReadLabelsFile(path)
		if err == nil || !strings.Contains(err.Error(), "comune-alfa.units.ragioneria") || !strings.Contains(err.Error(), "non può essere vuoto") || !strings.Contains(err.Error(), "must not be blank") {
			t.Fatalf("error %v", err)
		}
		if err := os.WriteFile(path, []byte(`{"comune-alfa": {"unita": {}}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := reports.ReadLabelsFile(path); err == nil || !strings.Contains(err.Error(), "unita") {
			t.Fatalf("an unknown key: %v", err)
		}
	})
}
