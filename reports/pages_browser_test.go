package reports_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

// viewports are the screens every page is tried on: a laptop and a phone.
var viewports = []struct {
	name          string
	width, height int64
	mobile        bool
}{{"desktop", 1366, 900, false}, {"phone", 390, 844, true}, {"phone360", 360, 740, true}}

func (b *browserEnv) viewport(t *testing.T, w, h int64, mobile bool) {
	t.Helper()
	if err := chromedp.Run(b.ctx, emulation.SetDeviceMetricsOverride(w, h, 1, mobile)); err != nil {
		t.Fatal(err)
	}
}

// overflow is the page's horizontal overflow in CSS pixels and the widest
// element sticking out of the viewport, if any.
const overflow = `(() => {
  const d = document.documentElement, over = d.scrollWidth - d.clientWidth;
  let worst = "";
  if (over > 0) { for (const el of document.body.querySelectorAll("*")) { const r = el.getBoundingClientRect();
    if (r.right > d.clientWidth + 1) { worst = el.tagName + "." + el.className + "#" + el.id + " right=" + Math.round(r.right); } } }
  return [over, worst];
})()`

// axeVersion is the axe-core scripts/setup.sh fetches into the cache.
const axeVersion = "4.10.2"

// axeSource returns axe-core's script, or skips the check without it
// (fails with CI set).
func axeSource(t *testing.T) string {
	t.Helper()
	base, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(base, "bussola", "axe-core", axeVersion, "package", "axe.min.js"))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and axe-core is missing (make setup): %v", err)
		}
		t.Logf("axe-core missing (make setup): accessibility check skipped")
		return ""
	}
	return string(b)
}

