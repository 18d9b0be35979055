package privacy

import (
	"fmt"
	"time"
)

// Binning is a fixed division of time into the period bins of a lattice.
// Pages offer periods as whole bins only: two periods that differ by a
// day would otherwise differ by one day's small group. Survey waves are
// bins too, but named ones: a wave dimension lists the waves as its
// categories and needs no snapping.
type Binning int

const (
	// ISOWeek bins run Monday to Sunday; labels "2026-W49".
	ISOWeek Binning = iota + 1
	// Month bins are calendar months; labels "2026-12".
	Month
)

// MaxBins bounds the bins one period may span, so a request cannot make
// the lattice arbitrarily large (five years of weeks).
const MaxBins = 261

// Bin is one period bin: the days from Start (midnight, inclusive) to End
// (midnight, exclusive), in the location of the request.
type Bin struct {
	Start, End time.Time
	Label      string
}

// Of returns the bin holding t, in t's location.
func (b Binning) Of(t time.Time) Bin {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	switch b {
	case ISOWeek:
		back := (int(day.Weekday()) + 6) % 7 // days since Monday
		start := day.AddDate(0, 0, -back)
		y, w := start.ISOWeek()
		return Bin{Start: start, End: start.AddDate(0, 0, 7), Label: fmt.Sprintf("%04d-W%02d", y, w)}
	case Month:
		start := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, day.Location())
		return Bin{Start: start, End: start.AddDate(0, 1, 0), Label: start.Format("2006-01")}
	}
	panic(fmt.Sprintf("privacy.Binning.Of: unknown binning %d", b))
}

// Snap returns the whole bins that cover the days from..to (both
// inclusive): the first bin holds from, the last holds to. A request for
// part of a bin gets the whole bin, never a shorter window. It rejects to
// before from and periods of more than MaxBins bins, naming the field.
func (b Binning) Snap(from, to time.Time) ([]Bin, error) {
	if b != ISOWeek && b != Month {
		return nil, &InputError{Field: "period", It: fmt.Sprintf("suddivisione %d sconosciuta", b), En: fmt.Sprintf("unknown binning %d", b)}
	}
	first, last := b.Of(from), b.Of(to.In(from.Location()))
	if last.Start.Before(first.Start) {
		t, f := to.Format(time.DateOnly), from.Format(time.DateOnly)
		return nil, &InputError{Field: "to", It: "non può precedere from (" + t + " < " + f + ")", En: "must not be before from (" + t + " < " + f + ")"}
	}
	var bins []Bin
	for bin := first; !bin.Start.After(last.Start); bin = b.Of(bin.End) {
		if len(bins) == MaxBins {
			return nil, &InputError{Field: "to", It: fmt.Sprintf("il periodo supera %d intervalli", MaxBins), En: fmt.Sprintf("the period spans more than %d bins", MaxBins)}
		}
		bins = append(bins, bin)
	}
	return bins, nil
}

// Labels returns the labels of bins, the categories of a period dimension.
func Labels(bins []Bin) []string {
	out := make([]string, len(bins))
	for i, b := range bins {
		out[i] = b.Label
	}
	return out
}
