package reports_test

import (
	"fmt"
	"testing"

	"github.com/bussola-pa/bussola/reports/reportstest"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// printLayout measures, with print media, what the print stylesheet
// promises: every chart canvas inside its chart box and its card, every
// data table shown, filters and menus hidden.
const printLayout = `(() => {
  const out = { charts: 0, spilled: [], tables: 0, hiddenTables: [], shown: [] };
  document.querySelectorAll('.widget').forEach(w => {
    const wr = w.getBoundingClientRect();
    w.querySelectorAll('.chart').forEach(ch => {
      const cr = ch.getBoundingClientRect();
      ch.querySelectorAll('canvas').forEach(cv => {
        out.charts++;
        const r = cv.getBoundingClientRect();
        const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
        if (r.width === 0 || !inside(r, cr) || !inside(r, wr)) { out.spilled.push(w.id + ' ' + JSON.stringify([r.top, r.bottom, r.right, cr.bottom, cr.right, wr.bottom, wr.right])); }
      });
    });
    w.querySelectorAll('table').forEach(t => {
      out.tables++;
      if (t.getBoundingClientRect().height === 0 || !t.checkVisibility()) { out.hiddenTables.push(w.id); }
    });
  });
  document.querySelectorAll('form.filters, header nav, .exports, .actions').forEach(el => {
    if (el.getBoundingClientRect().height > 0) { out.shown.push(el.className || el.tagName); }
  });
  return out;
})()`

type printMeasure struct {
	Charts       int      `json:"charts"`
	Spilled      []string `json:"spilled"`
	Tables       int      `json:"tables"`
	HiddenTables []string `json:"hiddenTables"`
	Shown        []string `json:"shown"`
}

func TestPrintStylesheet(t *testing.T) {
	b := mustBrowser(t)
	b.login(t, reportstest.HRA)
	for _, width := range []int64{1366, 703} {
		t.Run(fmt.Sprintf("OK at %d px printed charts stay in their cards, tables are printed, filters and menus are not", width), func(t *testing.T) {
			err := chromedp.Run(b.ctx, emulation.SetDeviceMetricsOverride(width, 900, 1, false),
				chromedp.Navigate(b.ts.URL+"/reports/readiness"))
			if err != nil {
				t.Fatal(err)
			}
			b.waitTrue(t, chartsRendered)
			var m printMeasure
			err = chromedp.Run(b.ctx, emulation.SetEmulatedMedia().WithMedia("print"),
				chromedp.Evaluate(printLayout, &m), emulation.SetEmulatedMedia().WithMedia(""))
			if err != nil {
				t.Fatal(err)
			}
			if m.Charts < 5 || m.Tables < 5 {
				t.Fatalf("width %d: measured %d charts and %d tables", width, m.Charts, m.Tables)
			}
			if len(m.Spilled) > 0 || len(m.HiddenTables) > 0 || len(m.Shown) > 0 {
				t.Fatalf("width %d: charts out of their box %q, tables not printed %q, printed controls %q", width, m.Spilled, m.HiddenTables, m.Shown)
			}
		})
	}
	_ = chromedp.Run(b.ctx, emulation.ClearDeviceMetricsOverride())
}
