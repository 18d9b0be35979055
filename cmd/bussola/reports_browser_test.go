package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/bussola-pa/bussola/internal/testenv"
	"github.com/bussola-pa/bussola/reports"
)

const chromium = "/usr/bin/chromium"

// TestReportsBrowser signs in to the mounted app on the ClickHouse store
// (generated data at scale 0.05) with headless Chromium and opens every
// page: each must render its charts with no console error and no request
// leaving the app. Screenshots go to $BUSSOLA_ARTIFACTS_DIR.
func TestReportsBrowser(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		testenv.SkipOrFail(t, chromium+" not found: browser test skipped")
	}
	if _, err := os.Stat(filepath.Join(reports.DefaultAssetsDir(), "echarts.min.js")); err != nil {
		testenv.SkipOrFail(t, "ECharts assets missing in "+reports.DefaultAssetsDir()+": browser test skipped")
	}
	art := os.Getenv("BUSSOLA_ARTIFACTS_DIR")
	if art == "" {
		art = t.TempDir()
	}
	if err := os.MkdirAll(art, 0o755); err != nil {
		t.Fatal(err)
	}
	const password = "prova-browser-2025"
	usersFile := filepath.Join(t.TempDir(), "users.json")
	h, err := reports.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(usersFile, reports.UsersFile{Users: []reports.UserRecord{{Username: "admin", PasswordHash: h,
		Roles: map[string][]reports.Role{aurelia: {reports.RoleAdmin}, "comune-borgoverde": {reports.RoleAdmin}}}}}, 0o600); err != nil {
		t.Fatal(err)
	}
	m := mustOpenMain(t, func(c *Config) { c.UsersFile = usersFile })
	loadScored(t, m)
	base := "http://" + m.HTTPAddr()

	profile, err := os.MkdirTemp("", "bussola-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.UserDataDir(profile), chromedp.WindowSize(1440, 1000))
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 150*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA(); _ = os.RemoveAll(profile) })
	var mu sync.Mutex
	var problems []string
	problem := func(s string) { mu.Lock(); problems = append(problems, s); mu.Unlock() }
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				problem("console error")
			}
		case *runtime.EventExceptionThrown:
			problem("exception: " + e.ExceptionDetails.Error())
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError && !strings.Contains(e.Entry.URL, "favicon") {
				problem("log error: " + e.Entry.Text + " " + e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			if u, err := url.Parse(e.Request.URL); err == nil && u.Scheme != "data" && u.Scheme != "blob" && u.Host != m.HTTPAddr() {
				problem("request left the app: " + e.Request.URL)
			}
		}
	})
	err = chromedp.Run(ctx, network.Enable(), log.Enable(),
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys("#username", "admin", chromedp.ByQuery),
		chromedp.SendKeys("#password", password, chromedp.ByQuery),
		chromedp.Submit("#password", chromedp.ByQuery),
		chromedp.WaitVisible("header nav", chromedp.ByQuery))
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	const rendered = `(() => {
  const els = document.querySelectorAll('[data-chart]');
  if (els.length === 0 || !window.bussolaCharts || window.bussolaCharts.length !== els.length) return false;
  return Array.from(els).every(el => { const c = echarts.getInstanceByDom(el); if (!c) return false;
    const s = c.getOption().series; return s && s.length > 0 && s.some(x => x.data && x.data.length > 0); });
})()`
	for _, p := range reports.Pages {
		t.Run("OK the "+string(p)+" page renders its charts from ClickHouse", func(t *testing.T) {
			if err := chromedp.Run(ctx, chromedp.Navigate(base+"/reports/"+string(p)+"?tenant="+aurelia)); err != nil {
				t.Fatal(err)
			}
			ok := false
			for i := 0; i < 150 && !ok; i++ {
				_ = chromedp.Run(ctx, chromedp.Evaluate(rendered, &ok))
				if !ok {
					time.Sleep(100 * time.Millisecond)
				}
			}
			if !ok {
				t.Errorf("charts of %s did not render", p)
			}
			time.Sleep(500 * time.Millisecond)
			var buf []byte
			if err := chromedp.Run(ctx, chromedp.FullScreenshot(&buf, 100)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(art, "ch-"+string(p)+".png"), buf, 0o644); err != nil {
				t.Fatal(err)
			}
			// The same page on a phone: nothing wider than the screen.
			var over int
			err := chromedp.Run(ctx, emulation.SetDeviceMetricsOverride(390, 844, 1, true), chromedp.Reload(),
				chromedp.WaitVisible("main", chromedp.ByQuery), chromedp.Sleep(500*time.Millisecond),
				chromedp.Evaluate(`document.documentElement.scrollWidth - document.documentElement.clientWidth`, &over),
				chromedp.FullScreenshot(&buf, 100), emulation.ClearDeviceMetricsOverride())
			if err != nil {
				t.Fatal(err)
			}
			if over > 0 {
				t.Errorf("the %s page scrolls sideways by %d px on a 390x844 phone", p, over)
			}
			if err := os.WriteFile(filepath.Join(art, "ch-phone-"+string(p)+".png"), buf, 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("OK a period without a survey says so on the executive summary instead of 0,0", func(t *testing.T) {
		// The demo's survey waves are October 2025 and April 2026: the first
		// quarter of 2026 has diaries and intranet use but no survey.
		var cards []string
		err := chromedp.Run(ctx, chromedp.Navigate(base+"/reports/executive?tenant="+aurelia+"&from=2026-01-01&to=2026-03-31"),
			chromedp.WaitVisible(".kpis", chromedp.ByQuery),
			chromedp.Evaluate(`Array.from(document.querySelectorAll('.kpi')).map(k => k.innerText)`, &cards))
		if err != nil {
			t.Fatal(err)
		}
		if len(cards) != 4 {
			t.Fatalf("%d KPI cards", len(cards))
		}
		for _, c := range cards {
			survey := strings.Contains(c, "maturità digitale") || strings.Contains(c, "Tasso di risposta")
			if survey && !strings.Contains(c, "Nessun dato nel periodo") {
				t.Errorf("a survey KPI in a period without a survey:\n%s", c)
			}
			if strings.Contains(c, "\n0,0") || !strings.Contains(c, "Attuale:") {
				t.Errorf("KPI card without its meaning:\n%s", c)
			}
		}
	})
	t.Run("OK / leads to the pipeline page, which shows the row counts per stream in its chart", func(t *testing.T) {
		if err := chromedp.Run(ctx, chromedp.Navigate(base+"/")); err != nil {
			t.Fatal(err)
		}
		const filled = `(() => { const el = document.getElementById('pipeline-streams'); const c = el && echarts.getInstanceByDom(el);
  return location.pathname === '/reports/pipeline' && !!c &&
    c.getOption().series[0].data.some(d => (d && d.value !== undefined ? d.value : d) > 0) &&
    document.querySelectorAll('#w-pipeline-streams tbody tr').length === 3; })()`
		ok := false
		for i := 0; i < 100 && !ok; i++ {
			_ = chromedp.Run(ctx, chromedp.Evaluate(filled, &ok))
			if !ok {
				time.Sleep(100 * time.Millisecond)
			}
		}
		if !ok {
			t.Error("the pipeline page's chart did not show the row counts per stream")
		}
		var buf []byte
		if err := chromedp.Run(ctx, chromedp.FullScreenshot(&buf, 100)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(art, "status.png"), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	})
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("browser problems: %v", problems)
	}
	t.Logf("screenshots in %s", art)
}
