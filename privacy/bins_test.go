package privacy

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Rome without the system's zone files
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSnap(t *testing.T) {
	tests := []struct {
		name     string
		b        Binning
		from, to string
		want     []string
		start    string
		end      string // exclusive
	}{
		{"One day gets its whole ISO week.", ISOWeek, "2026-12-02", "2026-12-02", []string{"2026-W49"}, "2026-11-30", "2026-12-07"},
		{"A Sunday to the next Monday spans two weeks.", ISOWeek, "2026-12-06", "2026-12-07", []string{"2026-W49", "2026-W50"}, "2026-11-30", "2026-12-14"},
		{"Weeks across a new year take their ISO year.", ISOWeek, "2026-12-29", "2027-01-05", []string{"2026-W53", "2027-W01"}, "2026-12-28", "2027-01-11"},
		{"A period shifted by one day inside the same weeks gives the same bins.", ISOWeek, "2026-12-01", "2026-12-08", []string{"2026-W49", "2026-W50"}, "2026-11-30", "2026-12-14"},
		{"Part of a month gets the whole month.", Month, "2026-02-10", "2026-03-01", []string{"2026-02", "2026-03"}, "2026-02-01", "2026-04-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bins, err := tt.b.Snap(day(tt.from), day(tt.to))
			if err != nil {
				t.Fatal(err)
			}
			if got := Labels(bins); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("bins %q, want %q", got, tt.want)
			}
			if s, e := bins[0].Start, bins[len(bins)-1].End; !s.Equal(day(tt.start)) || !e.Equal(day(tt.end)) {
				t.Errorf("covers %s..%s, want %s..%s", s.Format(time.DateOnly), e.Format(time.DateOnly), tt.start, tt.end)
			}
		})
	}
}

func TestSnapKeepsTheRequestLocation(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 on Sunday in Rome is Sunday, not the Monday of UTC+0 later.
	from := time.Date(2026, 12, 6, 23, 30, 0, 0, rome)
	bins, err := ISOWeek.Snap(from, from)
	if err != nil {
		t.Fatal(err)
	}
	if bins[0].Label != "2026-W49" || !bins[0].Start.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, rome)) {
		t.Errorf("bin %s from %v, want 2026-W49 from Monday 30 November in Rome", bins[0].Label, bins[0].Start)
	}
}

func TestSnapErrors(t *testing.T) {
	tests := []struct {
		name     string
		b        Binning
		from, to string
		field    string
	}{
		{"ErrOrder: to before from.", ISOWeek, "2026-12-10", "2026-12-01", "to"},
		{"ErrTooLong: more than MaxBins weeks.", ISOWeek, "2020-01-01", "2026-01-01", "to"},
		{"ErrBinning: an unknown binning.", Binning(9), "2026-01-01", "2026-01-02", "period"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.b.Snap(day(tt.from), day(tt.to))
			var ie *InputError
			if !errors.As(err, &ie) || ie.Field != tt.field || ie.It == "" || ie.En == "" {
				t.Errorf("error %v, want an InputError on %q in both languages", err, tt.field)
			}
		})
	}
}

func TestLatticeCell(t *testing.T) {
	l := mustLattice(t, Dimension{Name: "unit", Categories: []string{"Mobilità", "Tributi"}}, Dimension{Name: "grade", Categories: []string{"B", "C", "D"}})
	for _, tt := range []struct {
		name   string
		filter map[string]string
		want   int
	}{
		{"No filter is the entity total.", nil, l.Index(Total, Total)},
		{"A unit alone is the unit's margin.", map[string]string{"unit": "Tributi"}, l.Index(1, Total)},
		{"An empty value is Total.", map[string]string{"unit": "Mobilità", "grade": ""}, l.Index(0, Total)},
		{"Unit and grade are an interior cell.", map[string]string{"unit": "Mobilità", "grade": "D"}, l.Index(0, 2)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := l.Cell(tt.filter)
			if err != nil || got != tt.want {
				t.Errorf("cell %d (%v), want %d", got, err, tt.want)
			}
		})
	}
	for _, tt := range []struct {
		name   string
		filter map[string]string
		field  string
	}{
		{"ErrCategory: an unknown unit.", map[string]string{"unit": "Anagrafe"}, "unit"},
		{"ErrDimension: an unknown dimension.", map[string]string{"unit": "Tributi", "language": "it"}, "language"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Cell(tt.filter)
			var ie *InputError
			if !errors.As(err, &ie) || ie.Field != tt.field {
				t.Errorf("error %v, want an InputError on %q", err, tt.field)
			}
		})
	}
}

func TestPrecisionRound(t *testing.T) {
	tests := []struct {
		name string
		p    Precision
		x    float64
		want float64
	}{
		{"A mean keeps two decimals.", Mean, 3.14159, 3.14},
		{"A mean rounds half away from zero.", Mean, -2.125, -2.13},
		{"A share keeps three decimals.", Share, 0.66666, 0.667},
		{"A count is whole.", Count, 41.5, 42},
		{"A base rounds to its multiples.", Precision{Base: 5}, 12.4, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Round(tt.x); got != tt.want {
				t.Errorf("Round(%v) = %v, want %v", tt.x, got, tt.want)
			}
		})
	}
	if !math.IsNaN(Mean.Round(math.NaN())) {
		t.Error("NaN did not pass through")
	}
	// The same figure summed in another order (ClickHouse's GROUP BY and
	// Go's maps give rows in no fixed order) differs in its last bits; a
	// half lying between those bits must round one way, or two builds of
	// one data version publish -0.02 and -0.03 for the same change.
	t.Run("A half carrying summation noise rounds one way.", func(t *testing.T) {
		for _, tt := range []struct {
			p    Precision
			half float64
		}{{Mean, -0.025}, {Mean, 3.455}, {Share, 0.6665}, {Count, 41.5}, {Precision{Base: 5}, 12.5}} {
			want := tt.p.Round(tt.half)
			for _, x := range []float64{math.Nextafter(tt.half, -10), math.Nextafter(math.Nextafter(tt.half, -10), -10), math.Nextafter(tt.half, 100), math.Nextafter(math.Nextafter(tt.half, 100), 100)} {
				if got := tt.p.Round(x); got != want {
					t.Errorf("%+v: Round(%v) = %v but Round(%v) = %v", tt.p, x, got, tt.half, want)
				}
			}
		}
	})
}
