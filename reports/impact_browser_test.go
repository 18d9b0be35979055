package reports_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/bussola-pa/bussola/reports/reportstest"
)

// rectsOf is, for the chart with the given id, the bounding boxes of its
// legend and toolbox in the chart's pixels: [x, y, width, height] each.
const rectsOf = `((id) => {
  const c = echarts.getInstanceByDom(document.getElementById(id));
  // A scroll legend clips its items: its visible part is the clip of its
  // container and its pager, not every item laid out in a row.
  const rectOf = (g) => { const r = g.getBoundingRect().clone(); r.applyTransform(g.getComputedTransform()); return r; };
  const box = (type) => { const m = c.getModel().getComponent(type); if (!m) { return null; }
    const v = c.getViewOfComponentModel(m); let r = rectOf(v.group);
    if (v._containerGroup && v._containerGroup.getClipPath()) {
      const clip = v._containerGroup.getClipPath().getBoundingRect().clone();
      clip.applyTransform(v._containerGroup.getComputedTransform());
      r = clip; if (v._controllerGroup && v._controllerGroup.children().some(e => !e.ignore)) { r.union(rectOf(v._controllerGroup)); }
    }
    return [r.x, r.y, r.width, r.height]; };
  return [box('legend'), box('toolbox')];
})`

// TestImpactPageAnswers: the pilot-impact page opens with a verdict per
// outcome naming the pilot, in Italian numbers; no outcome shows by its
// raw identifier; the diary legend keeps clear of the chart's tools.
func TestImpactPageAnswers(t *testing.T) {
	b := mustBrowser(t)
	b.login(t, reportstest.AdminA)
	italianNumber := regexp.MustCompile(`\d,\d{2}\b`)
	for _, vp := range viewports[:2] {
		t.Run(fmt.Sprintf("OK verdicts, labels and legend at %dx%d", vp.width, vp.height), func(t *testing.T) {
			b.viewport(t, vp.width, vp.height, vp.mobile)
			b.waitFor(t, b.ts.URL+"/reports/impact")
			var verdicts []string
			var text, options string
			var rects []any
			err := chromedp.Run(b.ctx,
				chromedp.Evaluate(`Array.from(document.querySelectorAll('.verdicts p')).map(e => e.innerText)`, &verdicts),
				chromedp.Evaluate(`document.body.innerText`, &text),
				chromedp.Evaluate(`Array.from(document.querySelectorAll('script[type="application/json"]')).map(s => s.textContent).join('\n')`, &options),
				chromedp.Evaluate(rectsOf+`('impact-diary')`, &rects))
			if err != nil {
				t.Fatal(err)
			}
			b.shot(t, vp.name+"-impact-verdicts")
			if len(verdicts) < 2 || !strings.Contains(verdicts[0], "«Lavoro agile 2025»") || !strings.Contains(verdicts[0], "03/02/2025") {
				t.Fatalf("no verdict naming the pilot and its start: %q", verdicts)
			}
			found := false
			for _, v := range verdicts[1:] {
				if strings.Contains(v, "Lavoro agile 2025") && italianNumber.MatchString(v) && strings.Contains(v, "IC 95%") {
					found = true
				}
			}
			if !found {
				t.Errorf("no verdict with the pilot's name, an Italian number and its interval: %q", verdicts)
			}
			if !strings.Contains(strings.Join(verdicts, "\n"), "un effetto distinguibile da zero") ||
				!strings.Contains(strings.Join(verdicts, "\n"), "non distinguibile da zero") {
				t.Errorf("the verdicts do not say how sure each estimate is: %q", verdicts)
			}
			for _, id := range []string{"giorni_attivi", "produttività"} {
				if strings.Contains(text, id) || strings.Contains(options, id) {
					t.Errorf("raw outcome identifier %q on the page", id)
				}
			}
			t.Logf("diary legend and toolbox: %v", rects)
			l, tb := floats(rects[0]), floats(rects[1])
			if len(l) != 4 || len(tb) != 4 {
				t.Fatalf("legend and toolbox boxes: %v", rects)
			}
			if l[0] < tb[0]+tb[2] && tb[0] < l[0]+l[2] && l[1] < tb[1]+tb[3] && tb[1] < l[1]+l[3] {
				t.Errorf("the diary legend %v overlaps the toolbox %v", l, tb)
			}
		})
	}
	t.Run("OK the English page says the verdict in English", func(t *testing.T) {
		b.viewport(t, 1366, 900, false)
		b.waitFor(t, b.ts.URL+"/reports/impact?lang=en")
		var verdicts []string
		if err := chromedp.Run(b.ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll('.verdicts p')).map(e => e.innerText)`, &verdicts)); err != nil {
			t.Fatal(err)
		}
		if len(verdicts) < 2 || !strings.Contains(strings.Join(verdicts, " "), "0.31 more than the comparison group (95% CI: 0.12 – 0.50)") {
			t.Errorf("English verdicts: %q", verdicts)
		}
	})
}

func floats(x any) []float64 {
	var out []float64
	l, _ := x.([]any)
	for _, v := range l {
		f, _ := v.(float64)
		out = append(out, f)
	}
	return out
}
