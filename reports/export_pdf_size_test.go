package reports_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

// TestPDFOfEveryPage prints every page the admin sees and logs each PDF's
// size (the figures the README gives); each is a PDF.
func TestPDFOfEveryPage(t *testing.T) {
	mustPrinter(t)
	e := mustStartWith(t, startOpts{config: func(c *reports.Config) { c.ChromiumPath = chromiumPath }})
	admin := e.client(t, reportstest.AdminA)
	for _, p := range reports.Pages {
		resp, err := admin.Get(e.ts.URL + "/reports/" + string(p) + "/export/page.pdf")
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF-") {
			t.Fatalf("%s: %d %.100s", p, resp.StatusCode, body)
		}
		t.Logf("%s.pdf: %d bytes", p, len(body))
		if art := os.Getenv("BUSSOLA_ARTIFACTS_DIR"); art != "" {
			_ = os.WriteFile(filepath.Join(art, string(p)+".pdf"), []byte(body), 0o644)
		}
	}
}
