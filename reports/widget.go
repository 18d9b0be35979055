package reports

import (
	"strconv"
	"strings"
	"time"

	"github.com/bussola-pa/bussola/privacy"
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
	// State is what the chart can show: StateData (its figures),
	// StateEmpty (nothing was recorded in the period) or StateWithheld
	// (every figure is hidden; Why says why). The page draws the chart
	// only with StateData and says the other two in words.
	State string
	// Why explains State: the empty period and what was missing in it, or
	// the reason the figures are hidden.
	Why string
	// Partial marks a chart some of whose figures are hidden: the page
	// says so under it.
	Partial bool
	// Note is a sentence the page shows under the widget's title (what a
	// filter does not apply to, say).
	Note string
	// DrillKeys are the identifiers behind a drillable chart's categories,
	// in their order (the categories show display names); nil: the
	// categories are the identifiers.
	DrillKeys []string
	// Unit is the unit of the chart's values ("%" for shares drawn in
	// per cent), for the page's number formatters.
	Unit string
}

// The states of a widget's chart.
const (
	StateData     = ""
	StateEmpty    = "empty"
	StateWithheld = "withheld"
)

// settle sets w's State from the cells its chart draws: empty when none
// has anyone in it, withheld when every one with people is hidden. source
// is the message key of the records the widget is made of (src.survey,
// src.diary...), for the sentence that says what the period lacked.
func (b *builder) settle(w *Widget, source string, cells ...Cell) {
	published, hidden := 0, -1
	for i, c := range cells {
		switch {
		case c.Suppressed:
			if hidden < 0 {
				hidden = i
			}
		case c.N > 0:
			published++
		}
	}
	switch {
	case published > 0:
		w.Partial = hidden >= 0
	case hidden >= 0:
		w.State, w.Why = StateWithheld, b.t.Why(cells[hidden].Reason, b.p, b.text)
	default:
		w.State, w.Why = StateEmpty, b.noData(source)
	}
}

// settleRows sets the State of a widget of facts (no cells): empty
// without rows.
func (b *builder) settleRows(w *Widget, source string) {
	if len(w.Table.Rows) == 0 {
		w.State, w.Why = StateEmpty, b.noData(source)
	}
}

// noData says what the selection's period lacks: "Nessuna nota di diario
// dal 01/01/2026 al 31/03/2026."
func (b *builder) noData(source string) string {
	what := b.t.T(source)
	switch from, to := b.q.From, b.q.To; {
	case !from.IsZero() && !to.IsZero():
		return b.t.F("nodata.between", what, b.t.Date(from), b.t.Date(to))
	case !from.IsZero():
		return b.t.F("nodata.since", what, b.t.Date(from))
	case !to.IsZero():
		return b.t.F("nodata.until", what, b.t.Date(to))
	}
	return b.t.F("nodata.any", what)
}

// Table is a widget's data: a header and rows of cells.
type Table struct {
	Columns []string
	Rows    [][]TCell
	// KeyWord names the exports' key columns ("codice"): a column some of
	// whose cells carry a Key is exported with the identifiers beside it.
	KeyWord string
}

// TCell is one table cell: text, or a number with its display text, or a
// suppressed marker with its reason.
type TCell struct {
	Text   string
	Num    float64
	IsNum  bool
	Hidden bool
	Why    string
	// SameWhy marks a hidden cell whose reason an earlier cell of its row
	// already says: the page does not repeat it (exports still carry it).
	SameWhy bool
	// Decimals is how many decimals Text shows, and Pct marks a share
	// shown in per cent (Num holds the fraction: 0.674 for 67,4%). The
	// XLSX export formats the number with them; a number with a fraction
	// and Decimals 0 is written in the General format.
	Decimals int
	Pct      bool
	// Stamp is the instant a time cell shows (Text is it in Rome, the
	// language's way); exports write it in their own format.
	Stamp time.Time
	// Key is the identifier a display name in Text stands for ("" when
	// Text is not a name): the exports' key column carries it.
	Key string
}

func txt(s string) TCell { return TCell{Text: s} }

// keyed is the display name of an identifier of kind, keeping the
// identifier for the exports' key column.
func (b *builder) keyed(t *Table, kind, id string) TCell {
	t.KeyWord = b.t.T("col.key")
	return TCell{Text: b.name(kind, id), Key: id}
}

// withKeys returns t with, before each column some of whose names differ
// from their identifiers, a column of the identifiers ("Unità (codice)").
// A column whose names are its identifiers is its own key column.
func withKeys(t Table) Table {
	keyed := make([]bool, len(t.Columns))
	found := false
	for _, r := range t.Rows {
		for i, c := range r {
			if c.Key != "" && c.Key != c.Text && i < len(keyed) {
				keyed[i], found = true, true
			}
		}
	}
	if !found {
		return t
	}
	out := Table{KeyWord: t.KeyWord}
	for i, c := range t.Columns {
		if keyed[i] {
			out.Columns = append(out.Columns, c+" ("+t.KeyWord+")")
		}
		out.Columns = append(out.Columns, c)
	}
	for _, r := range t.Rows {
		var row []TCell
		for i, c := range r {
			if i < len(keyed) && keyed[i] {
				row = append(row, txt(c.Key))
			}
			row = append(row, c)
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

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
	if c.N == 0 && digits > 0 {
		// An estimate over nobody is no number: never print it as 0,000.
		out := make([]TCell, n-1)
		for i := range out {
			out[i] = txt(b.t.T("nodata.cell"))
		}
		return append(out, intCell(0))
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

// pctCols is cellCols for a share (0..1): the value cells read as per
// cent ("67,4%", or "+14,0 p.p." with unit " p.p." for a change), their
// Num stays the fraction.
func (b *builder) pctCols(c Cell, withCI bool, unit string) []TCell {
	out := b.cellCols(c, 3, withCI)
	for i := range out[:len(out)-1] {
		if x := &out[i]; x.IsNum && !x.Hidden {
			x.Text, x.Decimals = fmtNum(x.Num*100, 1, b.t.lang)+unit, 1
			if unit == "%" {
				x.Pct = true // the export formats the fraction as 0.0%
			} else {
				x.Num = round(x.Num*100, 1) // points: the number the page shows
			}
		}
	}
	return out
}

// round is x at d decimals, as privacy.Precision rounds a released
// figure (summation noise in the last bits never flips a half).
func round(x float64, d int) float64 { return privacy.Precision{Decimals: d}.Round(x) }

// builder carries what every widget needs.
type builder struct {
	t    tr
	p    Privacy
	q    Query
	text bool
	l    Labels
}

// val is a chart value: the rounded number, or "-" (ECharts' empty value)
// for a suppressed or empty cell.
func val(c Cell, digits int) any {
	if c.Suppressed || c.N == 0 {
		return "-"
	}
	return round(c.Value, digits)
}