// axeViolations injects axe-core into the page (through the debugging
// protocol: the page's CSP allows no injected script) and returns its
// WCAG 2.1 A and AA violations, one line each.
func (b *browserEnv) axeViolations(t *testing.T, src string) []string {
	t.Helper()
	var out []string
	await := func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }
	err := chromedp.Run(b.ctx, chromedp.Evaluate(src+";true", nil),
		chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r =>
  r.passes.length === 0 ? ["axe checked nothing"] :
  r.violations.map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")))`, &out, await))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPagesOnEveryScreen opens every page at 1366x900, 390x844 and 360
// px wide: no horizontal scroll, charts drawn to their card's width, no
// console error. Screenshots go to $BUSSOLA_ARTIFACTS_DIR.
func TestPagesOnEveryScreen(t *testing.T) {
	b := mustBrowser(t)
	axe := axeSource(t)
	b.login(t, reportstest.AdminA)
	for _, vp := range viewports {
		for _, p := range reports.Pages {
			t.Run(fmt.Sprintf("OK the %s page fits a %dx%d screen", p, vp.width, vp.height), func(t *testing.T) {
				b.viewport(t, vp.width, vp.height, vp.mobile)
				b.openCharts(t, "/reports/"+string(p))
				time.Sleep(300 * time.Millisecond)
				var res []any
				if err := chromedp.Run(b.ctx, chromedp.Evaluate(overflow, &res)); err != nil {
					t.Fatal(err)
				}
				if res[0].(float64) > 0 {
					t.Errorf("the page scrolls sideways by %v px: %v", res[0], res[1])
				}
				// Every chart is as wide as its container (ECharts resized).
				var bad string
				if err := chromedp.Run(b.ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll('[data-chart]')).filter(el =>
  Math.abs(echarts.getInstanceByDom(el).getWidth() - el.clientWidth) > 2).map(el => el.id).join(',')`, &bad)); err != nil {
					t.Fatal(err)
				}
				if bad != "" {
					t.Errorf("charts not fitted to their card: %s", bad)
				}
				b.shot(t, vp.name+"-"+string(p))
				if axe != "" && vp.name != "phone360" {
					for _, v := range b.axeViolations(t, axe) {
						t.Errorf("WCAG 2.1 AA: %s", v)
					}
				}
			})
		}
	}
	b.viewport(t, 1366, 900, false)
	b.reportProblems(t)
}

// TestPagesTellTheTruth: a period with no data says so in words, a chart
// withheld under a filter says why, every KPI names its periods.
func TestPagesTellTheTruth(t *testing.T) {
	b := mustBrowser(t)
	b.login(t, reportstest.AdminA)
	const empty = "from=2026-01-01&to=2026-03-31"
	t.Run("OK an empty period shows its message on the executive summary, never 0", func(t *testing.T) {
		var text string
		var kpis, emptyKPIs int
		err := chromedp.Run(b.ctx, chromedp.Navigate(b.ts.URL+"/reports/executive?"+empty),
			chromedp.WaitVisible(`.kpis`, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll('.kpi').length`, &kpis),
			chromedp.Evaluate(`document.querySelectorAll('.kpi [data-state=empty]').length`, &emptyKPIs),
			chromedp.Evaluate(`document.querySelector('main').innerText`, &text))
		if err != nil {
			t.Fatal(err)
		}
		b.shot(t, "executive-empty-period")
		if kpis == 0 || emptyKPIs != kpis {
			t.Errorf("%d of %d KPI cards say the period has no data", emptyKPIs, kpis)
		}
		for _, bad := range []string{"0,0", "0,0%", "0,000"} {
			if strings.Contains(text, bad) {
				t.Errorf("the empty period shows %q:\n%s", bad, text)
			}
		}
		// The period snaps to whole ISO weeks: 29/12/2025 is the Monday of 01/01/2026.
		for _, want := range []string{"Nessun dato nel periodo", "dal 29/12/2025 al 05/04/2026", "Attuale: 29/12/2025 – 05/04/2026"} {
			if !strings.Contains(text, want) {
				t.Errorf("the empty period does not say %q:\n%s", want, text)
			}
		}
	})
	for _, p := range []reports.Page{reports.PageReadiness, reports.PageImpact, reports.PageCommunication} {
		t.Run("OK an empty period draws no empty axes on the "+string(p)+" page", func(t *testing.T) {
			var charts, widgets, states int
			var text string
			err := chromedp.Run(b.ctx, chromedp.Navigate(b.ts.URL+"/reports/"+string(p)+"?"+empty),
				chromedp.WaitVisible(`.grid`, chromedp.ByQuery),
				chromedp.Evaluate(`document.querySelectorAll('[data-chart]').length`, &charts),
				chromedp.Evaluate(`document.querySelectorAll('.widget').length`, &widgets),
				chromedp.Evaluate(`document.querySelectorAll('.widget [data-state=empty]').length`, &states),
				chromedp.Evaluate(`document.querySelector('main').innerText`, &text))
			if err != nil {
				t.Fatal(err)
			}
			b.shot(t, string(p)+"-empty-period")
			// Channels are facts about the entity, not records of the period.
			want := widgets
			if p == reports.PageCommunication {
				want--
			}
			if charts != 0 || states != want || !strings.Contains(text, "Nessun dato nel periodo") {
				t.Errorf("%d charts drawn, %d of %d widgets say the period is empty:\n%s", charts, states, want, text)
			}
		})
	}
	t.Run("OK a chart withheld under a filter says why instead of drawing empty axes", func(t *testing.T) {
		var withheld, drawn, terms int
		var text string
		err := chromedp.Run(b.ctx, chromedp.Navigate(b.ts.URL+"/reports/impact?unit=Ragioneria"),
			chromedp.WaitVisible(`.grid`, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll('.widget [data-state=withheld]').length`, &withheld),
			chromedp.Evaluate(`document.querySelectorAll('#w-impact-terms [data-state=withheld]').length`, &terms),
			chromedp.Evaluate(`document.querySelectorAll('.widget:has([data-state=withheld]) [data-chart]').length`, &drawn),
			chromedp.Evaluate(`Array.from(document.querySelectorAll('.state.withheld')).map(e => e.innerText).join('\n')`, &text))
		if err != nil {
			t.Fatal(err)
		}
		b.shot(t, "impact-withheld")
		if terms != 1 {
			t.Error("the diary terms, every one below the text minimum, are called empty instead of withheld")
		}
		if withheld == 0 || drawn != 0 || !strings.Contains(text, "Non mostrato per proteggere i gruppi piccoli") {
			t.Errorf("%d withheld widgets, %d of them drawn anyway:\n%s", withheld, drawn, text)
		}
	})
	t.Run("OK hidden heatmap cells are drawn grey and explained, not left blank", func(t *testing.T) {
		b.waitFor(t, b.ts.URL+"/reports/readiness")
		var hidden int
		var note string
		err := chromedp.Run(b.ctx,
			chromedp.Evaluate(`(echarts.getInstanceByDom(document.getElementById('readiness-heatmap')).getOption().series[1] || {data: []}).data.length`, &hidden),
			chromedp.Evaluate(`document.querySelector('#w-readiness-heatmap .note').innerText`, &note))
		if err != nil {
			t.Fatal(err)
		}
		if hidden == 0 || !strings.Contains(note, "non sono mostrate per proteggere i gruppi piccoli") {
			t.Errorf("%d hidden cells drawn; note %q", hidden, note)
		}
	})
	t.Run("OK every KPI names its current and comparison period", func(t *testing.T) {
		var periods []string
		err := chromedp.Run(b.ctx, chromedp.Navigate(b.ts.URL+"/reports/executive"),
			chromedp.WaitVisible(`.kpis`, chromedp.ByQuery),
			chromedp.Evaluate(`Array.from(document.querySelectorAll('.kpi .period')).map(e => e.innerText)`, &periods))
		if err != nil {
			t.Fatal(err)
		}
		if len(periods) != 4 {
			t.Fatalf("%d KPI periods", len(periods))
		}
		for _, p := range periods {
			if !strings.Contains(p, "Attuale:") || !strings.Contains(p, "Confronto:") {
				t.Errorf("KPI period %q lacks the current or the comparison period", p)
			}
		}
		if !strings.Contains(periods[0], "rilevazione 2025") || !strings.Contains(periods[1], "03/03/2025 – 30/03/2025") {
			t.Errorf("periods %q", periods)
		}
	})
	t.Run("OK chart numbers are Italian: decimal comma, per cent sign, dates", func(t *testing.T) {
		b.waitFor(t, b.ts.URL+"/reports/impact")
		var label, tick, day string
		err := chromedp.Run(b.ctx,
			// the formatters the page set, applied to sample values
			chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById('impact-adoption')).getOption().yAxis[0].axisLabel.formatter(67.4)`, &tick),
			chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById('impact-adoption')).getOption().xAxis[0].axisLabel.formatter('2025-01-06')`, &day),
			chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById('impact-adoption')).getOption().tooltip[0].valueFormatter(1234.5)`, &label))
		if err != nil {
			t.Fatal(err)
		}
		if tick != "67,4%" || day != "06/01/2025" || label != "1.234,5%" {
			t.Errorf("axis %q, date %q, tooltip %q", tick, day, label)
		}
	})
	b.reportProblems(t)
}

