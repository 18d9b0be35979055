package attack

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"
	"github.com/xuri/excelize/v2"
)

// The exports as sources: every table of a page as CSV (one per widget,
// the links the page offers) and as the page's workbook (read back with
// excelize), and the page printed as PDF (its text read with a PDF
// library). The tables are asked in English (stable headers) and read the
// same way whatever the format: the leading text columns name the row
// (a unit or a cohort among them sets the row's population), each
// "People" column gives the people behind the value columns before it.

// table is one exported table: its header and rows as text.
type table struct {
	widget string
	cols   []string
	rows   [][]string
}

// Column headers of the English tables (reports/i18n.go).
const (
	colPeople = "People"
	colLo     = "95% CI low"
	colHi     = "95% CI high"
)

// countCols are the value columns that are counts (they add up as such).
var countCols = []string{"Count", "Entries", "People below threshold"}

// valueCols are the columns a table's values are in; the others before
// the first of them label the row.
var valueCols = append([]string{"Mean", "Share", "Value", "Current", "Previous", "Before", "After", "Change", "Estimate",
	"Share below threshold", colLo, colHi, colPeople}, countCols...)

// sameMeasure names the exported figures that other sources publish too
// (labels and header of the English table): the executive readiness index
// is the assessment API's index and the executive data's KPI.
var sameMeasure = map[string]string{"Digital readiness index / Current": indexMeasure}

// observeTable turns one exported table of the page for population p into
// observations. Means and shares are weighted by the "People" column that
// follows them; a cell that does not read as a number is hidden. The
// diary's means are over entries, not people, so only its head counts
// (people who wrote) are kept.
func (o OrgChart) observeTable(page string, p Pop, t table, source string) []obs {
	first := slices.IndexFunc(t.cols, func(c string) bool { return slices.Contains(valueCols, c) })
	if first < 0 {
		return nil
	}
	var out []obs
	for _, r := range t.rows {
		if len(r) < len(t.cols) {
			continue
		}
		pop, labels, ok := o.rowPop(p, t.cols[:first], r[:first])
		if !ok {
			continue
		}
		from := first
		seen := map[string]int{}
		for j := first; j < len(t.cols); j++ {
			if t.cols[j] != colPeople {
				continue
			}
			n, err := strconv.Atoi(r[j])
			for v := from; v < j; v++ {
				h := t.cols[v]
				// Intervals, changes and effect estimates do not add up
				// over groups: only the values weighted by their people.
				if h == colLo || h == colHi || h == "Change" || h == "Estimate" || err != nil {
					continue
				}
				x, err := strconv.ParseFloat(r[v], 64)
				if err != nil {
					continue // hidden
				}
				seen[h]++
				measure := t.widget + ": " + strings.Join(append(labels, h), " / ")
				if seen[h] > 1 {
					measure += " #" + strconv.Itoa(seen[h])
				}
				if m, ok := sameMeasure[measure[len(t.widget)+2:]]; ok {
					measure = m // pooled with the same figure of other pages and the API
				}
				k := weighted
				if slices.Contains(countCols, h) {
					k = counted
				}
				if slices.Contains(t.cols, "Rating") { // the diary
					if seen[h] > 1 || v != from {
						continue
					}
					measure = t.widget + ": people who wrote / " + strings.Join(labels[:len(labels)-1], " / ")
					k, x = counted, float64(n)
				}
				out = append(out, obs{Page: page, Measure: measure, Kind: k, Text: slices.Contains(t.cols, "Term"), Pop: pop,
					Value: x, N: n, Err: halfULP(r[v]), Source: source, Table: measure != indexMeasure})
			}
			from = j + 1
		}
	}
	return out
}

