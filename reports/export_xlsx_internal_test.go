package reports

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestSheetNames(t *testing.T) {
	for _, tc := range []struct {
		name   string
		titles []string
		want   []string
	}{
		{"OK a long title is cut at a word, not after a conjunction", []string{"Punteggio medio per unità e dimensione"}, []string{"Punteggio medio per unità"}},
		{"OK a parenthesis goes first", []string{"Messaggi scartati (dead letter) per motivo"}, []string{"Messaggi scartati per motivo"}},
		{"OK characters Excel refuses are replaced, then the parenthesis goes", []string{"Diario: valutazioni / medie [1-5]?"}, []string{"Diario - valutazioni - medie"}},
		{"OK equal titles get numbered names within 31 characters", []string{"Fabbisogni formativi per area del Syllabus", "Fabbisogni formativi per area del Syllabus"},
			[]string{"Fabbisogni formativi per area", "Fabbisogni formativi (2)"}},
		{"OK a title equal to the information sheet is renamed", []string{"informazioni"}, []string{"informazioni (2)"}},
		{"OK an empty title still names a sheet", []string{" ' "}, []string{"Dati"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := sheetNames(tc.titles, "Informazioni")
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("%q, want %q", got, tc.want)
				}
			}
		})
	}
}

// TestNumberFormats builds a workbook from a table with every kind of
// cell and reads each cell's stored type and format back.
func TestNumberFormats(t *testing.T) {
	w := Widget{ID: "x", Title: "Formati", Table: Table{
		Columns: []string{"Quota", "Media", "Persone", "p", "Nascosta", "Settimana", "Testo"},
		Rows: [][]TCell{{
			pctCell(0.6743, 1, "it"),
			{Text: "3,46", Num: 3.46, IsNum: true, Decimals: 2},
			intCell(1200),
			{Text: "0,012", Num: 0.0123, IsNum: true},
			{Text: "non mostrato", Hidden: true, Why: "meno di 5 persone"},
			txt("2026-01-05"),
			txt("=SUM(A1)"),
		}},
	}}
	at := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	b, err := workbookXLSX([]Widget{w}, exportInfo{T: tr{"it"}, Page: PageReadiness, Query: Query{Tenant: "t"}, Privacy: Privacy{MinGroup: 5, MinText: 10}, At: at})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tc := range []struct {
		cell, raw, format string
		builtin           int
		typ               excelize.CellType
	}{
		{"A2", "0.674", "0.0%", 0, excelize.CellTypeUnset},
		{"B2", "3.46", "#,##0.00", 0, excelize.CellTypeUnset},
		{"C2", "1200", "#,##0", 0, excelize.CellTypeUnset},
		{"D2", "0.0123", "", 0, excelize.CellTypeUnset},
		{"E2", "non mostrato (meno di 5 persone)", "", 0, excelize.CellTypeSharedString},
		{"F2", "46027", "dd/mm/yyyy", 0, excelize.CellTypeUnset},
		{"G2", "=SUM(A1)", "", 0, excelize.CellTypeSharedString},
	} {
		t.Run("OK cell "+tc.cell+" is stored as "+tc.raw, func(t *testing.T) {
			raw, err := f.GetCellValue("Formati", tc.cell, excelize.Options{RawCellValue: true})
			if err != nil || raw != tc.raw {
				t.Fatalf("%q %v, want %q", raw, err, tc.raw)
			}
			typ, _ := f.GetCellType("Formati", tc.cell)
			if typ != tc.typ {
				t.Fatalf("type %v, want %v", typ, tc.typ)
			}
			id, _ := f.GetCellStyle("Formati", tc.cell)
			st, _ := f.GetStyle(id)
			got := ""
			if st.CustomNumFmt != nil {
				got = *st.CustomNumFmt
			}
			if got != tc.format || st.NumFmt != tc.builtin {
				t.Fatalf("format %q/%d, want %q/%d", got, st.NumFmt, tc.format, tc.builtin)
			}
			if formula, _ := f.GetCellFormula("Formati", tc.cell); formula != "" {
				t.Fatalf("a formula %q", formula)
			}
		})
	}
}
