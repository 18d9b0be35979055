package reports_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bussola-pa/bussola/reports/reportstest"
)

// TestImpactForWhomAndThemes: the effects by group are drawn as dots and
// whiskers with 0 marked and a table with the people of each arm, a group
// whose effect is distinguishable from zero gets its verdict, and the
// diary themes read per 100 notes with the notes counted, the diary legend
// lies below the plot in rows, never paged; at 1366x900 and
// 390x844 the page does not scroll sideways and axe finds nothing.
func TestImpactForWhomAndThemes(t *testing.T) {
	b := mustBrowser(t)
	axe := axeSource(t)
	b.login(t, reportstest.AdminA)
	for _, vp := range viewports[:2] {
		t.Run(fmt.Sprintf("OK for whom and themes at %dx%d", vp.width, vp.height), func(t *testing.T) {
			b.viewport(t, vp.width, vp.height, vp.mobile)
			b.openCharts(t, "/reports/impact")
			time.Sleep(300 * time.Millisecond)
			var groups, themes map[string]any
			var verdicts []string
			var over []any
			var legend map[string]any
			err := chromedp.Run(b.ctx,
				chromedp.Evaluate(`(() => { const c = echarts.getInstanceByDom(document.getElementById('impact-groups')); const o = c.getOption();
  const card = document.getElementById('impact-groups').closest('section, article, .card, div');
  return {cats: o.yAxis[0].data, zero: o.series[1].markLine.data[0].xAxis, dots: o.series[1].data.length,
    table: Array.from(document.querySelectorAll('table')).map(t => t.textContent).find(s => s.includes('Persone in sperimentazione') && s.includes('Altri uffici')) || '',
    text: card ? card.innerText : ''}; })()`, &groups),
				chromedp.Evaluate(`(() => { const c = echarts.getInstanceByDom(document.getElementById('impact-terms')); const o = c.getOption();
  return {cats: o.yAxis[0].data, before: o.series[0].data, names: o.series.map(s => s.name), body: document.body.innerText}; })()`, &themes),
				chromedp.Evaluate(`Array.from(document.querySelectorAll('.verdicts p')).map(e => e.innerText)`, &verdicts),
				chromedp.Evaluate(overflow, &over),
				chromedp.Evaluate(legendLayout("impact-diary"), &legend))
			if err != nil {
				t.Fatal(err)
			}
			b.shot(t, vp.name+"-impact-forwhom")
			if cats, _ := groups["cats"].([]any); len(cats) != 4 || groups["zero"] != float64(0) || groups["dots"] != float64(4) {
				t.Errorf("groups chart: %v categories, zero line at %v, %v dots", groups["cats"], groups["zero"], groups["dots"])
			}
			if table, _ := groups["table"].(string); !strings.Contains(table, "Ragioneria e Servizi sociali") || !strings.Contains(table, "0,420") {
				t.Errorf("groups table: %q", table)
			}
			found := false
			for _, v := range verdicts {
				if strings.HasPrefix(v, "Per chi: tra Ragioneria e Servizi sociali, Giorni attivi a settimana: +0,42") && strings.Contains(v, "IC 95%: 0,12 – 0,72") {
					found = true
				}
				if strings.Contains(v, "Altri uffici") {
					t.Errorf("a verdict for a group whose interval includes zero: %q", v)
				}
			}
			if !found {
				t.Errorf("no verdict for the group distinguishable from zero: %q", verdicts)
			}
			// traffico: 36 of 120 notes before (30 per 100) in the fixture.
			if cats, _ := themes["cats"].([]any); len(cats) == 0 || cats[0] != "traffico" || !strings.Contains(fmt.Sprint(themes["before"].([]any)[0]), "30") {
				t.Errorf("themes chart: %v, before %v", themes["cats"], themes["before"])
			}
			body, _ := themes["body"].(string)
			if !strings.Contains(body, "ogni 100 note") || !strings.Contains(body, "su 120 note prima e 200 dopo") {
				t.Errorf("the themes do not say they are per 100 notes and of how many notes")
			}
			if legend["type"] != "plain" || legend["paged"] != false || legend["bottom"].(float64) > legend["height"].(float64) ||
				legend["top"].(float64) < legend["plotBottom"].(float64) {
				t.Errorf("the diary legend pages, leaves the chart or runs into the plot: %v", legend)
			}
			if over[0].(float64) > 0 {
				t.Errorf("the page scrolls sideways by %v px: %v", over[0], over[1])
			}
			if axe != "" {
				for _, v := range b.axeViolations(t, axe) {
					t.Errorf("WCAG 2.1 AA: %s", v)
				}
			}
		})
	}
	t.Run("OK printing hides every chart's toolbox and shows it again after", func(t *testing.T) {
		var shown []bool
		err := chromedp.Run(b.ctx, chromedp.Evaluate(`(() => { const tb = () => window.bussolaCharts.map(c => c.getOption().toolbox[0].show !== false);
  const before = tb(); window.dispatchEvent(new Event('beforeprint')); const printing = tb();
  window.dispatchEvent(new Event('afterprint')); const after = tb();
  return [before.every(x => x), printing.every(x => !x), after.every(x => x)]; })()`, &shown))
		if err != nil {
			t.Fatal(err)
		}
		if len(shown) != 3 || !shown[0] || !shown[1] || !shown[2] {
			t.Errorf("toolbox shown on screen, hidden in print, shown after: %v", shown)
		}
	})
}
