package figures

import (
	"math"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/analytics"
)

func day(s string) analytics.Day {
	t, _ := time.Parse(time.DateOnly, s)
	return analytics.Day(t.Unix() / 86400)
}

func TestKPITrends(t *testing.T) {
	end, _ := time.Parse(time.DateOnly, "2025-12-29")
	// Person 1 uses the cloud every other week over 30 weeks; person 2
	// only in the last 10 weeks; both write a diary (rating = week mod 5 + 1).
	var p KPIPanels
	p.LastWeek, p.Known = end, 10
	for k := range 30 {
		w := day(end.AddDate(0, 0, -7*k).Format(time.DateOnly))
		p.Intranet.Rows = append(p.Intranet.Rows, analytics.IntranetWeek{Person: 1, Week: w, Cloud: uint64(k % 2)})
		r := float64(k%5 + 1)
		p.Diary.Rows = append(p.Diary.Rows, analytics.DiaryWeek{Person: 1, Week: w, Ratings: [3]float64{r, r, r}})
		if k < 10 {
			p.Intranet.Rows = append(p.Intranet.Rows, analytics.IntranetWeek{Person: 2, Week: w, Cloud: 1})
		}
	}
	p.Latest, p.Prev, p.Respondents = "w3", "w2", [2]int{12, 4}
	p.Waves, p.WaveRespondents = []string{"w1", "w2", "w3"}, []int{2, 4, 12}
	// The period starts in the middle of the sixth window back.
	from := analytics.BinStart(end, 4, 5).AddDate(0, 0, 7)
	ks := kpis(p)
	kpiTrends(ks, p, from)
	t.Run("OK only the five whole windows inside the period, oldest first, each its direct computation", func(t *testing.T) {
		a := ks[1].Series
		if len(a) != 5 {
			t.Fatalf("%d adoption points, want 5 whole windows: %+v", len(a), a)
		}
		for i, pt := range a {
			k := 4 - i // window k back from the last
			start := analytics.BinStart(end, 4, k)
			if !pt.Period.From.Equal(start) || !pt.Period.To.Equal(start.AddDate(0, 0, 27)) || pt.Period.Wave != "" {
				t.Errorf("point %d covers %v – %v, want the window from %v", i, pt.Period.From, pt.Period.To, start)
			}
			// Person 1: cloud in 2 of the 4 weeks; person 2 (last 10 weeks):
			// every week, in windows 0, 1 and half of 2.
			want, n := 0.5, 1
			if k <= 2 {
				want, n = (0.5+1)/2, 2
			}
			if pt.Cell.N != n || math.Abs(pt.Cell.Value-want) > 1e-12 {
				t.Errorf("window %d back: %+v, want %v of %d people", k, pt.Cell, want, n)
			}
		}
		if last := a[len(a)-1].Cell; last != ks[1].Current {
			t.Errorf("last window %+v is not the card's %+v", last, ks[1].Current)
		}
	})
	t.Run("OK wellbeing per window is the mean of the people's mean ratings", func(t *testing.T) {
		w := ks[2].Series
		if len(w) != 5 {
			t.Fatalf("%d wellbeing points", len(w))
		}
		for i, pt := range w {
			k := 4 - i
			s := 0.0
			for j := range 4 {
				s += float64((4*k+j)%5 + 1)
			}
			if pt.Cell.N != 1 || math.Abs(pt.Cell.Value-s/4) > 1e-12 {
				t.Errorf("window %d back: %+v, want %v", k, pt.Cell, s/4)
			}
		}
	})
	t.Run("OK response rate per wave, respondents over the people known, as the card", func(t *testing.T) {
		r := ks[3].Series
		if len(r) != 3 || r[0].Period.Wave != "w1" || r[2].Period.Wave != "w3" {
			t.Fatalf("response rate points %+v", r)
		}
		if r[0].Cell.Value != 0.2 || r[1].Cell.Value != 0.4 || r[2].Cell.Value != 1 || r[2].Cell.N != 10 {
			t.Errorf("rates %v %v %v (12 respondents of 10 known count as 10)", r[0].Cell, r[1].Cell, r[2].Cell)
		}
		if r[2].Cell != ks[3].Current || r[1].Cell != ks[3].Previous {
			t.Errorf("the last two waves %+v %+v are not the card's %+v %+v", r[2].Cell, r[1].Cell, ks[3].Current, ks[3].Previous)
		}
	})
	t.Run("OK no period start: at most KPITrendBins windows; leading empty windows left out", func(t *testing.T) {
		q := kpis(p)
		kpiTrends(q, p, time.Time{})
		if n := len(q[1].Series); n != (30+3)/4 {
			t.Errorf("%d points, want the %d windows with data (of %d)", n, (30+3)/4, analytics.KPITrendBins)
		}
		for _, pt := range q[1].Series {
			if pt.Cell.N == 0 {
				t.Errorf("an empty leading window: %+v", pt)
			}
		}
	})
	t.Run("OK panels of the cards' two windows only (a filtered selection) give those two points", func(t *testing.T) {
		two := p
		two.Bins = 2
		q := kpis(two)
		kpiTrends(q, two, time.Time{})
		if len(q[1].Series) != 2 || q[1].Series[1].Cell != q[1].Current || q[1].Series[0].Cell != q[1].Previous {
			t.Errorf("two windows: %+v, cards %+v %+v", q[1].Series, q[1].Current, q[1].Previous)
		}
	})
	t.Run("OK no survey: no response rate trend", func(t *testing.T) {
		q := kpis(KPIPanels{Known: 10})
		kpiTrends(q, KPIPanels{Known: 10}, from)
		for _, k := range q {
			if len(k.Series) != 0 {
				t.Errorf("%s has a trend without data: %+v", k.Key, k.Series)
			}
		}
	})
}
