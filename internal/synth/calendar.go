package synth

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Rome must resolve on hosts without a zoneinfo database
)

// The observation window of the demo pilot.
const (
	PeriodStart = "2025-09-01" // a Monday
	PeriodEnd   = "2026-05-31"
)

// day is one calendar day of the observation window.
type day struct {
	idx      int    // days since PeriodStart
	date     string // YYYY-MM-DD
	weekday  time.Weekday
	week     int // weeks since PeriodStart (PeriodStart is a Monday)
	workday  bool
	holiday  bool    // a public holiday (not a weekend)
	festive  float64 // 0..1, how much of the office is on leave (Christmas)
	midnight int64   // Unix seconds of 00:00 Europe/Rome
	offset0  int64   // UTC offset in seconds at 00:00 local
	offset3  int64   // UTC offset in seconds at 03:00 local (after a DST switch)
}

// unix returns the Unix time of secs seconds after local midnight.
func (d *day) unix(secs int) int64 {
	if secs >= 3*3600 {
		return d.midnight + d.offset0 - d.offset3 + int64(secs)
	}
	return d.midnight + int64(secs)
}

// Italian national public holidays falling in the window (Easter 2026 is
// 5 April).
var holidays = map[string]bool{
	"2025-11-01": true, "2025-12-08": true, "2025-12-25": true, "2025-12-26": true,
	"2026-01-01": true, "2026-01-06": true, "2026-04-05": true, "2026-04-06": true,
	"2026-04-25": true, "2026-05-01": true,
}

var rome = mustRome()

func mustRome() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(fmt.Sprintf("synth: load Europe/Rome: %v", err))
	}
	return loc
}

// calendar returns every day from PeriodStart to PeriodEnd inclusive.
func calendar() []day {
	start, _ := time.ParseInLocation(time.DateOnly, PeriodStart, rome)
	end, _ := time.ParseInLocation(time.DateOnly, PeriodEnd, rome)
	var days []day
	for t, i := start, 0; !t.After(end); t, i = t.AddDate(0, 0, 1), i+1 {
		y, m, dd := t.Date()
		t3 := time.Date(y, m, dd, 3, 0, 0, 0, rome)
		_, off0 := t.Zone()
		_, off3 := t3.Zone()
		d := day{
			idx: i, date: t.Format(time.DateOnly), weekday: t.Weekday(), week: i / 7,
			midnight: t.Unix(), offset0: int64(off0), offset3: int64(off3),
		}
		d.holiday = holidays[d.date]
		d.workday = d.weekday != time.Saturday && d.weekday != time.Sunday && !d.holiday
		if (m == time.December && dd >= 22) || (m == time.January && dd <= 6) {
			d.festive = 0.45
		}
		days = append(days, d)
	}
	return days
}

// dayIndex returns the index of date (YYYY-MM-DD) in the window.
func dayIndex(date string) (int, error) {
	start, _ := time.Parse(time.DateOnly, PeriodStart)
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0, fmt.Errorf("parse date %q: %w", date, err)
	}
	return int(t.Sub(start).Hours() / 24), nil
}

// appendTS appends the Unix time u as an RFC 3339 UTC timestamp,
// e.g. 2025-11-03T07:12:45Z, without going through fmt or time.Format.
func appendTS(b []byte, u int64) []byte {
	t := time.Unix(u, 0).UTC()
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append2(b, int(m))
	b = append(b, '-')
	b = append2(b, d)
	b = append(b, 'T')
	b = append2(b, hh)
	b = append(b, ':')
	b = append2(b, mm)
	b = append(b, ':')
	b = append2(b, ss)
	return append(b, 'Z')
}

func append2(b []byte, x int) []byte { return append(b, byte('0'+x/10), byte('0'+x%10)) }
