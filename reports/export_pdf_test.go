package reports_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
	"github.com/ledongthuc/pdf"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/unicode/norm"
)

// mustPrinter skips (or, with CI set, fails) without Chromium and the real
// ECharts assets: the PDF is the page drawn by the browser.
func mustPrinter(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and %s is missing", chromiumPath)
		}
		t.Skipf("%s not found: PDF test skipped", chromiumPath)
	}
	if _, real := assetsDir(t); !real {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set and the ECharts assets are missing")
		}
		t.Skip("ECharts assets missing: PDF test skipped")
	}
}

// pdfText is the text of every page, read with a PDF library.
func pdfText(t *testing.T, b []byte) []string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		var sb strings.Builder
		for _, row := range mustRows(t, p) {
			for _, w := range row.Content {
				sb.WriteString(w.S)
			}
			sb.WriteString("\n")
		}
		pages = append(pages, sb.String())
	}
	return pages
}

func mustRows(t *testing.T, p pdf.Page) pdf.Rows {
	t.Helper()
	rows, err := p.GetTextByRow()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// squash drops white space, as PDF text comes in positioned runs.
// and ligatures (ﬁ) as one glyph.
func squash(s string) string { return strings.Join(strings.Fields(norm.NFKC.String(s)), "") }

func TestExportPDF(t *testing.T) {
	t.Run("Err without Chromium the PDF export answers 503 with a message", func(t *testing.T) {
		e := mustStartWith(t, startOpts{config: func(c *reports.Config) { c.ChromiumPath = filepath.Join(t.TempDir(), "chromium") }})
		code, body := get(t, e.client(t, reportstest.HRA), e.ts.URL+"/reports/readiness/export/page.pdf")
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "Chromium non è installato") {
			t.Fatalf("%d %s", code, body)
		}
		code, _ = get(t, e.client(t, reportstest.HRA), e.ts.URL+"/reports/readiness")
		if code != http.StatusOK {
			t.Fatalf("the page itself answers %d", code)
		}
		// summary.pdf stays the executive page's PDF, and only its.
		if code, body := get(t, e.client(t, reportstest.ExecA), e.ts.URL+"/reports/executive/export/summary.pdf"); code != http.StatusServiceUnavailable {
			t.Fatalf("executive summary.pdf: %d %s", code, body)
		}
		if code, _ := get(t, e.client(t, reportstest.HRA), e.ts.URL+"/reports/readiness/export/summary.pdf"); code != http.StatusNotFound {
			t.Fatalf("readiness summary.pdf: %d", code)
		}
	})

	mustPrinter(t)
	e := mustStartWith(t, startOpts{config: func(c *reports.Config) { c.ChromiumPath = chromiumPath }})
	hr := e.client(t, reportstest.HRA)
	list, err := e.srv.Widgets(context.Background(), reports.PageReadiness, reports.Query{Tenant: reportstest.TenantA, Unit: "Ragioneria", Lang: "it"})
	if err != nil {
		t.Fatal(err)
	}
	ws := make(map[string]reports.Widget)
	charts := 0
	for _, w := range list {
		ws[w.ID] = w
		if w.Option != nil && w.State == reports.StateData {
			charts++ // drawn; a withheld or empty chart is said in words
		}
	}
	start := time.Now()
	resp, err := hr.Get(e.ts.URL + "/reports/readiness/export/page.pdf?unit=Ragioneria")
	t.Logf("PDF of the readiness page in %v", time.Since(start))
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(readAll(t, resp))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("%d %s: %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if art := os.Getenv("BUSSOLA_ARTIFACTS_DIR"); art != "" {
		_ = os.WriteFile(filepath.Join(art, "readiness.pdf"), body, 0o644)
	}
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	ctx, err := api.ReadContext(bytes.NewReader(body), conf)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, body)

	t.Run("OK every chart group starts its own page, and each of those pages carries the chart image", func(t *testing.T) {
		if err := ctx.EnsurePageCount(); err != nil {
			t.Fatal(err)
		}
		if ctx.PageCount < charts || len(text) != ctx.PageCount {
			t.Fatalf("%d pages (%d with text) for %d charts", ctx.PageCount, len(text), charts)
		}
		imgs, err := api.Images(bytes.NewReader(body), nil, conf)
		if err != nil {
			t.Fatal(err)
		}
		withImage := map[int]bool{}
		for _, m := range imgs {
			for _, img := range m {
				if img.Width >= 200 && img.Height >= 100 {
					withImage[img.PageNr] = true
				}
			}
		}
		for id, w := range ws {
			if w.Option == nil {
				continue
			}
			if w.State != reports.StateData {
				// No chart: the printed page says in words why.
				if !slices.ContainsFunc(text, func(p string) bool { return strings.Contains(squash(p), squash(w.Why)) }) {
					t.Fatalf("%s (%s) is not drawn and no page says why (%q)", id, w.State, w.Why)
				}
				continue
			}
			title := squash(w.Title)
			found := false
			for i, p := range text {
				if strings.Contains(squash(p), title) {
					found = true
					if !withImage[i+1] {
						t.Fatalf("%s starts on page %d, which has no chart image (pages with one: %v)", id, i+1, withImage)
					}
					break
				}
			}
			if !found {
				t.Fatalf("no page has the title of %s (%q)", id, w.Title)
			}
		}
		if len(withImage) < charts {
			t.Fatalf("%d pages with a chart image for %d charts", len(withImage), charts)
		}
	})
	t.Run("OK the data tables are printed, suppressed cells with their reason", func(t *testing.T) {
		all := squash(strings.Join(text, "\n"))
		for _, col := range ws["readiness-heatmap"].Table.Columns {
			if !strings.Contains(all, squash(col)) {
				t.Fatalf("no column %q of the heatmap's table", col)
			}
		}
		// A long reason wraps inside its cell, so its lines interleave
		// with the next cells' in the text: cells are looked for one by one.
		cells, hidden := 0, 0
		for _, w := range ws {
			for _, r := range w.Table.Rows {
				for _, c := range r {
					if c.Hidden {
						hidden++
						continue
					}
					if !strings.Contains(all, squash(c.Text)) {
						t.Fatalf("%s: the cell %q is not printed", w.ID, c.Text)
					}
					cells++
				}
			}
		}
		if n := strings.Count(all, squash("non mostrato")); n < hidden {
			t.Fatalf("%d suppressed markers printed for %d suppressed cells", n, hidden)
		}
		if cells == 0 {
			t.Fatal("no table cells to look for")
		}
		if !strings.Contains(all, squash("Ragioneria")) {
			t.Fatal("the filtered unit is not in the tables")
		}
	})
	t.Run("OK filters, menus and buttons are not printed", func(t *testing.T) {
		all := squash(strings.Join(text, "\n"))
		for _, s := range []string{"Applica", "Esci", "Stampa", "Azzera"} {
			if strings.Contains(all, s) {
				t.Fatalf("%q printed", s)
			}
		}
	})
	t.Run("OK the PDF is tagged for screen readers and has an outline", func(t *testing.T) {
		root, err := ctx.Catalog()
		if err != nil {
			t.Fatal(err)
		}
		if root["StructTreeRoot"] == nil {
			t.Fatal("no structure tree")
		}
		mark, err := ctx.DereferenceDict(root["MarkInfo"])
		if err != nil || mark == nil {
			t.Fatalf("no MarkInfo: %v", err)
		}
		if b, ok := mark["Marked"].(types.Boolean); !ok || !bool(b) {
			t.Fatalf("MarkInfo %v", mark)
		}
		bms, err := api.Bookmarks(bytes.NewReader(body), conf)
		if err != nil || len(bms) == 0 {
			t.Fatalf("no outline: %v", err)
		}
		if lang, ok := root["Lang"]; !ok || !strings.Contains(lang.String(), "it") {
			t.Fatalf("document language %v", root["Lang"])
		}
	})
	t.Run("OK the export is audited", func(t *testing.T) {
		if !strings.Contains(e.audit.String(), `"format":"pdf"`) {
			t.Fatal("no pdf export in the audit log")
		}
	})
}
