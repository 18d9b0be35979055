package analytics

import (
	"fmt"
	"math"
	"sort"
)

// Rating is one diary rating (productivity, work-life balance, connection,
// tech problems, ...) by a pseudonymous person in a group and ISO week.
type Rating struct {
	Person string
	Group  string
	Week   int
	Value  float64
}

// TrendOptions tunes WeeklyTrends.
type TrendOptions struct {
	// MinPeople is the least number of distinct people behind a reported
	// point; 0 means 10. Smaller cells are withheld, not merged.
	MinPeople int
	// Window is the span in weeks of the centred moving average (odd; 0
	// means 3; 1 disables smoothing).
	Window int
	// Level is the confidence level; 0 means 0.95.
	Level float64
}

// TrendPoint is a group's mean rating in one week.
type TrendPoint struct {
	Group  string  `json:"group"`
	Week   int     `json:"week"`
	People int     `json:"people"`
	Mean   float64 `json:"mean"`
	SE     float64 `json:"se"`
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
	// Smoothed is the people-weighted centred moving average of Mean over
	// the reported weeks within Window.
	Smoothed float64 `json:"smoothed"`
}

// WeeklyTrends averages ratings per group and week with each person
// counted once (a person's ratings in a week are averaged first), with a t
// interval on people-1 degrees of freedom and a moving-average smooth. Cells
// with fewer than MinPeople people are withheld; their number is returned.
func WeeklyTrends(ratings []Rating, opt TrendOptions) (points []TrendPoint, withheld int, err error) {
	min := opt.MinPeople
	if min <= 0 {
		min = 10
	}
	win := opt.Window
	if win == 0 {
		win = 3
	}
	if win < 1 || win%2 == 0 {
		return nil, 0, fmt.Errorf("weekly trends: window %d must be a positive odd number of weeks", win)
	}
	type pk struct {
		group, person string
		week          int
	}
	type sum struct {
		s float64
		n int
	}
	perPerson := map[pk]*sum{}
	for i, r := range ratings {
		if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
			return nil, 0, fmt.Errorf("weekly trends: rating %d is %v; it must be a finite number", i+1, r.Value)
		}
		if r.Person == "" {
			return nil, 0, fmt.Errorf("weekly trends: rating %d has no person", i+1)
		}
		k := pk{r.Group, r.Person, r.Week}
		if perPerson[k] == nil {
			perPerson[k] = &sum{}
		}
		perPerson[k].s += r.Value
		perPerson[k].n++
	}
	type ck struct {
		group string
		week  int
	}
	cells := map[ck][]float64{}
	for k, s := range perPerson {
		c := ck{k.group, k.week}
		cells[c] = append(cells[c], s.s/float64(s.n))
	}
	for c, v := range cells {
		if len(v) < min {
			withheld++
			continue
		}
		m, variance := meanVar(v)
		se := math.Sqrt(variance / float64(len(v)))
		e := NewEstimate(m, se, float64(len(v)-1), opt.Level)
		points = append(points, TrendPoint{Group: c.group, Week: c.week, People: len(v), Mean: m, SE: se, CILow: e.CILow, CIHigh: e.CIHigh})
	}
	sort.Slice(points, func(i, j int) bool {
		if points[i].Group != points[j].Group {
			return points[i].Group < points[j].Group
		}
		return points[i].Week < points[j].Week
	})
	for i := range points {
		var s, w float64
		for j := range points {
			if points[j].Group == points[i].Group && abs(points[j].Week-points[i].Week) <= win/2 {
				s += float64(points[j].People) * points[j].Mean
				w += float64(points[j].People)
			}
		}
		points[i].Smoothed = s / w
	}
	return points, withheld, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
