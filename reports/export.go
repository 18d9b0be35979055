package reports

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// The exports of a page, all made from the view load returns (the data
// privacy/ released, exactly as the page shows it):
//
//	/reports/:page/export/<widget>.csv   one table, CSV (dialect below)
//	/reports/:page/export/<widget>.xlsx  one table and an information sheet
//	/reports/:page/export/page.xlsx      every table of the page, one sheet each
//	/reports/:page/export/page.pdf       the page printed by Chromium
//	/reports/executive/export/summary.pdf  the same PDF, the older name
//
// CSV takes ?dialect=excel-it (default: semicolons, decimal comma, UTF-8
// BOM, dates dd/mm/yyyy) or ?dialect=rfc4180 (commas, dot decimals, ISO
// dates, no BOM).
const pageExport = "page"

func (s *Server) export(c *gin.Context) {
	page, q, ok := s.scope(c)
	if !ok {
		return
	}
	t := tr{q.Lang}
	file := c.Param("file")
	dot := strings.LastIndexByte(file, '.')
	if dot < 0 {
		s.fail(c, http.StatusNotFound, q.Lang)
		return
	}
	id, format := file[:dot], file[dot+1:]
	dialect, ok := csvDialects[c.DefaultQuery("dialect", dialectExcelIT.Name)]
	if !ok {
		c.Set("detail", "dialect: "+t.T("x.dialect"))
		s.fail(c, http.StatusBadRequest, q.Lang)
		return
	}
	name := q.Tenant + "-" + id
	if format == "pdf" {
		if id != pageExport && (id != "summary" || page != PageExecutive) {
			s.fail(c, http.StatusNotFound, q.Lang)
			return
		}
		s.exportPDF(c, page, q, q.Tenant+"-"+string(page)+".pdf")
		return
	}
	if format != "csv" && format != "xlsx" {
		s.fail(c, http.StatusNotFound, q.Lang)
		return
	}
	v, err := s.load(c.Request.Context(), page, q)
	if err != nil {
		s.internal(c, err, q.Lang)
		return
	}
	var ws []Widget
	if id == pageExport && format == "xlsx" {
		ws = v.Widgets
		name = q.Tenant + "-" + string(page)
	} else if w, found := v.widget(id); found {
		ws = []Widget{w}
	} else {
		s.fail(c, http.StatusNotFound, q.Lang)
		return
	}
	if format == "csv" {
		s.record(c, "export", page, q, "csv", http.StatusOK)
		attach(c, name+".csv", dialect.ContentType(), tableCSV(withKeys(ws[0].Table), dialect))
		return
	}
	b, err := workbookXLSX(ws, exportInfo{T: t, Page: page, Query: q, Privacy: v.Privacy, At: s.sess.now()})
	if err != nil {
		s.internal(c, err, q.Lang)
		return
	}
	s.record(c, "export", page, q, "xlsx", http.StatusOK)
	attach(c, name+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

func attach(c *gin.Context, name, ctype string, b []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, ctype, b)
}

// exportInfo is what an export says about itself: the page, the filters,
// when it was extracted and the privacy rule its data passed.
type exportInfo struct {
	T       tr
	Page    Page
	Query   Query
	Privacy Privacy
	At      time.Time
}

// rome is the time zone extraction times are written in; the embedded
// time/tzdata (imported in export_pdf.go) loads it on a system without a
// zone database.
var rome = func() *time.Location {
	l, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()

// extracted is the extraction time in Rome, "02/01/2006 15:04" in
// Italian, "2006-01-02 15:04" in English.
func (e exportInfo) extracted() string {
	layout := "02/01/2006 15:04"
	if e.T.lang == "en" {
		layout = "2006-01-02 15:04"
	}
	return e.At.In(rome).Format(layout) + " (" + e.T.T("x.rome") + ")"
}

// filters lists the filters applied, or says there are none.
func (e exportInfo) filters() string {
	if f := describeFilters(e.T, e.Query); f != "" {
		return f
	}
	return e.T.T("x.nofilters")
}

func describeFilters(t tr, q Query) string {
	var parts []string
	for _, p := range [][2]string{{"f.unit", q.Unit}, {"f.grade", q.Grade}, {"f.cohort", q.Cohort}, {"f.from", t.date(q.From)}, {"f.to", t.date(q.To)}} {
		if p[1] != "" {
			parts = append(parts, t.T(p[0])+": "+p[1])
		}
	}
	return strings.Join(parts, ", ")
}

// withheld counts a table's suppressed cells.
func withheld(t Table) int {
	n := 0
	for _, r := range t.Rows {
		for _, c := range r {
			if c.Hidden {
				n++
			}
		}
	}
	return n
}

// date is a day in the language's numeric style ("" for zero).
func (t tr) date(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	if t.lang == "en" {
		return d.Format(time.DateOnly)
	}
	return d.Format("02/01/2006")
}
