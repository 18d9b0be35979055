package reports

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/bussola-pa/bussola/internal/testenv"
)

// TestPDFPrinterReachesOnlyTheServer prints a page that asks for an image,
// a stylesheet and a script of another host (a live local server, so a
// request that got through would arrive there) and checks, from the log of
// what the print handler was asked, that Chromium's only requests were
// for the page's own host, answered in-process, and that the other host
// was never reached (issue 9: the PDF goes through the report routes only).
// The page's origin is the reserved name the server prints under, or a
// loopback address as an absolute BaseURL makes it (Chromium lets a
// loopback page reach another loopback port, so only the interception
// stands in the way).
func TestPDFPrinterReachesOnlyTheServer(t *testing.T) {
	bin, err := newPDFPrinter("").binary()
	if err != nil {
		testenv.SkipOrFail(t, "no Chromium: "+err.Error())
	}
	for name, origin := range map[string]string{"reserved-name": pdfPrintOrigin, "loopback": "http://127.0.0.1:9"} {
		t.Run(name, func(t *testing.T) { printOnlyFromServer(t, bin, origin) })
	}
}

func printOnlyFromServer(t *testing.T, bin, origin string) {
	var external atomic.Int64
	ext := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		external.Add(1)
		w.Header().Set("Content-Type", "text/css")
		_, _ = w.Write([]byte("body{}"))
	}))
	defer ext.Close()
	var mu sync.Mutex
	var asked []string // host and path of every request the handler answered
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Host+r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/reports/readiness":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			// The image, the stylesheet and the script all hold the load
			// event, so each request is made before printing starts.
			_, _ = w.Write([]byte(`<!doctype html><html lang="it"><head><title>t</title>
<link rel="stylesheet" href="/static/own.css">
<link rel="stylesheet" href="` + ext.URL + `/leak.css">
<script src="` + ext.URL + `/leak.js"></script>
</head><body><h1>Pagina</h1><img alt="" src="` + ext.URL + `/leak.png"></body></html>`))
		case "/static/own.css":
			w.Header().Set("Content-Type", "text/css")
			_, _ = w.Write([]byte("h1{color:#000}"))
		default:
			http.NotFound(w, r)
		}
	})
	orig := httptest.NewRequest(http.MethodGet, "/reports/readiness/export/page.pdf", nil)
	pdf, err := newPDFPrinter(bin).print(orig, bin, origin+"/reports/readiness", h)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("not a PDF: %.20q", pdf)
	}
	mu.Lock()
	defer mu.Unlock()
	own := strings.TrimPrefix(origin, "http://")
	t.Run("OK the page and its own stylesheet were answered in-process", func(t *testing.T) {
		for _, want := range []string{own + "/reports/readiness", own + "/static/own.css"} {
			if !strings.Contains(strings.Join(asked, " "), want) {
				t.Errorf("%s not asked; asked %q", want, asked)
			}
		}
	})
	t.Run("OK no request for another host reached the handler or the other host", func(t *testing.T) {
		for _, a := range asked {
			if !strings.HasPrefix(a, own+"/") {
				t.Errorf("the print handler answered %s", a)
			}
		}
		if n := external.Load(); n != 0 {
			t.Errorf("the other host got %d requests", n)
		}
	})
}
