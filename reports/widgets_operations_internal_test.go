package reports

import (
	"testing"
	"time"
)

// TestDeadLetterTimesAreItalian: the pipeline page shows a dead letter's
// last time in Rome as dd/mm/yyyy HH:MM (English: 2 Jan 2006 15:04), and
// the exports still write the instant (Excel-Italian in Rome, RFC 4180 as
// RFC 3339 UTC).
func TestDeadLetterTimesAreItalian(t *testing.T) {
	at := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC) // 01:30 in Rome, CET on the night of the change
	for _, c := range []struct{ lang, want string }{{"it", "29/03/2026 01:30"}, {"en", "29 Mar 2026 01:30"}} {
		b := &builder{t: tr{lang: c.lang}}
		if got := b.stampCell(at); got.Text != c.want || !got.Stamp.Equal(at) {
			t.Errorf("%s: %q, want %q", c.lang, got.Text, c.want)
		}
	}
	cell := (&builder{t: tr{lang: "it"}}).stampCell(at)
	if got := dialectExcelIT.cell(cell); got != "29/03/2026 01:30" {
		t.Errorf("excel-it CSV: %q", got)
	}
	if got := dialectRFC4180.cell(cell); got != "2026-03-29T00:30:00Z" {
		t.Errorf("rfc4180 CSV: %q", got)
	}
}
