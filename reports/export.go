package reports

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// export serves one widget's table as CSV or XLSX, or the executive
// summary as PDF. The table is the suppressed one the page shows.
func (s *Server) export(c *gin.Context) {
	page, q, ok := s.scope(c)
	if !ok {
		return
	}
	file := c.Param("file")
	dot := strings.LastIndexByte(file, '.')
	if dot < 0 {
		s.fail(c, http.StatusNotFound, q.Lang)
		return
	}
	id, format := file[:dot], file[dot+1:]
	v, err := s.load(c.Request.Context(), page, q)
	if err != nil {
		s.internal(c, err, q.Lang)
		return
	}
	name := q.Tenant + "-" + id
	switch {
	case format == "pdf" && id == "summary" && page == PageExecutive:
		b := summaryPDF(tr{q.Lang}, q, v)
		s.record(c, "export", page, q, "pdf", http.StatusOK)
		attach(c, name+".pdf", "application/pdf", b)
		return
	case format != "csv" && format != "xlsx":
		s.fail(c, http.StatusNotFound, q.Lang)
		return
	}
	w, found := v.widget(id)
	if !found {
		s.fail(c, http.StatusNotFound, q.Lang)
		return
	}
	s.record(c, "export", page, q, format, http.StatusOK)
	if format == "csv" {
		attach(c, name+".csv", "text/csv; charset=utf-8", tableCSV(w.Table))
		return
	}
	b, err := tableXLSX(w.Title, w.Table)
	if err != nil {
		s.internal(c, err, q.Lang)
		return
	}
	attach(c, name+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

func attach(c *gin.Context, name, ctype string, b []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, ctype, b)
}

// tableCSV writes RFC 4180 CSV with a header row; numbers use a dot, and a
// suppressed cell reads "<not shown> (<reason>)". Cells that would start a
// spreadsheet formula are prefixed with a quote.
func tableCSV(t Table) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(t.Columns)
	for _, r := range t.Rows {
		rec := make([]string, len(r))
		for i, c := range r {
			rec[i] = cellText(c)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return buf.Bytes()
}

func cellText(c TCell) string {
	switch {
	case c.Hidden:
		return c.Text + " (" + c.Why + ")"
	case c.IsNum:
		return strconv.FormatFloat(c.Num, 'f', -1, 64)
	case c.Text != "" && strings.ContainsRune("=+-@\t\r", rune(c.Text[0])):
		return "'" + c.Text
	default:
		return c.Text
	}
}
