package reports

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Rome for extraction times without a system zone database

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/gin-gonic/gin"
)

// The PDF of a page is the page itself printed by headless Chromium with
// the print stylesheet (web/static/print.css): the charts are the ECharts
// canvases the user sees, the data tables are printed open, each widget
// starts a page. Drawing the charts again into a PDF library would mean a
// second renderer for every chart type, drifting from the page; the
// browser engine is already what the tests use, and its printToPDF makes
// a tagged PDF with an outline from the headings, for screen readers.
//
// Chromium fetches nothing itself: every request it makes is paused and
// answered in-process by the report routes with the requesting user's
// credentials, so the PDF goes through the same access checks and the
// same privacy layer as the page, and a request for any other host fails.
// Without a Chromium binary the export answers 503 with a message.

// DefaultChromiumNames are looked up in PATH when Config.ChromiumPath is
// empty.
var DefaultChromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

const (
	// pdfPrintOrigin is where Chromium believes the page is (a reserved
	// name: nothing can resolve it) unless BaseURL is absolute.
	pdfPrintOrigin = "http://bussola.invalid"
	// pdfViewportWidth is A4's printable width at 12 mm margins in CSS
	// pixels, so the charts are drawn at the width they are printed at.
	pdfViewportWidth = 703
	pdfTimeout       = 90 * time.Second
	pdfConcurrent    = 2
)

// errNoChromium says the PDF export cannot run on this server.
var errNoChromium = errors.New("no Chromium binary")

// pdfPrinter prints pages; at most pdfConcurrent browsers run at once.
type pdfPrinter struct {
	path    string // Config.ChromiumPath
	sem     chan struct{}
	once    sync.Once
	handler http.Handler
}

func newPDFPrinter(path string) *pdfPrinter {
	return &pdfPrinter{path: path, sem: make(chan struct{}, pdfConcurrent)}
}

