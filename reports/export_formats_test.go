package reports_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
	"github.com/xuri/excelize/v2"
)

const bom = "\uFEFF"

// widgetOf returns the widget id of page as the server builds it for
// tenant A in Italian: the table the exports must carry.
func widgetOf(t *testing.T, e *env, page reports.Page, id string) reports.Widget {
	t.Helper()
	ws, err := e.srv.Widgets(context.Background(), page, reports.Query{Tenant: reportstest.TenantA, Lang: "it"})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		if w.ID == id {
			return w
		}
	}
	t.Fatalf("no widget %s on %s", id, page)
	return reports.Widget{}
}

// checkRecords compares parsed CSV records with the widget's table:
// header, one record per row, numbers read back with decimal mark dec,
// suppressed cells with their reason.
func checkRecords(t *testing.T, recs [][]string, w reports.Widget, dec string) (numbers, decimals int) {
	t.Helper()
	if len(recs) != len(w.Table.Rows)+1 {
		t.Fatalf("%d records for %d rows", len(recs), len(w.Table.Rows))
	}
	if strings.Join(recs[0], "|") != strings.Join(w.Table.Columns, "|") {
		t.Fatalf("header %q, want %q", recs[0], w.Table.Columns)
	}
	for i, row := range w.Table.Rows {
		for j, c := range row {
			got := recs[i+1][j]
			switch {
			case c.Hidden:
				if got != c.Text+" ("+c.Why+")" {
					t.Fatalf("row %d col %d: %q for a suppressed cell", i, j, got)
				}
			case c.IsNum:
				if dec == "," && strings.Contains(got, ".") || dec == "." && strings.Contains(got, ",") {
					t.Fatalf("row %d col %d: %q has the wrong decimal mark", i, j, got)
				}
				x, err := strconv.ParseFloat(strings.Replace(got, dec, ".", 1), 64)
				if err != nil || x != c.Num {
					t.Fatalf("row %d col %d: %q reads %v, want %v", i, j, got, x, c.Num)
				}
				numbers++
				if strings.Contains(got, dec) {
					decimals++
				}
			}
		}
	}
	return numbers, decimals
}

func TestExportCSV(t *testing.T) {
	e := mustStart(t)
	hr := e.client(t, reportstest.HRA)
	heat := widgetOf(t, e, reports.PageReadiness, "readiness-heatmap")
	base := e.ts.URL + "/reports/readiness/export/readiness-heatmap.csv"

	t.Run("OK by default it is Excel's Italian CSV: BOM, semicolons, decimal comma", func(t *testing.T) {
		resp, err := hr.Get(base)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Fatalf("Content-Type %q", ct)
		}
		if !strings.HasPrefix(body, bom) {
			t.Fatalf("no UTF-8 BOM: %.20q", body)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, bom)))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if n, d := checkRecords(t, recs, heat, ","); n == 0 || d == 0 {
			t.Fatalf("%d numbers, %d with decimals: the table should have both", n, d)
		}
		if !strings.Contains(body, "non mostrato (meno di 5 persone)") {
			t.Fatal("no suppressed marker")
		}
	})
	t.Run("OK dialect=rfc4180 parses with encoding/csv's defaults and dot decimals", func(t *testing.T) {
		_, body := get(t, hr, base+"?dialect=rfc4180")
		if strings.HasPrefix(body, bom) {
			t.Fatal("RFC 4180 file starts with a BOM")
		}
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if n, d := checkRecords(t, recs, heat, "."); n == 0 || d == 0 {
			t.Fatalf("%d numbers, %d with decimals", n, d)
		}
	})
	t.Run("OK weeks are Italian dates in the Italian dialect and ISO dates in RFC 4180", func(t *testing.T) {
		lead := e.client(t, reportstest.LeadA)
		diary := widgetOf(t, e, reports.PageImpact, "impact-diary")
		if len(diary.Table.Rows) == 0 {
			t.Fatal("the diary table is empty")
		}
		week := diary.Table.Rows[0][0].Text
		iso, err := time.Parse(time.DateOnly, week)
		if err != nil {
			t.Fatalf("the diary's week %q is not a date", week)
		}
		_, it := get(t, lead, e.ts.URL+"/reports/impact/export/impact-diary.csv")
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(it, bom)))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got := recs[1][0]; got != iso.Format("02/01/2006") {
			t.Fatalf("week %q, want %s", got, iso.Format("02/01/2006"))
		}
		_, rfc := get(t, lead, e.ts.URL+"/reports/impact/export/impact-diary.csv?dialect=rfc4180")
		recs, err = csv.NewReader(strings.NewReader(rfc)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if recs[1][0] != week {
			t.Fatalf("week %q, want %s", recs[1][0], week)
		}
	})
	t.Run("Err an unknown dialect is refused naming the parameter and the rule in Italian", func(t *testing.T) {
		code, body := get(t, hr, base+"?dialect=tsv")
		if code != http.StatusBadRequest || !strings.Contains(body, "dialect") || !strings.Contains(body, "excel-it") || !strings.Contains(body, "rfc4180") {
			t.Fatalf("%d %s", code, body)
		}
	})
}

