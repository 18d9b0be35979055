package reports_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/bussola-pa/bussola/internal/testenv"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

const chromiumPath = "/usr/bin/chromium"

// browserEnv starts headless Chromium against a fresh server and records
// console errors and every request's host.
type browserEnv struct {
	*env
	ctx       context.Context
	mu        sync.Mutex
	problems  []string
	downloads chan string
	artifacts string
}

func (b *browserEnv) problem(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

// legendLayout is a JS expression for where chart id's legend lies: its
// type, whether it pages ("1/5"), its top and bottom, the chart's height
// and the plot's bottom edge, in pixels of the chart.
func legendLayout(id string) string {
	return `(() => { const el = document.getElementById('` + id + `'); const c = echarts.getInstanceByDom(el);
  const v = c.getViewOfComponentModel(c.getModel().getComponent('legend'));
  const r = v.group.getBoundingRect().clone(); r.applyTransform(v.group.getComputedTransform());
  const g = c.getModel().getComponent('grid').coordinateSystem.getRect();
  return {type: c.getOption().legend[0].type, paged: !!(v._controllerGroup && v._controllerGroup.children().some(e => !e.ignore)),
    top: r.y, bottom: r.y + r.height, height: c.getHeight(), plotBottom: g.y + g.height}; })()`
}

// reportProblems fails t with every problem the browser reported (console
// errors, requests leaving the machine) while t ran.
func (b *browserEnv) reportProblems(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Error(p)
	}
}

func mustBrowser(t testing.TB) *browserEnv {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		testenv.SkipOrFail(t, chromiumPath+" not found: browser tests skipped (install Debian's chromium)")
	}
	if _, real := assetsDir(t); !real {
		testenv.SkipOrFail(t, fmt.Sprintf("ECharts assets missing in %s (npm pack echarts@%s there): browser tests skipped", reports.DefaultAssetsDir(), reports.EChartsVersion))
	}
	art := os.Getenv("BUSSOLA_ARTIFACTS_DIR")
	if art == "" {
		art = t.TempDir()
	}
	if err := os.MkdirAll(art, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", art)
	// Chromium may still write to its profile while exiting: a plain temp
	// dir removed on a best-effort basis, not t.TempDir.
	profile, err := os.MkdirTemp("", "bussola-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	b := &browserEnv{env: mustStart(t), downloads: make(chan string, 4), artifacts: art}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile), chromedp.WindowSize(1440, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 150*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA(); _ = os.RemoveAll(profile) })
	host := strings.TrimPrefix(b.ts.URL, "http://")
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				b.problem("console error: %v", e.Args)
			}
		case *runtime.EventExceptionThrown:
			b.problem("exception: %s", e.ExceptionDetails.Error())
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError && !strings.Contains(e.Entry.URL, "favicon") && !strings.Contains(e.Entry.Text, "404") && !strings.Contains(e.Entry.Text, "403") {
				b.problem("log error: %s %s", e.Entry.Text, e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			u, err := url.Parse(e.Request.URL)
			if err == nil && u.Scheme != "data" && u.Scheme != "blob" && u.Host != host {
				b.problem("request left the app: %s", e.Request.URL)
			}
		case *browser.EventDownloadProgress:
			if e.State == browser.DownloadProgressStateCompleted {
				b.downloads <- e.GUID
			}
		}
	})
	dl := t.TempDir()
	if err := chromedp.Run(ctx, network.Enable(), log.Enable(),
		browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(dl).WithEventsEnabled(true)); err != nil {
		t.Fatal(err)
	}
	b.ctx = context.WithValue(ctx, dlKey{}, dl)
	return b
}

type dlKey struct{}