// rowPop is the population of a table row: p narrowed by a label naming
// a unit (or "All": p itself) or, in a cohort or series column, a cohort;
// the other labels name the measure. ok is false for a row about another
// unit or cohort than p's.
func (o OrgChart) rowPop(p Pop, cols, cells []string) (Pop, []string, bool) {
	var labels []string
	for i, c := range cells {
		switch {
		case (cols[i] == "Unit" || cols[i] == "Entity") && c == "All":
		case cols[i] == "Unit" && slices.Contains(o.values("unit"), c):
			if p.Unit != "" && p.Unit != c {
				return p, nil, false
			}
			p = p.with("unit", c)
		case (cols[i] == "Series" || cols[i] == "Cohort") && slices.Contains(o.values("cohort"), c):
			if p.Cohort != "" && p.Cohort != c {
				return p, nil, false
			}
			p = p.with("cohort", c)
		default:
			labels = append(labels, c)
		}
	}
	return p, labels, true
}

// csvTable reads one table exported as CSV (RFC 4180).
func csvTable(widget string, b []byte) (table, error) {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) == 0 {
		return table{}, fmt.Errorf("%s csv: %v", widget, err)
	}
	return table{widget: widget, cols: rows[0], rows: rows[1:]}, nil
}

// xlsxTables reads every table sheet of a page's workbook (the raw cell
// values, not their display format); the last sheet is the information
// sheet. Sheets are named after titles, so the widget is the sheet's name.
func xlsxTables(b []byte) ([]table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	var out []table
	for i, s := range sheets {
		if i == len(sheets)-1 {
			break
		}
		rows, err := f.GetRows(s, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("xlsx sheet %q: %w", s, err)
		}
		if len(rows) == 0 {
			continue
		}
		t := table{widget: s, cols: rows[0]}
		for _, r := range rows[1:] {
			for len(r) < len(t.cols) {
				r = append(r, "")
			}
			t.rows = append(t.rows, r)
		}
		out = append(out, t)
	}
	return out, nil
}

// pdfText is the text of every page of a PDF, row by row.
func pdfText(b []byte) (string, error) {
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", fmt.Errorf("pdf: %w", err)
	}
	var sb strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		rows, err := r.Page(i).GetTextByRow()
		if err != nil {
			return "", fmt.Errorf("pdf page %d: %w", i, err)
		}
		for _, row := range rows {
			// Glyphs come one by one with their place: a gap wider than
			// a third of the font size separates two words (table cells).
			for j, w := range row.Content {
				if j > 0 {
					prev := row.Content[j-1]
					if w.X-(prev.X+prev.W) > w.FontSize/3 || w.X < prev.X {
						sb.WriteString(" ")
					}
				}
				sb.WriteString(w.S)
			}
			sb.WriteString("\n")
		}
	}
	return sb.String(), nil
}

// noteRE finds a chart's note on the page.
var noteRE = regexp.MustCompile(`<p class="note">([^<]*)</p>`)

// decimalRE finds numbers with a decimal part as a page writes them in
// Italian (4,67; 67,4%; 1.234,56) or English (4.67).
var decimalRE = regexp.MustCompile(`[-−]?(\d[\d.]*,\d+|\d+\.\d+)`)

// decimals lists the numbers with a decimal part in s (a page's text),
// each with how many decimals it shows.
func decimals(s string, italian bool) []shown {
	var out []shown
	for _, ix := range decimalRE.FindAllStringIndex(s, -1) {
		m := s[ix[0]:ix[1]]
		if before := strings.TrimRight(s[:ix[0]], " "); strings.HasSuffix(before, "<") {
			continue // a bound ("p < 0,001"), not a value
		}
		t := strings.Replace(m, "−", "-", 1)
		if italian {
			if !strings.Contains(t, ",") {
				continue // a thousands dot or a date, not a decimal
			}
			t = strings.ReplaceAll(t, ".", "")
			t = strings.Replace(t, ",", ".", 1)
		} else if strings.Count(t, ".") > 1 {
			continue
		}
		v, err := strconv.ParseFloat(t, 64)
		if err != nil {
			continue
		}
		out = append(out, shown{text: m, value: v, places: len(t) - strings.IndexByte(t, '.') - 1})
	}
	return out
}

// shown is one decimal number a page or its PDF shows.
type shown struct {
	text   string
	value  float64
	places int
}

