package reports_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/bussola-pa/bussola/reports/reportstest"
)

// TestDrillDownKeepsTheIdentifier: the heatmap's rows show display names
// and a click on a cell filters by the unit's identifier (data-keys).
func TestDrillDownKeepsTheIdentifier(t *testing.T) {
	b := mustBrowser(t)
	b.login(t, reportstest.HRA)
	b.viewport(t, 1366, 900, false)
	b.openCharts(t, "/reports/readiness")
	var keys string
	if err := chromedp.Run(b.ctx, chromedp.Evaluate(`document.getElementById('readiness-heatmap').getAttribute('data-keys')`, &keys)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(keys, `"Servizi sociali"`) {
		t.Fatalf("data-keys %q lacks the units' identifiers", keys)
	}
	// Click the first row's first cell where ECharts draws it, with the mouse.
	where := `(() => { const el = document.getElementById('readiness-heatmap'); el.scrollIntoView({block: 'center'});
  const c = echarts.getInstanceByDom(el); const [x, y] = c.convertToPixel({seriesIndex: 0}, [0, 0]);
  const r = el.getBoundingClientRect(); return [r.left + x, r.top + y]; })()`
	var xy []float64
	if err := chromedp.Run(b.ctx, chromedp.Evaluate(where, &xy)); err != nil || len(xy) != 2 {
		t.Fatalf("cell position %v: %v", xy, err)
	}
	if err := chromedp.Run(b.ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
	b.waitTrue(t, `location.search.includes('unit=')`)
	var search string
	if err := chromedp.Run(b.ctx, chromedp.Evaluate(`location.search`, &search)); err != nil {
		t.Fatal(err)
	}
	first := strings.Trim(strings.SplitN(strings.Trim(keys, "[]"), ",", 2)[0], `"`)
	if !strings.Contains(search, "unit="+strings.ReplaceAll(first, " ", "+")) {
		t.Errorf("the drill-down went to %s, want the first row's identifier %q", search, first)
	}
}

// TestDrillDownByKeyboard: the heatmap's table names each unit with a
// link to the page filtered by its identifier, so the drill-down a click
// on the chart makes is reached by keyboard alone: Tab to the table's
// summary, Enter opens it, Tab to the first unit, Enter follows it.
func TestDrillDownByKeyboard(t *testing.T) {
	b := mustBrowser(t)
	b.login(t, reportstest.HRA)
	b.viewport(t, 1366, 900, false)
	b.openCharts(t, "/reports/readiness?lang=en")
	focused := func() string {
		var s string
		if err := chromedp.Run(b.ctx, chromedp.Evaluate(`(() => { const a = document.activeElement;
  return (a.closest('#w-readiness-heatmap') ? 'heatmap:' : '') + a.tagName + ':' + (a.getAttribute('href') || a.textContent.trim().slice(0, 40)); })()`, &s)); err != nil {
			t.Fatal(err)
		}
		return s
	}
	step := func(key string) {
		if err := chromedp.Run(b.ctx, chromedp.KeyEvent(key)); err != nil {
			t.Fatal(err)
		}
	}
	// Tab to the heatmap's table summary (through the filters, the exports
	// and the charts before it).
	for i := 0; !strings.HasPrefix(focused(), "heatmap:SUMMARY"); i++ {
		if i > 80 {
			t.Fatalf("80 tabs and the heatmap's table summary was never focused (at %s)", focused())
		}
		step(kb.Tab)
	}
	step(kb.Enter)
	for i := 0; !strings.HasPrefix(focused(), "heatmap:A:"); i++ {
		if i > 5 {
			t.Fatalf("no unit link after the opened summary (at %s)", focused())
		}
		step(kb.Tab)
	}
	link := strings.TrimPrefix(focused(), "heatmap:A:")
	if !strings.Contains(link, "unit=") || !strings.Contains(link, "lang=en") {
		t.Fatalf("the first unit links to %q, want the page under unit= with the other filters kept", link)
	}
	step(kb.Enter)
	b.waitTrue(t, `location.search.includes('unit=')`)
	var search string
	if err := chromedp.Run(b.ctx, chromedp.Evaluate(`location.search`, &search)); err != nil {
		t.Fatal(err)
	}
	if search != link {
		t.Errorf("Enter on the link went to %s, want %s", search, link)
	}
}

// TestReadinessTrendLegendIsNotPaged: the trend over every wave has a
// line per dimension; its legend lies in rows below the plot, never paged
// ("1/2") and never over the plot, on a desktop and on a phone.
func TestReadinessTrendLegendIsNotPaged(t *testing.T) {
	b := mustBrowser(t)
	b.login(t, reportstest.HRA)
	for _, vp := range []struct {
		w, h   int64
		mobile bool
	}{{1366, 900, false}, {390, 844, true}} {
		b.viewport(t, vp.w, vp.h, vp.mobile)
		b.openCharts(t, "/reports/readiness")
		var legend map[string]any
		if err := chromedp.Run(b.ctx, chromedp.Evaluate(legendLayout("readiness-trend"), &legend)); err != nil {
			t.Fatal(err)
		}
		if legend["paged"] == true {
			t.Errorf("%dpx: the legend pages: %v", vp.w, legend)
		}
		if legend["top"].(float64) < legend["plotBottom"].(float64) || legend["bottom"].(float64) > legend["height"].(float64) {
			t.Errorf("%dpx: the legend is not between the plot and the chart's bottom: %v", vp.w, legend)
		}
	}
}
