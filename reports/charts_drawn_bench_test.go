package reports_test

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

// BenchmarkChartsDrawn measures, per page, the time from navigation start
// until every chart on it has finished its first rendering (each ECharts
// instance's "finished" event; app.js records the moment as
// window.bussolaChartsDrawnAt), in headless Chromium at 1366x900 on the
// test fixture, signed in as the entity's administrator. It reports the
// p50 and p95 over the runs as ms-p50 and ms-p95 and never fails on a
// time:
//
//	go test ./reports/ -run '^$' -bench ChartsDrawn -benchtime 10x
func BenchmarkChartsDrawn(b *testing.B) {
	br := mustBrowser(b)
	br.login(b, reportstest.AdminA)
	if err := chromedp.Run(br.ctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		b.Fatal(err)
	}
	for _, p := range reports.Pages {
		b.Run(string(p), func(b *testing.B) {
			var ms []float64
			for b.Loop() {
				var at float64
				err := chromedp.Run(br.ctx, chromedp.Navigate(br.ts.URL+"/reports/"+string(p)),
					chromedp.Poll(`window.bussolaChartsDrawnAt`, &at))
				if err != nil {
					b.Fatal(err)
				}
				ms = append(ms, at)
			}
			slices.Sort(ms)
			q := func(f float64) float64 { return ms[min(len(ms)-1, int(f*float64(len(ms))))] }
			b.ReportMetric(q(0.50), "ms-p50")
			b.ReportMetric(q(0.95), "ms-p95")
		})
	}
}
