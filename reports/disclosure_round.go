package reports

import "github.com/bussola-pa/bussola/privacy"

// Every figure leaves the server at the precision a page shows it
// (privacy's Precision): the page, its data.json, its CSV, XLSX and PDF
// and the API carry the same digits, so none is a finer second release.

func roundCell(p privacy.Precision, c *Cell) {
	if c.Suppressed {
		return
	}
	c.Value = p.Round(c.Value)
	if c.HasCI() {
		c.Lo, c.Hi = p.Round(c.Lo), p.Round(c.Hi)
	}
}

func roundAll(p privacy.Precision, cs ...*Cell) {
	for _, c := range cs {
		roundCell(p, c)
	}
}

func roundReadiness(d *ReadinessData) {
	for i := range d.Heatmap {
		roundCell(privacy.Mean, &d.Heatmap[i].Cell)
	}
	for i := range d.DimensionTotals {
		roundCell(privacy.Mean, &d.DimensionTotals[i].Cell)
	}
	for i := range d.Training {
		roundCell(privacy.Share, &d.Training[i].Cell)
	}
	for i := range d.Distribution {
		roundCell(privacy.Count, &d.Distribution[i].Cell)
	}
	roundAll(privacy.Count, categoryCells(d.Segments)...)
	roundAll(privacy.Count, categoryCells(d.Stages)...)
	for i := range d.Waves {
		w := &d.Waves[i]
		roundAll(privacy.Mean, &w.Before, &w.After, &w.Change)
	}
}

// estimatePrecision: effect estimates (event study, DiD) are shown with 3
// decimals, on a scale of days a week.
var estimatePrecision = privacy.Precision{Decimals: 3}

func roundImpact(d *ImpactData) {
	for i := range d.EventStudy {
		roundCell(estimatePrecision, &d.EventStudy[i].Cell)
	}
	for i := range d.DiD {
		roundCell(estimatePrecision, &d.DiD[i].Estimate)
		d.DiD[i].PValue = privacy.Share.Round(d.DiD[i].PValue)
	}
	for i := range d.Diary {
		roundCell(privacy.Mean, &d.Diary[i].Cell)
	}
	for i := range d.Adoption {
		roundCell(privacy.Share, &d.Adoption[i].Cell)
	}
	roundAll(privacy.Share, categoryCells(d.Participation)...)
	for i := range d.Terms {
		roundCell(privacy.Count, &d.Terms[i].Cell)
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
	}
	for i := range d.Benchmark {
		roundCell(kpiPrecision(unit[d.Benchmark[i].KPI]), &d.Benchmark[i].Cell)
	}
}

func roundCommunication(d *CommunicationData) {
	roundAll(privacy.Mean, categoryCells(d.Ratings)...)
	roundAll(privacy.Count, categoryCells(d.Reasons)...)
	for i := range d.Publishing {
		roundCell(privacy.Count, &d.Publishing[i].Cell)
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
