package reports

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// workbookXLSX writes one sheet per widget table and a last sheet
// "Informazioni" (page, filters, extraction time in Rome, the privacy
// rule and how many cells it withheld). Numbers are stored as numbers
// with the format the page shows them in (decimals, per cent), days as
// dates; each data sheet has its header row frozen, an autofilter and
// columns as wide as their text.
func workbookXLSX(ws []Widget, info exportInfo) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	titles := make([]string, len(ws))
	for i, w := range ws {
		titles[i] = w.Title
	}
	infoName := info.T.T("x.info")
	names := sheetNames(titles, infoName)
	st := &xlsxStyles{f: f, lang: info.T.lang, ids: map[string]int{}}
	for i, w := range ws {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), names[0]); err != nil {
				return nil, fmt.Errorf("xlsx sheet %q: %w", names[0], err)
			}
		} else if _, err := f.NewSheet(names[i]); err != nil {
			return nil, fmt.Errorf("xlsx sheet %q: %w", names[i], err)
		}
		if err := writeSheet(f, st, names[i], withKeys(w.Table)); err != nil {
			return nil, fmt.Errorf("xlsx sheet %q: %w", names[i], err)
		}
	}
	if len(ws) == 0 {
		if err := f.SetSheetName(f.GetSheetName(0), infoName); err != nil {
			return nil, fmt.Errorf("xlsx sheet %q: %w", infoName, err)
		}
	} else if _, err := f.NewSheet(infoName); err != nil {
		return nil, fmt.Errorf("xlsx sheet %q: %w", infoName, err)
	}
	if err := writeInfo(f, st, infoName, ws, names, info); err != nil {
		return nil, fmt.Errorf("xlsx sheet %q: %w", infoName, err)
	}
	if st.err != nil {
		return nil, fmt.Errorf("xlsx styles: %w", st.err)
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: info.T.T("page." + string(info.Page)), Creator: info.T.T("app"), Subject: info.Query.Tenant,
		Created: info.At.UTC().Format(time.RFC3339), Language: info.T.lang,
	}); err != nil {
		return nil, fmt.Errorf("xlsx properties: %w", err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

func writeSheet(f *excelize.File, st *xlsxStyles, sheet string, t Table) error {
	widths := make([]int, len(t.Columns))
	for i, h := range t.Columns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return err
		}
		widths[i] = utf8.RuneCountInString(h)
	}
	if len(t.Columns) > 0 {
		last, _ := excelize.CoordinatesToCellName(len(t.Columns), 1)
		if err := f.SetCellStyle(sheet, "A1", last, st.id("header")); err != nil {
			return err
		}
	}
	for r, row := range t.Rows {
		for i, c := range row {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			text, err := writeCell(f, st, sheet, cell, c)
			if err != nil {
				return err
			}
			if i < len(widths) {
				widths[i] = max(widths[i], utf8.RuneCountInString(text))
			}
		}
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, float64(min(max(w, 6), 60))+2); err != nil {
			return err
		}
	}
	if len(t.Columns) == 0 {
		return nil
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(t.Columns), len(t.Rows)+1)
	return f.AutoFilter(sheet, "A1:"+last, nil)
}

// writeCell stores c and returns the text it shows (for the width).
func writeCell(f *excelize.File, st *xlsxStyles, sheet, ref string, c TCell) (string, error) {
	switch {
	case c.Hidden:
		s := c.Text + " (" + c.Why + ")"
		if err := f.SetCellStr(sheet, ref, s); err != nil {
			return "", err
		}
		return s, f.SetCellStyle(sheet, ref, ref, st.id("hidden"))
	case c.IsNum:
		if err := f.SetCellFloat(sheet, ref, c.Num, -1, 64); err != nil {
			return "", err
		}
		return c.Text, f.SetCellStyle(sheet, ref, ref, st.number(c))
	}
	if at, kind := cellTime(c); kind != notTime {
		style := "day"
		if kind == stampTime {
			// Excel has no zones: store Rome's wall clock.
			r := at.In(rome)
			at, style = time.Date(r.Year(), r.Month(), r.Day(), r.Hour(), r.Minute(), r.Second(), 0, time.UTC), "stamp"
		}
		if err := f.SetCellValue(sheet, ref, at); err != nil {
			return "", err
		}
		return c.Text, f.SetCellStyle(sheet, ref, ref, st.id(style))
	}
	return c.Text, f.SetCellStr(sheet, ref, c.Text)
}

func writeInfo(f *excelize.File, st *xlsxStyles, sheet string, ws []Widget, names []string, info exportInfo) error {
	t := info.T
	total := 0
	for _, w := range ws {
		total += withheld(w.Table)
	}
	rows := [][]any{
		{t.T("x.page"), t.T("page." + string(info.Page))},
		{t.T("f.tenant"), info.Query.Tenant},
		{t.T("x.filters"), info.filters()},
		{t.T("x.extracted"), info.extracted()},
		{t.T("x.mingroup"), info.Privacy.MinGroup},
		{t.T("x.mintext"), info.Privacy.MinText},
		{t.T("x.withheld"), total},
		{t.T("x.privacy"), t.F("privacy.note", info.Privacy.MinGroup, info.Privacy.MinText)},
		{t.T("x.source"), t.T("app")},
		{},
		{t.T("x.sheet"), t.T("x.table"), t.T("x.withheld")},
	}
	heads := []int{len(rows)}
	for i, w := range ws {
		rows = append(rows, []any{names[i], w.Title, withheld(w.Table)})
	}
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
		if len(row) > 0 {
			if err := f.SetCellStyle(sheet, cell, cell, st.id("label")); err != nil {
				return err
			}
		}
	}
	for _, h := range heads {
		first, _ := excelize.CoordinatesToCellName(1, h)
		last, _ := excelize.CoordinatesToCellName(3, h)
		if err := f.SetCellStyle(sheet, first, last, st.id("header")); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "B1", "B9", st.id("wrap")); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "A", 34); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 90); err != nil {
		return err
	}
	return f.SetColWidth(sheet, "C", "C", 20)
}