// finer finds the numbers of got that no published value gives: each
// must be a value of vals (as is, or in per cent) rounded to the decimals
// it shows. A number shown with more decimals than its value was released
// at (4,667 where data.json says 4.67) is a finer second release.
func finer(got []shown, vals []released) []shown {
	var out []shown
	for _, g := range got {
		ok := slices.ContainsFunc(vals, func(r released) bool {
			return near(r.value, g.value, g.places) || near(100*r.value, g.value, g.places)
		})
		if !ok {
			out = append(out, g)
		}
	}
	return out
}

// released is a value the data endpoint published.
type released struct{ value float64 }

func near(v, shownV float64, places int) bool {
	s := strconv.FormatFloat(v, 'f', places, 64)
	x, _ := strconv.ParseFloat(s, 64)
	d := x - shownV
	return d < 1e-9 && d > -1e-9
}

// exports reads the page (English) for the links to its tables, then each
// table as CSV and the page's workbook, all for r's population.
// For a unit only the workbook is read: it holds the same tables (the
// CSV of each, for the entity, each grade and each cohort, shows that
// the two formats carry the same figures), and it keeps the requests few.
func (f *fetcher) exports(ctx context.Context, r request) ([]obs, error) {
	v := r.pop.values(f.t.Tenant)
	v.Set("lang", "en")
	var ids []string
	if r.pop.Unit == "" {
		html, _, err := f.get(ctx, "/reports/"+r.page, v, false)
		if err != nil {
			return nil, err
		}
		ids = csvWidgets(html)
	}
	var out []obs
	for _, id := range ids {
		cv := maps.Clone(v)
		cv.Set("dialect", "rfc4180")
		b, _, err := f.get(ctx, "/reports/"+r.page+"/export/"+id+".csv", cv, false)
		if err != nil {
			return nil, err
		}
		t, err := csvTable(id, b)
		if err != nil {
			return nil, err
		}
		out = append(out, f.t.Org.observeTable(r.page, r.pop, t, "csv")...)
	}
	b, _, err := f.get(ctx, "/reports/"+r.page+"/export/page.xlsx", v, false)
	if err != nil {
		return nil, err
	}
	ts, err := xlsxTables(b)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		out = append(out, f.t.Org.observeTable(r.page, r.pop, t, "xlsx")...)
	}
	return out, nil
}

// pdf prints the page (Italian) and looks for any decimal number in its
// text that the data endpoint does not give at that precision. A server
// without Chromium (503) has no PDF to read.
func (f *fetcher) pdf(ctx context.Context, r request) error {
	v := r.pop.values(f.t.Tenant)
	// Printing waits for one of the server's two browsers: a longer
	// timeout than the other requests' minute.
	slow := *f.vw.Client
	slow.Timeout = 5 * time.Minute
	f.n++
	b, code, err := f.t.get(ctx, Viewer{Role: f.vw.Role, Client: &slow}, "/reports/"+r.page+"/export/page.pdf", v, false)
	if code == http.StatusServiceUnavailable {
		// No Chromium on the server, or the print did not finish in
		// time: nothing to read, said in the report.
		f.unread = append(f.unread, r.page+" "+r.pop.String()+" page.pdf: 503")
		return nil
	}
	if err != nil {
		return err
	}
	text, err := pdfText(b)
	if err != nil {
		return err
	}
	data, _, err := f.get(ctx, "/reports/"+r.page+"/data.json", v, false)
	if err != nil {
		return err
	}
	// The charts' notes are the page's fixed prose (colour bands in
	// points, say): their numbers are no figure.
	html, _, err := f.get(ctx, "/reports/"+r.page, v, false)
	if err != nil {
		return err
	}
	var fixed []string
	for _, m := range noteRE.FindAllSubmatch(html, -1) {
		for _, d := range decimals(string(m[1]), true) {
			fixed = append(fixed, d.text)
		}
	}
	found, _, err := precisionFindings(r.page, "pdf", r.pop, text, data, fixed...)
	f.found = append(f.found, found...)
	return err
}
