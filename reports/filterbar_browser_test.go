package reports_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/bussola-pa/bussola/reports/reportstest"
)

// hiddenOptionState reads the unit filter: the disabled options' text,
// whether the select points at a visible note, and the note's text.
const hiddenOptionState = `(() => {
  const s = document.querySelector('select[name=unit]');
  const dis = Array.from(s.options).filter(o => o.disabled).map(o => o.value + '=' + o.text);
  const note = document.getElementById(s.getAttribute('aria-describedby') || '-');
  const r = note ? note.getBoundingClientRect() : {width: 0, height: 0};
  return [dis.join('|'), note && r.width > 0 && r.height > 0 ? note.innerText : ''];
})()`

// TestFilterBarHiddenOptionInTheBrowser: on a laptop and a phone, the
// readiness page's unit filter offers the unit of 4 people greyed out
// with a visible explanation tied to the select, the keyboard walks past
// it, and axe-core finds no WCAG 2.1 AA violation.
func TestFilterBarHiddenOptionInTheBrowser(t *testing.T) {
	b := mustBrowser(t)
	axe := axeSource(t)
	b.login(t, reportstest.AdminA)
	for _, vp := range viewports[:2] {
		t.Run(fmt.Sprintf("OK a hidden unit is disabled and explained at %dx%d", vp.width, vp.height), func(t *testing.T) {
			b.viewport(t, vp.width, vp.height, vp.mobile)
			b.openCharts(t, "/reports/readiness?tenant="+reportstest.TenantA)
			var res []string
			if err := chromedp.Run(b.ctx, chromedp.Evaluate(hiddenOptionState, &res)); err != nil {
				t.Fatal(err)
			}
			b.shot(t, vp.name+"-filter-hidden-option")
			if want := reportstest.SmallUnit + "=" + reportstest.SmallUnit + " (nascosto)"; !strings.Contains(res[0], want) {
				t.Errorf("disabled unit options %q, want %q among them", res[0], want)
			}
			if !strings.Contains(res[1], "gruppo sotto il minimo di 5 persone") {
				t.Errorf("the unit filter's description %q does not explain the hidden options (or is not visible)", res[1])
			}
			// The keyboard walks every enabled unit and never lands on the hidden one.
			var seen []string
			if err := chromedp.Run(b.ctx, chromedp.Focus(`select[name=unit]`, chromedp.ByQuery)); err != nil {
				t.Fatal(err)
			}
			for range 8 {
				var v string
				if err := chromedp.Run(b.ctx, chromedp.KeyEvent(kb.ArrowDown), chromedp.Evaluate(`document.querySelector('select[name=unit]').value`, &v)); err != nil {
					t.Fatal(err)
				}
				seen = append(seen, v)
			}
			joined := strings.Join(seen, "|")
			if strings.Contains(joined, reportstest.SmallUnit) || !strings.Contains(joined, "Ragioneria") {
				t.Errorf("arrow keys selected %s: want every published unit and never %s", joined, reportstest.SmallUnit)
			}
			if axe != "" {
				for _, v := range b.axeViolations(t, axe) {
					t.Errorf("WCAG 2.1 AA: %s", v)
				}
			}
		})
	}
	b.viewport(t, 1366, 900, false)
	b.reportProblems(t)
}