// openXLSX opens a workbook answered by the server.
func openXLSX(t *testing.T, c *http.Client, u string) *excelize.File {
	t.Helper()
	code, body := get(t, c, u)
	if code != http.StatusOK {
		t.Fatalf("%s: %d %s", u, code, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// numFmt is the custom number format of a cell.
func numFmt(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

// infoRows reads the information sheet as label -> value.
func infoRows(t *testing.T, f *excelize.File, sheet string) map[string]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range rows {
		if len(r) >= 2 {
			m[r[0]] = r[1]
		}
	}
	return m
}

func checkDataSheet(t *testing.T, f *excelize.File, sheet string, w reports.Widget) {
	t.Helper()
	if n := utf8.RuneCountInString(sheet); n == 0 || n > 31 || strings.ContainsAny(sheet, `[]:*?/\`) ||
		strings.Fields(sheet)[0] != strings.Fields(w.Title)[0] {
		t.Fatalf("sheet %q for the title %q", sheet, w.Title)
	}
	p, err := f.GetPanes(sheet)
	if err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
		t.Fatalf("%s: panes %+v %v: the header row is not frozen", sheet, p, err)
	}
	filtered := false
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" && strings.Contains(d.RefersTo, "$A$1:") {
			if i, _ := f.GetSheetIndex(sheet); d.Scope == sheet || d.Scope == strconv.Itoa(i) {
				filtered = true
			}
		}
	}
	if !filtered {
		t.Fatalf("%s: no autofilter over the header (%+v)", sheet, f.GetDefinedName())
	}
	for i, col := range w.Table.Columns {
		name, _ := excelize.ColumnNumberToName(i + 1)
		width, err := f.GetColWidth(sheet, name)
		if err != nil || width < float64(min(utf8.RuneCountInString(col), 60)) {
			t.Fatalf("%s column %s (%q) is %.1f wide", sheet, name, col, width)
		}
	}
	numbers := 0
	for r, row := range w.Table.Rows {
		for i, c := range row {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			typ, err := f.GetCellType(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			if !c.IsNum || c.Hidden {
				continue
			}
			numbers++
			if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Fatalf("%s %s: a number stored as text", sheet, cell)
			}
			want := "#,##0"
			if c.Pct {
				want = "0"
			}
			if c.Decimals > 0 {
				want += "." + strings.Repeat("0", c.Decimals)
			}
			if c.Pct {
				want += "%"
			}
			if got := numFmt(t, f, sheet, cell); got != want {
				t.Fatalf("%s %s (%s): format %q, want %q", sheet, cell, c.Text, got, want)
			}
			v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			if x, err := strconv.ParseFloat(v, 64); err != nil || x != c.Num {
				t.Fatalf("%s %s: %q, want %v", sheet, cell, v, c.Num)
			}
		}
	}
	if numbers == 0 && len(w.Table.Rows) > 0 {
		t.Logf("%s has no numbers", sheet)
	}
}

func TestExportXLSX(t *testing.T) {
	e := mustStart(t)
	// 29 March 2026, 10:30 UTC: the first hours of summer time in Rome.
	at := time.Date(2026, 3, 29, 10, 30, 0, 0, time.UTC)
	reports.SetClock(e.srv, func() time.Time { return at })
	hr := e.client(t, reportstest.HRA)
	heat := widgetOf(t, e, reports.PageReadiness, "readiness-heatmap")

	t.Run("OK one table: numbers with formats, frozen header, autofilter, widths, information sheet", func(t *testing.T) {
		f := openXLSX(t, hr, e.ts.URL+"/reports/readiness/export/readiness-heatmap.xlsx?unit=Ragioneria")
		sheets := f.GetSheetList()
		if len(sheets) != 2 || sheets[1] != "Informazioni" {
			t.Fatalf("sheets %q", sheets)
		}
		w := heat
		ws, err := e.srv.Widgets(context.Background(), reports.PageReadiness, reports.Query{Tenant: reportstest.TenantA, Unit: "Ragioneria", Lang: "it"})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ws {
			if x.ID == heat.ID {
				w = x
			}
		}
		checkDataSheet(t, f, sheets[0], w)
		rows, _ := f.GetRows(sheets[0])
		if len(rows) != len(w.Table.Rows)+1 {
			t.Fatalf("%d rows for %d", len(rows), len(w.Table.Rows))
		}
		info := infoRows(t, f, "Informazioni")
		hidden := 0
		for _, r := range w.Table.Rows {
			for _, c := range r {
				if c.Hidden {
					hidden++
				}
			}
		}
		for label, want := range map[string]string{
			"Pagina":                        "Maturità digitale",
			"Ente":                          reportstest.TenantA,
			"Filtri applicati":              "Unità organizzativa: Ragioneria",
			"Estratto il":                   "29/03/2026 12:30 (ora di Roma)",
			"Dimensione minima dei gruppi":  "5",
			"Dimensione minima per i testi": "10",
			"Celle non mostrate":            strconv.Itoa(hidden),
		} {
			if info[label] != want {
				t.Fatalf("information %q = %q, want %q (all: %q)", label, info[label], want, info)
			}
		}
		if !strings.Contains(info["Nota sulla riservatezza"], "meno di 5 persone") {
			t.Fatalf("privacy note %q", info["Nota sulla riservatezza"])
		}
	})
	t.Run("OK the page workbook has one sheet per table with unique names of at most 31 characters", func(t *testing.T) {
		f := openXLSX(t, hr, e.ts.URL+"/reports/readiness/export/page.xlsx")
		ws, err := e.srv.Widgets(context.Background(), reports.PageReadiness, reports.Query{Tenant: reportstest.TenantA, Lang: "it"})
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		if len(sheets) != len(ws)+1 || sheets[len(ws)] != "Informazioni" {
			t.Fatalf("%d sheets %q for %d tables", len(sheets), sheets, len(ws))
		}
		seen := map[string]bool{}
		for i, w := range ws {
			if seen[strings.ToLower(sheets[i])] {
				t.Fatalf("sheet name %q twice", sheets[i])
			}
			seen[strings.ToLower(sheets[i])] = true
			checkDataSheet(t, f, sheets[i], w)
		}
		rows, _ := f.GetRows("Informazioni")
		listed := 0
		for _, r := range rows {
			if len(r) == 3 && seen[strings.ToLower(r[0])] {
				listed++
			}
		}
		if listed != len(ws) {
			t.Fatalf("the information sheet lists %d of %d tables", listed, len(ws))
		}
	})
	t.Run("OK English exports name the information sheet in English", func(t *testing.T) {
		f := openXLSX(t, hr, e.ts.URL+"/reports/readiness/export/readiness-heatmap.xlsx?lang=en")
		if s := f.GetSheetList(); s[len(s)-1] != "Information" {
			t.Fatalf("sheets %q", s)
		}
		if got := infoRows(t, f, "Information")["Extracted on"]; got != "2026-03-29 12:30 (Rome time)" {
			t.Fatalf("extracted %q", got)
		}
	})
	t.Run("OK a document with dates stores them as dates", func(t *testing.T) {
		f := openXLSX(t, e.client(t, reportstest.LeadA), e.ts.URL+"/reports/impact/export/impact-diary.xlsx")
		sheet := f.GetSheetList()[0]
		if got := numFmt(t, f, sheet, "A2"); got != "dd/mm/yyyy" {
			t.Fatalf("week format %q", got)
		}
		v, _ := f.GetCellValue(sheet, "A2", excelize.Options{RawCellValue: true})
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			t.Fatalf("week stored as %q, not a date serial", v)
		}
	})
}

// TestExportsJSONErrors keeps the exports' errors JSON with a detail.
func TestExportsJSONErrors(t *testing.T) {
	e := mustStart(t)
	code, body := get(t, e.client(t, reportstest.HRA), e.ts.URL+"/reports/readiness/export/nothing.xlsx")
	var m map[string]string
	if code != http.StatusNotFound || json.Unmarshal([]byte(body), &m) != nil || m["error"] == "" {
		t.Fatalf("%d %s", code, body)
	}
}
