package reports_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/bussola-pa/bussola/reports/reportstest"
)

// readinessChecks reads the drawn readiness charts against the page's own
// data.json, in the browser: [units drawn, units ranked from data.json,
// label/fill pairs under 4.5:1, change series types, dots unlike the
// published differences, hidden differences drawn].
const readinessChecks = `(async () => {
  const j = await (await fetch('/reports/readiness/data.json')).json(), d = j.data || j;
  const heat = echarts.getInstanceByDom(document.getElementById('readiness-heatmap'));
  const drawn = heat.getOption().yAxis[0].data;
  const sum = {}, order = [];
  for (const c of d.heatmap) {
    if (!(c.unit in sum)) { sum[c.unit] = [0, 0]; order.push(c.unit); }
    if (!c.cell.suppressed && c.cell.n) { sum[c.unit][0] += c.cell.value; sum[c.unit][1]++; }
  }
  const mean = u => sum[u][1] ? sum[u][0] / sum[u][1] : -Infinity;
  const ranked = order.slice().sort((a, b) => mean(b) - mean(a));
  const lum = hex => { const v = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map(s => s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4));
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const ctx = document.createElement('canvas').getContext('2d');
  const hex = c => { ctx.fillStyle = '#fe01fe'; ctx.fillStyle = c || '#fe01fe'; return ctx.fillStyle; };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const low = [];
  for (const id of ['readiness-heatmap', 'readiness-training']) {
    const data = echarts.getInstanceByDom(document.getElementById(id)).getModel().getSeriesByIndex(0).getData();
    for (let i = 0; i < data.count(); i++) {
      // the colours as drawn: the cell's fill and its label's text
      const el = data.getItemGraphicEl(i), text = el && el.getTextContent();
      const fill = hex(data.getItemVisual(i, 'style').fill), label = hex(text ? (text.style.fill || (el.textConfig || {}).insideFill) : '');
      if (ratio(fill, label) < 4.5) low.push(id + ': ' + label + ' on ' + fill);
    }
  }
  const waves = echarts.getInstanceByDom(document.getElementById('readiness-waves')).getOption().series;
  const dots = (waves.find(s => s.type === 'scatter') || {data: []}).data.map(p => p.value);
  const whiskers = (waves.find(s => s.type === 'boxplot') || {data: []}).data.map(p => p.value);
  const wrong = [], hiddenDrawn = [];
  (d.waves || []).forEach((w, i) => {
    const hid = w.change.suppressed || w.before.suppressed || w.after.suppressed;
    if (hid && dots[i] !== '-') hiddenDrawn.push(w.dimension);
    if (!hid && (dots[i] !== w.change.value || !whiskers[i] || whiskers[i][0] !== w.change.lo || whiskers[i][4] !== w.change.hi)) wrong.push(w.dimension);
  });
  return [drawn.join('|'), ranked.join('|'), low.join(', '), waves.map(s => s.type).join('|'), wrong.join('|'), hiddenDrawn.join('|')];
})()`

// TestReadinessAnswersHR: on a laptop and a phone, the readiness page
// ranks its units, its heatmap labels are readable on their colours, and
// the change between waves is a difference with its interval.
func TestReadinessAnswersHR(t *testing.T) {
	b := mustBrowser(t)
	b.login(t, reportstest.AdminA)
	for _, vp := range viewports[:2] {
		t.Run(fmt.Sprintf("OK readiness answers HR at %dx%d", vp.width, vp.height), func(t *testing.T) {
			b.viewport(t, vp.width, vp.height, vp.mobile)
			b.waitFor(t, b.ts.URL+"/reports/readiness")
			var res []string
			if err := chromedp.Run(b.ctx, chromedp.Evaluate(readinessChecks, &res, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
				return p.WithAwaitPromise(true)
			})); err != nil {
				t.Fatal(err)
			}
			b.shot(t, vp.name+"-readiness-answers")
			if res[0] != res[1] {
				t.Errorf("units drawn %s, ranked by mean %s", res[0], res[1])
			}
			if res[2] != "" {
				t.Errorf("labels under 4.5:1: %s", res[2])
			}
			if res[3] != "boxplot|scatter" {
				t.Errorf("change between waves drawn as %s, want differences (scatter) with 95%% intervals (boxplot whiskers)", res[3])
			}
			if res[4] != "" || res[5] != "" {
				t.Errorf("differences unlike the published ones: %q; hidden differences drawn: %q", res[4], res[5])
			}
		})
	}
	b.viewport(t, 1366, 900, false)
	b.reportProblems(t)
}
