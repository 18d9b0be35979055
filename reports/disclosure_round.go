package reports

import "github.com/bussola-pa/bussola/privacy"

// Every figure leaves the server at the precision a page shows it
// (privacy's Precision): the page, its data.json, its CSV, XLSX and PDF
// and the API carry the same digits, so none is a finer second release.

// roundAll rounds every cell (Cell.Round: a hidden cell has nothing to
// round).
func roundAll(p privacy.Precision, cs ...*Cell) {
	for _, c := range cs {
		c.Round(p)
	}
}

func roundReadiness(d *ReadinessData) {
	for i := range d.Heatmap {
		d.Heatmap[i].Cell.Round(privacy.Mean)
	}
	for i := range d.DimensionTotals {
		d.DimensionTotals[i].Cell.Round(privacy.Mean)
	}
	for i := range d.Training {
		d.Training[i].Cell.Round(privacy.Share)
	}
	for i := range d.Distribution {
		d.Distribution[i].Cell.Round(privacy.Count)
	}
	roundAll(privacy.Count, categoryCells(d.Segments)...)
	roundAll(privacy.Count, categoryCells(d.Stages)...)
	for i := range d.Waves {
		w := &d.Waves[i]
		roundAll(privacy.Mean, &w.Before, &w.After, &w.Change)
	}
	for i := range d.EntityTotals {
		d.EntityTotals[i].Cell.Round(privacy.Mean)
	}
	for i := range d.Trend {
		roundAll(privacy.Mean, trendCells(d.Trend[i].Points)...)
	}
}

// estimatePrecision: effect estimates (event study, DiD) are shown with 3
// decimals, on a scale of days a week.
var estimatePrecision = privacy.Precision{Decimals: 3}

func roundImpact(d *ImpactData) {
	for i := range d.EventStudy {
		d.EventStudy[i].Cell.Round(estimatePrecision)
	}
	for i := range d.DiD {
		d.DiD[i].Estimate.Round(estimatePrecision)
		d.DiD[i].PValue = privacy.Share.Round(d.DiD[i].PValue)
	}
	for i := range d.Diary {
		d.Diary[i].Cell.Round(privacy.Mean)
	}
	for i := range d.Adoption {
		d.Adoption[i].Cell.Round(privacy.Share)
	}
	roundAll(privacy.Share, categoryCells(d.Participation)...)
	for i := range d.Terms {
		d.Terms[i].Cell.Round(privacy.Count)
	}
	themeRates(d.Terms)
	for i := range d.Groups {
		d.Groups[i].Estimate.Round(estimatePrecision)
		d.Groups[i].PValue = privacy.Share.Round(d.Groups[i].PValue)
	}
}

func kpiPrecision(unit string) privacy.Precision {
	if unit == "share" {
		return privacy.Share
	}
	return privacy.Mean
}

func roundExecutive(d *ExecutiveData) {
	unit := map[string]string{}
	for i := range d.KPIs {
		x := &d.KPIs[i]
		unit[x.Key] = x.Unit
		roundAll(kpiPrecision(x.Unit), &x.Current, &x.Previous, &x.Change)
		roundAll(kpiPrecision(x.Unit), trendCells(x.Series)...)
	}
	for i := range d.Benchmark {
		d.Benchmark[i].Cell.Round(kpiPrecision(unit[d.Benchmark[i].KPI]))
	}
}

func roundCommunication(d *CommunicationData) {
	roundAll(privacy.Mean, categoryCells(d.Ratings)...)
	roundAll(privacy.Count, categoryCells(d.Reasons)...)
	for i := range d.Publishing {
		d.Publishing[i].Cell.Round(privacy.Count)
	}
}

// snapPeriod widens q's period to whole ISO weeks, the period bins of
// every page: a period of one day is its week, and two periods that differ
// by a day are the same bins, so there is nothing to subtract. An open end
// stays open. The page shows the snapped period.
func snapPeriod(q Query) (Query, error) {
	from, to := q.From, q.To
	if from.IsZero() && to.IsZero() {
		return q, nil
	}
	if from.IsZero() {
		from = to
	}
	if to.IsZero() {
		to = from
	}
	bins, err := privacy.ISOWeek.Snap(from, to)
	if err != nil {
		// Wider than MaxBins: snap each end on its own.
		first, last := privacy.ISOWeek.Of(from), privacy.ISOWeek.Of(to)
		bins = []privacy.Bin{first, last}
		if last.Start.Before(first.Start) {
			return q, err
		}
	}
	if !q.From.IsZero() {
		q.From = bins[0].Start
	}
	if !q.To.IsZero() {
		q.To = bins[len(bins)-1].End.AddDate(0, 0, -1)
	}
	return q, nil
}

// themeRates sets each published theme count's rate per 100 notes of its
// period and, on an "after" row whose theme has a published "before" row,
// the change, at one decimal (the themes table's).
func themeRates(ts []TermCount) {
	before := map[string]float64{}
	for i := range ts {
		t := &ts[i]
		t.Per100, t.Change = nil, nil
		if t.Notes <= 0 || t.Cell.Suppressed {
			continue
		}
		r := round(t.Cell.Value/float64(t.Notes)*100, 1)
		t.Per100 = &r
		if t.Period != "after" {
			before[t.themeKey()] = r
		}
	}
	for i := range ts {
		t := &ts[i]
		if b, ok := before[t.themeKey()]; ok && t.Period == "after" && t.Per100 != nil {
			c := round(*t.Per100-b, 1)
			t.Change = &c
		}
	}
}

// themeKey is the theme a term count belongs to (its stem or phrase; the
// term itself when it has none).
func (t TermCount) themeKey() string {
	if t.Theme != "" {
		return t.Theme
	}
	return t.Term
}
