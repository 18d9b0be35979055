// Package statuspage serves the operator's first page: live row counts per
// stream, consumer lag and an ingest-rate chart (go-echarts, assets served
// by the application). It shows operational totals only, never records,
// and those only to the callers its Detail function admits; anyone else
// learns whether the pipeline is ok or unavailable, nothing more.
//
// It reads through the Source interface it declares and imports no other
// Bussola package.
package statuspage

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Stream is the live state of one evidence stream.
type Stream struct {
	Name         string  `json:"name"`
	Topic        string  `json:"topic"`
	Rows         uint64  `json:"rows"`          // rows queryable in ClickHouse
	Accepted     float64 `json:"accepted"`      // records the intake acknowledged since start
	Rejected     float64 `json:"rejected"`      // records the intake refused since start
	DeadLettered float64 `json:"dead_lettered"` // records sent to the dead-letter topic since start
	Lag          float64 `json:"lag"`           // messages not yet inserted and committed
}

// Status is a snapshot of the pipeline.
type Status struct {
	At          time.Time `json:"at"`
	Streams     []Stream  `json:"streams"`
	DeadLetters uint64    `json:"dead_letters"` // rows in the dead_letters table
}

// Source provides snapshots.
type Source interface {
	Status(ctx context.Context) (Status, error)
}

// Summary is what callers without access to the details get.
type Summary struct {
	At     time.Time `json:"at"`
	Status string    `json:"status"` // "ok" or "unavailable"
}

// Page is the status page handler set.
type Page struct {
	src        Source
	assetsHost string
	detail     func(*gin.Context) bool
}

// New returns the page; assetsHost is where echarts.min.js is served,
// ending in "/"; detail says whether a request may see the counts (nil:
// nobody may).
func New(src Source, assetsHost string, detail func(*gin.Context) bool) *Page {
	if detail == nil {
		detail = func(*gin.Context) bool { return false }
	}
	return &Page{src: src, assetsHost: assetsHost, detail: detail}
}

// Register mounts the page at GET / (the service's first page) and at
// GET /status, and its data at GET /status.json.
func (p *Page) Register(r gin.IRoutes) {
	r.GET("/", p.page)
	r.GET("/status", p.page)
	r.GET("/status.json", p.json)
}

func (p *Page) json(g *gin.Context) {
	ctx, cancel := context.WithTimeout(g.Request.Context(), 5*time.Second)
	defer cancel()
	st, err := p.src.Status(ctx)
	g.Header("Cache-Control", "no-store")
	if !p.detail(g) {
		sum := Summary{At: st.At, Status: "ok"}
		code := http.StatusOK
		if err != nil {
			sum.Status, code = "unavailable", http.StatusServiceUnavailable
		}
		g.JSON(code, sum)
		return
	}
	if err != nil {
		g.JSON(http.StatusServiceUnavailable, gin.H{"error": err.Error()})
		return
	}
	g.JSON(http.StatusOK, st)
}

// chart is the ingest chart: rows per stream over time, filled in by the
// page's script from /status.json.
func (p *Page) chart() *charts.Line {
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: "ingest", AssetsHost: p.assetsHost, Width: "100%", Height: "360px"}),
		charts.WithTitleOpts(opts.Title{Title: "Righe in ClickHouse per flusso / rows per stream"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "30"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "time"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value"}),
		charts.WithColorsOpts(opts.Colors{"#0072B2", "#E69F00", "#009E73", "#D55E00"}),
	)
	for _, name := range []string{"diary", "survey", "intranet"} {
		line.AddSeries(name, []opts.LineData{}, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
	}
	return line
}

func (p *Page) page(g *gin.Context) {
	line := p.chart()
	line.Validate()
	var chart bytes.Buffer
	if err := line.Render(&chart); err != nil {
		g.String(http.StatusInternalServerError, "render chart: %v", err)
		return
	}
	g.Header("Content-Type", "text/html; charset=utf-8")
	_ = pageTmpl.Execute(g.Writer, map[string]any{"Chart": template.HTML(extractBody(chart.Bytes()))})
}

// extractBody keeps what go-echarts put inside <body>, so the chart can sit
// in our own page.
func extractBody(html []byte) []byte {
	start := bytes.Index(html, []byte("<body>"))
	end := bytes.LastIndex(html, []byte("</body>"))
	head := html
	if i := bytes.Index(html, []byte("<head>")); i >= 0 {
		if j := bytes.Index(html, []byte("</head>")); j > i {
			head = html[i+6 : j]
		}
	}
	if start < 0 || end < start {
		return html
	}
	var out bytes.Buffer
	for _, line := range bytes.Split(head, []byte("\n")) {
		if bytes.Contains(line, []byte("<script")) {
			out.Write(line)
			out.WriteByte('\n')
		}
	}
	out.Write(html[start+6 : end])
	return out.Bytes()
}
