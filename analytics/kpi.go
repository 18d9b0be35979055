package analytics

import "time"

// Windows are the moments of a per-person figure in two windows of equal
// length: [0] the current window, ending with the last week, and [1] the
// one before it.
type Windows [2]Moments

// BehaviourKPIs computes the behavioural KPIs of two windows of weeks
// weeks each, the current one ending with the week of end: adoption, per
// person the share of their active intranet weeks with cloud-tool use, and
// wellbeing, per person the mean of the three diary ratings over their
// person-weeks. Rows outside the windows are left out.
func BehaviourKPIs(ip IntranetPanel, dp DiaryPanel, end time.Time, weeks int) (adoption, wellbeing Windows) {
	a, w := BehaviourBins(ip, dp, end, weeks, 2)
	return Windows(a), Windows(w)
}

// BehaviourBins computes the behavioural KPIs (as BehaviourKPIs) of bins
// consecutive windows of weeks weeks each: [0] ends with the week of end,
// [k] is the window before [k-1]. The windows are the ones WindowStarts
// and BinStart name; rows outside every window are left out.
func BehaviourBins(ip IntranetPanel, dp DiaryPanel, end time.Time, weeks, bins int) (adoption, wellbeing []Moments) {
	adoption, wellbeing = make([]Moments, bins), make([]Moments, bins)
	if bins <= 0 || weeks <= 0 {
		return adoption, wellbeing
	}
	first := BinStart(end, weeks, bins-1)
	window := func(w time.Time) int {
		if w.Before(first) || w.After(end) {
			return -1
		}
		// Whole weeks between w and end's week, then whole windows.
		return int(end.Sub(w).Hours()/24+0.5) / 7 / weeks
	}
	type pw struct {
		person uint64
		win    int
	}
	active, used := map[pw]int{}, map[pw]int{}
	for i := range ip.Rows {
		r := &ip.Rows[i]
		if w := window(r.Week.Time()); w >= 0 {
			active[pw{r.Person, w}]++
			if r.Cloud > 0 {
				used[pw{r.Person, w}]++
			}
		}
	}
	for k, n := range active {
		adoption[k.win].Add(float64(used[k]) / float64(n))
	}
	type acc struct{ s, n float64 }
	well := map[pw]*acc{}
	for i := range dp.Rows {
		r := &dp.Rows[i]
		if w := window(r.Week.Time()); w >= 0 {
			a := well[pw{r.Person, w}]
			if a == nil {
				a = &acc{}
				well[pw{r.Person, w}] = a
			}
			a.s += (r.Ratings[0] + r.Ratings[1] + r.Ratings[2]) / 3
			a.n++
		}
	}
	for k, a := range well {
		wellbeing[k.win].Add(a.s / a.n)
	}
	return adoption, wellbeing
}

// KPIWeeks is the length of the current and the previous window of the
// behavioural KPIs.
const KPIWeeks = 4

// KPITrendBins is how many windows of KPIWeeks weeks the trend of a
// behavioural KPI goes back at most (a year of 4-week bins).
const KPITrendBins = 13

// WindowStarts returns the first weeks of the current window of weeks
// weeks, ending with the week of end, and of the one before it.
func WindowStarts(end time.Time, weeks int) (current, previous time.Time) {
	return BinStart(end, weeks, 0), BinStart(end, weeks, 1)
}

// BinStart returns the first week of window k of weeks weeks counted
// back from the one ending with the week of end (k = 0).
func BinStart(end time.Time, weeks, k int) time.Time {
	return end.AddDate(0, 0, -7*(weeks*(k+1)-1))
}