func (b *browserEnv) waitFor(t *testing.T, u string) {
	t.Helper()
	if err := chromedp.Run(b.ctx, chromedp.Navigate(u)); err != nil {
		t.Fatal(err)
	}
	b.waitTrue(t, chartsRendered)
}

// TestFiltersByKeyboard: a filter changes with Apply only, by keyboard;
// a bad date gets an Italian message next to its field and the other
// filters stay applied; error pages keep the menu and the language.
func TestFiltersByKeyboard(t *testing.T) {
	b := mustBrowser(t)
	b.login(t, reportstest.AdminA)
	focused := func(t *testing.T) string {
		var s string
		if err := chromedp.Run(b.ctx, chromedp.Evaluate(`(document.activeElement.name || document.activeElement.tagName)`, &s)); err != nil {
			t.Fatal(err)
		}
		return s
	}
	t.Run("OK tab to the unit filter, change it with the arrows, apply with Enter", func(t *testing.T) {
		b.waitFor(t, b.ts.URL+"/reports/readiness")
		for i := 0; i < 40 && focused(t) != "unit"; i++ {
			if err := chromedp.Run(b.ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
		}
		if f := focused(t); f != "unit" {
			t.Fatalf("Tab never reached the unit filter (at %s)", f)
		}
		const unit = "Ragioneria"
		var value, search string
		for i := 0; i < 8 && value != unit; i++ {
			if err := chromedp.Run(b.ctx, chromedp.KeyEvent(kb.ArrowDown), chromedp.Sleep(300*time.Millisecond),
				chromedp.Evaluate(`document.querySelector('select[name=unit]').value`, &value),
				chromedp.Evaluate(`location.search`, &search)); err != nil {
				t.Fatal(err)
			}
			if search != "" || focused(t) != "unit" {
				t.Fatalf("an arrow key on the unit filter reloaded the page (search %q) or lost focus (%s)", search, focused(t))
			}
		}
		if value != unit {
			t.Fatalf("the arrow keys did not reach %s (at %q)", unit, value)
		}
		for i := 0; i < 10 && focused(t) != "BUTTON"; i++ {
			if err := chromedp.Run(b.ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
		}
		if err := chromedp.Run(b.ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		b.waitTrue(t, `location.search.includes('unit=`+url.QueryEscape(unit)+`')`)
		b.waitTrue(t, chartsRendered)
		var units int
		if err := chromedp.Run(b.ctx, chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById('readiness-heatmap')).getOption().yAxis[0].data.length`, &units)); err != nil {
			t.Fatal(err)
		}
		if units != 1 {
			t.Fatalf("heatmap shows %d units after applying the unit %s", units, unit)
		}
		_ = chromedp.Run(b.ctx, chromedp.Evaluate(`location.search`, &search))
		if strings.Contains(search, "grade=") || strings.Contains(search, "from=") {
			t.Fatalf("empty filters kept in the shared URL: %s", search)
		}
	})
	t.Run("ErrInvalid a bad date gets an Italian message naming the field; the other filters stay", func(t *testing.T) {
		b.waitFor(t, b.ts.URL+"/reports/readiness?unit=Ragioneria")
		var msg, unit, value, invalid string
		err := chromedp.Run(b.ctx,
			chromedp.SendKeys(`#f-from`, "31/02/2025", chromedp.ByQuery),
			chromedp.SendKeys(`#f-to`, "30/03/2025", chromedp.ByQuery),
			chromedp.Click(`form.filters button[type=submit]`, chromedp.ByQuery),
			chromedp.WaitVisible(`#f-from-error`, chromedp.ByQuery),
			chromedp.Text(`#f-from-error`, &msg, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector('select[name=unit]').value`, &unit),
			chromedp.Evaluate(`document.querySelector('#f-from').value`, &value),
			chromedp.Evaluate(`document.querySelector('#f-from').getAttribute('aria-invalid')`, &invalid))
		if err != nil {
			t.Fatal(err)
		}
		b.shot(t, "readiness-bad-date")
		if !strings.Contains(msg, "Dal: inserire una data valida nel formato gg/mm/aaaa") {
			t.Errorf("message %q", msg)
		}
		if unit != "Ragioneria" || value != "31/02/2025" || invalid != "true" {
			t.Errorf("unit %q, date field %q, aria-invalid %q", unit, value, invalid)
		}
		var to string
		_ = chromedp.Run(b.ctx, chromedp.Evaluate(`document.querySelector('#f-to').value`, &to))
		if to != "30/03/2025" {
			t.Errorf("the valid end date was not kept: %q", to)
		}
		b.waitTrue(t, chartsRendered)
	})
	t.Run("OK a date typed as gg/mm/aaaa is applied whatever the browser's locale", func(t *testing.T) {
		b.waitFor(t, b.ts.URL+"/reports/communication?from=13/01/2025&to=26/01/2025")
		var weeks int
		if err := chromedp.Run(b.ctx, chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById('communication-publishing')).getOption().xAxis[0].data.length`, &weeks)); err != nil {
			t.Fatal(err)
		}
		if weeks != 2 {
			t.Errorf("%d weeks for 13/01/2025-26/01/2025, want 2", weeks)
		}
	})
	t.Run("OK the error pages keep the menu and the language", func(t *testing.T) {
		for _, tc := range []struct{ path, want string }{
			{"/reports/nothing", "Pagina non trovata"},
			{"/reports/nothing?lang=en", "Page not found"},
			{"/reports/readiness?lang=en&tenant=" + reportstest.TenantB, "Page not found"},
			{"/reports/readiness?unitt=x&lang=en", "Bad request"},
		} {
			var title string
			var links int
			err := chromedp.Run(b.ctx, chromedp.Navigate(b.ts.URL+tc.path), chromedp.Title(&title),
				chromedp.Evaluate(`document.querySelectorAll('header nav a').length`, &links))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(title, tc.want) || links == 0 {
				t.Errorf("%s: title %q, %d menu links", tc.path, title, links)
			}
		}
	})
}
