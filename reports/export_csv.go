package reports

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"time"
)

// csvDialect is a CSV flavour: the field separator, the decimal mark,
// whether a UTF-8 byte order mark opens the file and how dates read.
type csvDialect struct {
	Name    string
	Comma   rune
	Decimal string
	BOM     bool
	// Day and Stamp lay out dates and times ("" keeps ISO 8601 as is).
	Day, Stamp string
}

var (
	// dialectExcelIT is what Excel with Italian settings opens in columns
	// with a double click: semicolons, decimal comma, BOM (so it reads
	// UTF-8), dates dd/mm/yyyy and times in Rome.
	dialectExcelIT = csvDialect{Name: "excel-it", Comma: ';', Decimal: ",", BOM: true, Day: "02/01/2006", Stamp: "02/01/2006 15:04"}
	// dialectRFC4180 is plain RFC 4180 for programs: commas, dot decimals,
	// no BOM, ISO 8601 dates.
	dialectRFC4180 = csvDialect{Name: "rfc4180", Comma: ',', Decimal: "."}
	csvDialects    = map[string]csvDialect{dialectExcelIT.Name: dialectExcelIT, dialectRFC4180.Name: dialectRFC4180}
)

// ContentType names the charset and, for RFC 4180, that a header row
// comes first.
func (d csvDialect) ContentType() string {
	if d.Name == dialectRFC4180.Name {
		return "text/csv; charset=utf-8; header=present"
	}
	return "text/csv; charset=utf-8"
}

// tableCSV writes t with a header row in dialect d (records end in CRLF,
// as RFC 4180 and Excel expect). A number is written with all its digits
// (a share as its fraction: 0,674), a suppressed cell reads "<not shown>
// (<reason>)", and a text cell that would start a spreadsheet formula is
// prefixed with a quote.
func tableCSV(t Table, d csvDialect) []byte {
	var buf bytes.Buffer
	if d.BOM {
		buf.WriteString("\uFEFF")
	}
	w := csv.NewWriter(&buf)
	w.Comma, w.UseCRLF = d.Comma, true
	_ = w.Write(t.Columns)
	for _, r := range t.Rows {
		rec := make([]string, len(r))
		for i, c := range r {
			rec[i] = d.cell(c)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return buf.Bytes()
}

func (d csvDialect) cell(c TCell) string {
	switch {
	case c.Hidden:
		return c.Text + " (" + c.Why + ")"
	case c.IsNum:
		return strings.Replace(strconv.FormatFloat(c.Num, 'f', -1, 64), ".", d.Decimal, 1)
	}
	if at, kind := cellTime(c); kind != notTime {
		switch {
		case kind == dayTime && d.Day != "":
			return at.Format(d.Day)
		case kind == stampTime && d.Stamp != "":
			return at.In(rome).Format(d.Stamp)
		case kind == stampTime: // ISO 8601, whatever the page shows
			return at.UTC().Format(time.RFC3339)
		}
		return c.Text
	}
	if c.Text != "" && strings.ContainsRune("=+-@\t\r", rune(c.Text[0])) {
		return "'" + c.Text
	}
	return c.Text
}

type timeKind int

const (
	notTime timeKind = iota
	dayTime
	stampTime
)

// cellTime reads a text cell holding an ISO 8601 day (a week's first day)
// or an RFC 3339 time, the forms the widgets put dates in, or a time
// cell's Stamp.
func cellTime(c TCell) (time.Time, timeKind) {
	if !c.Stamp.IsZero() {
		return c.Stamp, stampTime
	}
	if c.IsNum || c.Hidden || len(c.Text) < len(time.DateOnly) || c.Text[0] < '0' || c.Text[0] > '9' {
		return time.Time{}, notTime
	}
	if t, err := time.Parse(time.DateOnly, c.Text); err == nil {
		return t, dayTime
	}
	if t, err := time.Parse(time.RFC3339, c.Text); err == nil {
		return t, stampTime
	}
	return time.Time{}, notTime
}
