package reports

import (
	"math"
	"strconv"
	"strings"
)

// Widget is one chart of a page, GoatCounter style: its data as a table
// (the accessible alternative and the CSV/XLSX export) and its ECharts
// option built with go-echarts. Both are made from suppressed data only.
type Widget struct {
	// ID is stable and URL-safe: it names the export and the golden file.
	ID    string
	Title string
	Table Table
	// Option is the ECharts option (go-echarts' JSON()); nil for a
	// table-only widget.
	Option map[string]any
	// Drill names the query parameter a click on a category sets, for
	// drill-down from entity to unit ("" for none).
	Drill string
	// Text marks widgets built from free text (the text minimum applies).
	Text bool
	// Rows is the number of category rows the chart stacks vertically
	// (units of a heatmap, say); the page makes the chart taller for many.
	Rows int
}

// Table is a widget's data: a header and rows of cells.
type Table struct {
	Columns []string
	Rows    [][]TCell
}

// TCell is one table cell: text, or a number with its display text, or a
// suppressed marker with its reason.
type TCell struct {
	Text   string
	Num    float64
	IsNum  bool
	Hidden bool
	Why    string
	// Decimals is how many decimals Text shows, and Pct marks a share
	// shown in per cent (Num holds the fraction: 0.674 for 67,4%). The
	// XLSX export formats the number with them; a number with a fraction
	// and Decimals 0 is written in the General format.
	Decimals int
	Pct      bool
}

func txt(s string) TCell { return TCell{Text: s} }

func intCell(n int64) TCell {
	return TCell{Text: strconv.FormatInt(n, 10), Num: float64(n), IsNum: true}
}

// pctCell is a share x (0-1) shown in per cent with d decimals.
func pctCell(x float64, d int, lang string) TCell {
	return TCell{Text: fmtNum(x*100, d, lang) + "%", Num: round(x, d+2), IsNum: true, Decimals: d, Pct: true}
}

// fmtNum formats x with d decimals in the language's style.
func fmtNum(x float64, d int, lang string) string {
	s := strconv.FormatFloat(x, 'f', d, 64)
	if lang == "it" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// cellCols expands a Cell into value (and CI) and n table cells, or into
// the same number of suppressed markers.
func (b *builder) cellCols(c Cell, digits int, withCI bool) []TCell {
	n := 2
	if withCI {
		n = 4
	}
	if c.Suppressed {
		out := make([]TCell, n)
		why := b.t.Why(c.Reason, b.p, b.text)
		for i := range out {
			out[i] = TCell{Text: b.t.T("suppressed"), Hidden: true, Why: why}
		}
		return out
	}
	num := func(x float64) TCell {
		return TCell{Text: fmtNum(x, digits, b.t.lang), Num: round(x, digits), IsNum: true, Decimals: digits}
	}
	out := []TCell{num(c.Value)}
	if withCI {
		if c.HasCI() {
			out = append(out, num(c.Lo), num(c.Hi))
		} else {
			out = append(out, txt(""), txt(""))
		}
	}
	return append(out, intCell(int64(c.N)))
}

func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

// builder carries what every widget needs.
type builder struct {
	t    tr
	p    Privacy
	q    Query
	text bool
}

// val is a chart value: the rounded number, or "-" (ECharts' empty value)
// for a suppressed or empty cell.
func val(c Cell, digits int) any {
	if c.Suppressed || c.N == 0 {
		return "-"
	}
	return round(c.Value, digits)
}