// xlsxStyles creates each cell style once.
type xlsxStyles struct {
	f    *excelize.File
	lang string
	ids  map[string]int
	err  error
}

func (s *xlsxStyles) id(key string) int {
	if id, ok := s.ids[key]; ok {
		return id
	}
	var style excelize.Style
	day, stamp := "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
	if s.lang == "en" {
		day, stamp = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	}
	switch {
	case key == "header":
		style = excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE3EA"}},
			Border: []excelize.Border{{Type: "bottom", Color: "5B6B7B", Style: 1}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}
	case key == "label":
		style = excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}}
	case key == "wrap":
		style = excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top", Horizontal: "left"}}
	case key == "hidden":
		style = excelize.Style{Font: &excelize.Font{Italic: true, Color: "555555"}}
	case key == "day":
		style = excelize.Style{CustomNumFmt: &day}
	case key == "stamp":
		style = excelize.Style{CustomNumFmt: &stamp}
	case key == "general":
		style = excelize.Style{NumFmt: 0}
	default: // a number format
		f := key
		style = excelize.Style{CustomNumFmt: &f}
	}
	id, err := s.f.NewStyle(&style)
	if err != nil && s.err == nil {
		s.err = err
	}
	s.ids[key] = id
	return id
}

// number is the style of a number cell: "#,##0.00" for two decimals,
// "0.0%" for a share in per cent with one, General for a fraction whose
// decimals are not known.
func (s *xlsxStyles) number(c TCell) int {
	dec := ""
	if c.Decimals > 0 {
		dec = "." + strings.Repeat("0", c.Decimals)
	}
	switch {
	case c.Pct:
		return s.id("0" + dec + "%")
	case c.Decimals == 0 && c.Num != float64(int64(c.Num)):
		return s.id("general")
	}
	return s.id("#,##0" + dec)
}

// sheetNames makes Excel sheet names from titles: the characters Excel
// refuses replaced, a title longer than 31 characters shortened at a word
// (its parenthesis dropped first), each name unique (case-insensitively,
// as Excel compares) and none equal to reserved.
func sheetNames(titles []string, reserved string) []string {
	used := map[string]bool{strings.ToLower(reserved): true, "history": true}
	out := make([]string, len(titles))
	for i, t := range titles {
		base := shortName(t, 31)
		name := base
		for n := 2; used[strings.ToLower(name)]; n++ {
			suffix := fmt.Sprintf(" (%d)", n)
			name = shortName(base, 31-len(suffix)) + suffix
		}
		used[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
}

// sheetChars replaces what Excel refuses in a sheet name.
var sheetChars = strings.NewReplacer(": ", " - ", ":", "-", "/", "-", `\`, "-", "?", "", "*", "", "[", "(", "]", ")")

// parenthesis matches a parenthetical remark, dropped from a long title.
var parenthesis = regexp.MustCompile(`\s*\([^)]*\)`)

// danglingWords may not end a shortened name ("Punteggio medio per unità
// e" reads as cut).
var danglingWords = map[string]bool{
	"e": true, "ed": true, "o": true, "di": true, "del": true, "della": true, "dei": true, "degli": true, "delle": true,
	"per": true, "a": true, "al": true, "alla": true, "tra": true, "fra": true, "nel": true, "nella": true, "nei": true,
	"con": true, "da": true, "dal": true, "dalla": true, "in": true, "su": true, "il": true, "la": true, "le": true, "i": true,
	"and": true, "or": true, "of": true, "by": true, "the": true, "for": true, "to": true, "from": true, "vs": true, "-": true,
}

func shortName(s string, limit int) string {
	s = sheetChars.Replace(s)
	s = strings.Trim(strings.Join(strings.Fields(s), " "), "' ")
	if utf8.RuneCountInString(s) > limit {
		s = parenthesis.ReplaceAllString(s, "")
	}
	cut := false
	for utf8.RuneCountInString(s) > limit {
		words := strings.Fields(s)
		if len(words) < 2 {
			s = string([]rune(s)[:limit])
			break
		}
		s, cut = strings.Join(words[:len(words)-1], " "), true
	}
	for cut {
		s = strings.TrimRight(s, " ,;.-")
		words := strings.Fields(s)
		if len(words) < 2 || !danglingWords[strings.ToLower(words[len(words)-1])] {
			break
		}
		s = strings.Join(words[:len(words)-1], " ")
	}
	s = strings.Trim(s, "' ")
	if s == "" {
		s = "Dati"
	}
	return s
}