// binary is the Chromium to run, or errNoChromium.
func (p *pdfPrinter) binary() (string, error) {
	if p.path != "" {
		if st, err := os.Stat(p.path); err != nil || st.IsDir() {
			return "", fmt.Errorf("%w at %s", errNoChromium, p.path)
		}
		return p.path, nil
	}
	for _, n := range DefaultChromiumNames {
		if path, err := exec.LookPath(n); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%w in PATH", errNoChromium)
}

func (s *Server) exportPDF(c *gin.Context, pg Page, q Query, name string) {
	t := tr{q.Lang}
	bin, err := s.printer.binary()
	if err != nil {
		s.log.Warn("pdf export", "err", err)
		c.Set("detail", t.T("x.pdf.nobrowser"))
		s.fail(c, http.StatusServiceUnavailable, q.Lang)
		return
	}
	u := s.pdfOrigin() + s.prefix + "/reports/" + string(pg) + "?" + q.Values().Encode()
	b, err := s.printer.print(c.Request, bin, u, s.printHandler())
	if err != nil {
		s.log.Error("pdf export", "page", pg, "err", err)
		c.Set("detail", t.T("x.pdf.failed"))
		s.fail(c, http.StatusServiceUnavailable, q.Lang)
		return
	}
	s.record(c, "export", pg, q, "pdf", http.StatusOK)
	attach(c, name, "application/pdf", b)
}

// pdfOrigin is BaseURL's origin when it is absolute (the page's scripts
// are addressed there), else pdfPrintOrigin.
func (s *Server) pdfOrigin() string {
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Host != "" {
		return u.Scheme + "://" + u.Host
	}
	return pdfPrintOrigin
}

// printHandler serves Chromium's requests: the report routes alone.
func (s *Server) printHandler() http.Handler {
	s.printer.once.Do(func() {
		r := gin.New()
		r.Use(gin.Recovery())
		s.Register(r)
		s.printer.handler = r
	})
	return s.printer.handler
}

// settleCharts redraws every chart without animation and without its
// toolbox (the download and zoom icons mean nothing on paper) and
// resolves when all have finished (or after 10 s), so no bar is printed
// half-grown. (ECharts' SVG renderer was tried to shrink the PDF: the
// readiness page's grew from 1.8 to 2.2 MB, its heatmap and decal
// patterns drawn cell by cell; the charts stay canvas bitmaps at one
// pixel per CSS pixel.)
const settleCharts = `new Promise(function (done) {
  var charts = window.bussolaCharts || [];
  var left = charts.length;
  if (left === 0) { done(0); return; }
  var timer = setTimeout(function () { done(-1); }, 10000);
  charts.forEach(function (c) {
    c.on("finished", function once() {
      c.off("finished", once);
      if (--left === 0) { clearTimeout(timer); done(charts.length); }
    });
    c.setOption({ toolbox: { show: false }, animation: false });
    c.resize({ animation: { duration: 0 } });
  });
})`

const pdfFooter = `<div style="font-size:8px;width:100%;padding:0 12mm;font-family:sans-serif;color:#444;display:flex;justify-content:space-between"><span class="title"></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`

// print loads pageURL in a fresh headless Chromium whose every request
// is answered by h as if orig (its cookies and credentials) had made it,
// and prints it to a tagged A4 PDF.
func (p *pdfPrinter) print(orig *http.Request, bin, pageURL string, h http.Handler) ([]byte, error) {
	ctx, cancel := context.WithTimeout(orig.Context(), pdfTimeout)
	defer cancel()
	select {
	case p.sem <- struct{}{}:
		defer func() { <-p.sem }()
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for a printer: %w", ctx.Err())
	}
	target, err := url.Parse(pageURL)
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "bussola-pdf-")
	if err != nil {
		return nil, fmt.Errorf("chromium profile: %w", err)
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.UserDataDir(profile), chromedp.DisableGPU,
		chromedp.WindowSize(pdfViewportWidth, 1100), chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true))
	if os.Geteuid() == 0 {
		// Chromium refuses to start as root with its sandbox; it only
		// ever loads this server's own pages (see answer).
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	chromedp.ListenTarget(bctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			go answer(bctx, e, orig, target.Host, h)
		}
	})
	var settled int
	var pdf []byte
	err = chromedp.Run(bctx,
		fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*", RequestStage: fetch.RequestStageRequest}}),
		chromedp.Navigate(pageURL),
		chromedp.Evaluate(settleCharts, &settled, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().
				WithPaperWidth(8.27).WithPaperHeight(11.69).
				WithMarginTop(0.47).WithMarginBottom(0.6).WithMarginLeft(0.47).WithMarginRight(0.47).
				WithPrintBackground(true).WithGenerateTaggedPDF(true).WithGenerateDocumentOutline(true).
				WithDisplayHeaderFooter(true).WithHeaderTemplate("<span></span>").WithFooterTemplate(pdfFooter).
				Do(ctx)
			return err
		}))
	if err != nil {
		return nil, fmt.Errorf("print %s: %w", target.Path, err)
	}
	return pdf, nil
}

// answer serves one paused request with h, carrying orig's credentials;
// a request for another host or with another method than GET fails.
func answer(ctx context.Context, e *fetch.EventRequestPaused, orig *http.Request, host string, h http.Handler) {
	ex := cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Target)
	u, err := url.Parse(e.Request.URL)
	if err != nil || u.Host != host || e.Request.Method != http.MethodGet {
		_ = fetch.FailRequest(e.RequestID, network.ErrorReasonBlockedByClient).Do(ex)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.RequestURI(), nil)
	if err != nil {
		_ = fetch.FailRequest(e.RequestID, network.ErrorReasonFailed).Do(ex)
		return
	}
	req.Host, req.RemoteAddr = u.Host, orig.RemoteAddr
	for _, k := range []string{"Cookie", "Authorization", "X-Forwarded-For"} {
		if v, ok := orig.Header[k]; ok {
			req.Header[k] = v
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var hs []*fetch.HeaderEntry
	for k, vs := range rec.Header() {
		for _, v := range vs {
			hs = append(hs, &fetch.HeaderEntry{Name: k, Value: v})
		}
	}
	_ = fetch.FulfillRequest(e.RequestID, int64(rec.Code)).WithResponseHeaders(hs).WithBody(base64.StdEncoding.EncodeToString(rec.Body.Bytes())).Do(ex)
}