func (b *browserEnv) login(t testing.TB, user string) {
	t.Helper()
	err := chromedp.Run(b.ctx,
		chromedp.Navigate(b.ts.URL+"/login"),
		chromedp.SendKeys("#username", user, chromedp.ByQuery),
		chromedp.SendKeys("#password", reportstest.Password, chromedp.ByQuery),
		chromedp.Submit("#password", chromedp.ByQuery),
		chromedp.WaitVisible("header nav", chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
}

// chartsRendered waits until every chart has an ECharts instance with data.
const chartsRendered = `(() => {
  const els = document.querySelectorAll('[data-chart]');
  if (!window.bussolaCharts || window.bussolaCharts.length !== els.length) return false;
  return Array.from(els).every(el => { const c = echarts.getInstanceByDom(el); if (!c) return false;
    const s = c.getOption().series; return s && s.length > 0 && s.some(x => x.data && x.data.length > 0); });
})()`

// openCharts opens the server's path and waits until every chart on
// the page has drawn.
func (b *browserEnv) openCharts(t *testing.T, path string) {
	t.Helper()
	if err := chromedp.Run(b.ctx, chromedp.Navigate(b.ts.URL+path)); err != nil {
		t.Fatal(err)
	}
	b.waitTrue(t, chartsRendered)
}

func (b *browserEnv) waitTrue(t *testing.T, js string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		var ok bool
		if err := chromedp.Run(b.ctx, chromedp.Evaluate(js, &ok)); err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", js)
}

func (b *browserEnv) shot(t *testing.T, name string) {
	t.Helper()
	var buf []byte
	if err := chromedp.Run(b.ctx, chromedp.FullScreenshot(&buf, 100)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.artifacts, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrowser(t *testing.T) {
	b := mustBrowser(t)
	b.login(t, reportstest.AdminA)
	for _, p := range reports.Pages {
		t.Run("OK the "+string(p)+" page loads and renders its charts", func(t *testing.T) {
			b.openCharts(t, "/reports/"+string(p))
			time.Sleep(400 * time.Millisecond) // let animations settle for the screenshot
			b.shot(t, string(p))
		})
	}
	t.Run("OK a filter applied reloads the charts and is kept in the URL", func(t *testing.T) {
		err := chromedp.Run(b.ctx, chromedp.Navigate(b.ts.URL+"/reports/readiness"),
			chromedp.WaitVisible(`select[name=unit]`, chromedp.ByQuery),
			chromedp.SetValue(`select[name=unit]`, "Ragioneria", chromedp.ByQuery),
			chromedp.Click(`form.filters button[type=submit]`, chromedp.ByQuery))
		if err != nil {
			t.Fatal(err)
		}
		b.waitTrue(t, `location.search.includes('unit=Ragioneria')`)
		b.waitTrue(t, chartsRendered)
		var units int
		if err := chromedp.Run(b.ctx, chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById('readiness-heatmap')).getOption().yAxis[0].data.length`, &units)); err != nil {
			t.Fatal(err)
		}
		if units != 1 {
			t.Fatalf("heatmap shows %d units after filtering to one", units)
		}
		var search string
		_ = chromedp.Run(b.ctx, chromedp.Evaluate(`location.search`, &search))
		if strings.Contains(search, "grade=") {
			t.Fatalf("empty filters kept in the shared URL: %s", search)
		}
		b.shot(t, "readiness-filtered")
	})
	t.Run("OK a suppressed cell is marked as suppressed in the data table", func(t *testing.T) {
		var n int
		var why string
		err := chromedp.Run(b.ctx, chromedp.Navigate(b.ts.URL+"/reports/readiness"),
			chromedp.WaitVisible(`#readiness-heatmap`, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector('#w-readiness-heatmap details').open = true`, nil),
			chromedp.Evaluate(`document.querySelectorAll('#w-readiness-heatmap td.suppressed').length`, &n),
			chromedp.Evaluate(`Array.from(document.querySelectorAll('#w-readiness-heatmap td.suppressed')).map(td => td.textContent).join('|')`, &why))
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 || !strings.Contains(why, "meno di 5 persone") {
			t.Fatalf("%d suppressed cells, text %q", n, why)
		}
		b.shot(t, "readiness-table")
	})
	t.Run("OK the CSV export downloads a file with the expected rows", func(t *testing.T) {
		err := chromedp.Run(b.ctx, chromedp.Navigate(b.ts.URL+"/reports/readiness"),
			chromedp.WaitVisible(`#w-readiness-segments .exports a`, chromedp.ByQuery),
			chromedp.Click(`#w-readiness-segments .exports a`, chromedp.ByQuery))
		if err != nil {
			t.Fatal(err)
		}
		select {
		case guid := <-b.downloads:
			body, err := os.ReadFile(filepath.Join(b.ctx.Value(dlKey{}).(string), guid))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(body), "\uFEFF")), "\r\n")
			if len(lines) != 4 || !strings.HasPrefix(lines[0], "Categoria;Conteggio;Persone") || !strings.HasPrefix(lines[1], "Da accompagnare;") {
				t.Fatalf("CSV:\n%s", body)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("no download completed")
		}
	})
	t.Run("OK another tenant's page is refused in the browser", func(t *testing.T) {
		var title string
		err := chromedp.Run(b.ctx, chromedp.Navigate(b.ts.URL+"/reports/readiness?tenant="+reportstest.TenantB), chromedp.Title(&title))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(title, "non trovata") {
			t.Fatalf("title %q", title)
		}
	})
	t.Run("OK the English executive summary with a cross-entity benchmark renders", func(t *testing.T) {
		b.login(t, reportstest.ExecAB)
		b.openCharts(t, "/reports/executive?lang=en")
		time.Sleep(400 * time.Millisecond)
		b.shot(t, "executive-en-benchmark")
	})
	b.reportProblems(t)
}
