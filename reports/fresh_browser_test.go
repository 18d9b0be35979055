package reports_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

// TestFreshnessStampOnEveryPage: every page says, under its title, which
// data version it answers from, in Italian date format (English on the
// English page), on a laptop and on a phone, and stays accessible.
func TestFreshnessStampOnEveryPage(t *testing.T) {
	b := mustBrowser(t)
	axe := axeSource(t)
	b.login(t, reportstest.AdminA)
	want := map[string]string{
		"it": "Dati aggiornati al 02/12/2026 15:42 UTC (versione 5eed0001)",
		"en": "Data as of 02/12/2026 15:42 UTC (version 5eed0001)",
	}
	for _, vp := range viewports[:2] {
		for _, p := range reports.Pages {
			for _, lang := range []string{"it", "en"} {
				t.Run(fmt.Sprintf("OK the %s page in %s says how fresh its data are at %dx%d", p, lang, vp.width, vp.height), func(t *testing.T) {
					b.viewport(t, vp.width, vp.height, vp.mobile)
					b.openCharts(t, "/reports/"+string(p)+"?lang="+lang)
					var stamp string
					var visible bool
					if err := chromedp.Run(b.ctx, chromedp.Evaluate(`(document.querySelector("[data-fresh]") || {}).textContent || ""`, &stamp),
						chromedp.Evaluate(`(() => { const e = document.querySelector("[data-fresh]"); if (!e) return false;
  const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.right <= document.documentElement.clientWidth + 1; })()`, &visible)); err != nil {
						t.Fatal(err)
					}
					w := want[lang]
					if p == reports.PagePipeline {
						// The pipeline's figures are live: the time they were taken.
						w = map[string]string{"it": "Dati letti al ", "en": "Data read at "}[lang]
					}
					if !strings.HasPrefix(strings.TrimSpace(stamp), w) {
						t.Errorf("freshness stamp %q, want %q", stamp, w)
					}
					if !visible {
						t.Error("the freshness stamp is not visible within the screen")
					}
					if lang == "it" {
						b.shot(t, "fresh-"+vp.name+"-"+string(p))
					}
					if axe != "" {
						for _, v := range b.axeViolations(t, axe) {
							t.Errorf("WCAG 2.1 AA: %s", v)
						}
					}
				})
			}
		}
	}
	b.viewport(t, 1366, 900, false)
}
