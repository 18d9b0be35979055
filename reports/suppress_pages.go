package reports

import "slices"

// Each function below returns a suppressed deep copy: the store's slices
// are never modified. See suppress.go for the rules.

func suppressReadiness(d ReadinessData, q Query, p Privacy) ReadinessData {
	k := p.MinGroup
	d.Heatmap = slices.Clone(d.Heatmap)
	d.DimensionTotals = slices.Clone(d.DimensionTotals)
	d.Distribution = slices.Clone(d.Distribution)
	d.Segments = slices.Clone(d.Segments)
	d.Stages = slices.Clone(d.Stages)
	d.Training = slices.Clone(d.Training)
	d.Waves = slices.Clone(d.Waves)
	d.EntityTotals = slices.Clone(d.EntityTotals)
	blocked := populationBlocked(d.Population, q, k)
	d.Trend = slices.Clone(d.Trend)
	for i := range d.Trend {
		d.Trend[i].Points = suppressTrend(d.Trend[i].Points, k, blocked)
	}
	if blocked {
		hideAll(ReasonSmallPopulation, d.cells()...)
		return d
	}
	for i := range d.EntityTotals {
		hideSmall(k, &d.EntityTotals[i].Cell)
	}
	for i := range d.DimensionTotals {
		hideSmall(k, &d.DimensionTotals[i].Cell)
	}
	for _, g := range groupBy(d.Heatmap, func(u *UnitScore) string { return u.Dimension }, func(u *UnitScore) *Cell { return &u.Cell }) {
		hideMargin(k, g)
	}
	for _, g := range groupBy(d.Training, func(u *UnitScore) string { return u.Dimension }, func(u *UnitScore) *Cell { return &u.Cell }) {
		hideMargin(k, g)
	}
	// Levels, segments and stages come protected from their category
	// lattices (disclosure_categories.go), which the per-table rule
	// would only thin out: a hidden category has no n left to add up.
	for i := range d.Waves {
		w := &d.Waves[i]
		hideSmall(k, &w.Before, &w.After)
		w.Change.N = min(w.Before.N, w.After.N)
		hideSmall(k, &w.Change)
		hideTogether(&w.Before, &w.After, &w.Change)
	}
	return d
}

func (d *ReadinessData) cells() []*Cell {
	var out []*Cell
	for i := range d.Heatmap {
		out = append(out, &d.Heatmap[i].Cell)
	}
	for i := range d.DimensionTotals {
		out = append(out, &d.DimensionTotals[i].Cell)
	}
	for i := range d.Distribution {
		out = append(out, &d.Distribution[i].Cell)
	}
	out = append(out, categoryCells(d.Segments)...)
	out = append(out, categoryCells(d.Stages)...)
	for i := range d.Training {
		out = append(out, &d.Training[i].Cell)
	}
	for i := range d.Waves {
		out = append(out, &d.Waves[i].Before, &d.Waves[i].After, &d.Waves[i].Change)
	}
	for i := range d.EntityTotals {
		out = append(out, &d.EntityTotals[i].Cell)
	}
	return out
}

func suppressImpact(d ImpactData, q Query, p Privacy) ImpactData {
	k := p.MinGroup
	d.EventStudy = slices.Clone(d.EventStudy)
	d.DiD = slices.Clone(d.DiD)
	d.Diary = slices.Clone(d.Diary)
	d.Adoption = slices.Clone(d.Adoption)
	d.Participation = slices.Clone(d.Participation)
	d.Terms = slices.Clone(d.Terms)
	d.Groups = slices.Clone(d.Groups)
	if populationBlocked(d.Population, q, k) {
		hideAll(ReasonSmallPopulation, d.cells()...)
		for i := range d.DiD {
			d.DiD[i].NTreated, d.DiD[i].NControl, d.DiD[i].PValue = 0, 0, 0
		}
		hideGroups(d.Groups, ReasonSmallPopulation)
		return d
	}
	suppressGroups(d.Groups, d.DiD, k) // before the entity's rows lose their counts
	for i := range d.EventStudy {
		hideSmall(k, &d.EventStudy[i].Cell)
	}
	for i := range d.DiD {
		r := &d.DiD[i]
		r.Estimate.N = min(r.NTreated, r.NControl)
		hideSmall(k, &r.Estimate)
		if r.Estimate.Suppressed {
			r.NTreated, r.NControl, r.PValue = 0, 0, 0
		}
	}
	for i := range d.Diary {
		hideSmall(k, &d.Diary[i].Cell)
	}
	for i := range d.Adoption {
		hideSmall(k, &d.Adoption[i].Cell)
	}
	hideMargin(k, categoryCells(d.Participation))
	if d.Population.N < p.MinText {
		for i := range d.Terms {
			d.Terms[i].Cell.Hide(ReasonSmallPopulation)
		}
	}
	for i := range d.Terms {
		hideSmall(p.MinText, &d.Terms[i].Cell)
	}
	// A hidden term would still say a word was written: drop the label too.
	d.Terms = slices.DeleteFunc(d.Terms, func(t TermCount) bool { return t.Cell.Suppressed })
	return d
}

func (d *ImpactData) cells() []*Cell {
	var out []*Cell
	for i := range d.EventStudy {
		out = append(out, &d.EventStudy[i].Cell)
	}
	for i := range d.DiD {
		out = append(out, &d.DiD[i].Estimate)
	}
	for i := range d.Diary {
		out = append(out, &d.Diary[i].Cell)
	}
	for i := range d.Adoption {
		out = append(out, &d.Adoption[i].Cell)
	}
	out = append(out, categoryCells(d.Participation)...)
	for i := range d.Terms {
		out = append(out, &d.Terms[i].Cell)
	}
	for i := range d.Groups {
		out = append(out, &d.Groups[i].Estimate)
	}
	return out
}

func suppressExecutive(d ExecutiveData, q Query, p Privacy, minFor func(string) int) ExecutiveData {
	k := p.MinGroup
	d.KPIs = slices.Clone(d.KPIs)
	d.Benchmark = slices.Clone(d.Benchmark)
	blocked := populationBlocked(d.Population, q, k)
	for i := range d.KPIs {
		x := &d.KPIs[i]
		x.Series = suppressTrend(x.Series, k, blocked)
		if blocked {
			hideAll(ReasonSmallPopulation, &x.Current, &x.Previous, &x.Change)
			continue
		}
		hideSmall(k, &x.Current, &x.Previous)
		x.Change.N = min(x.Current.N, x.Previous.N)
		hideSmall(k, &x.Change)
		if x.Previous.Suppressed || x.Current.Suppressed {
			x.Change.Hide(ReasonSmallGroup)
		}
		if x.Current.Suppressed {
			x.Previous.Hide(x.Current.Reason)
		}
	}
	// Each benchmark cell is a whole tenant: its own tenant's minimum applies.
	for i := range d.Benchmark {
		hideSmall(max(k, minFor(d.Benchmark[i].Tenant)), &d.Benchmark[i].Cell)
	}
	return d
}

func suppressCommunication(d CommunicationData, q Query, p Privacy) CommunicationData {
	k := p.MinGroup
	d.Ratings = slices.Clone(d.Ratings)
	d.Reasons = slices.Clone(d.Reasons)
	d.Channels = slices.Clone(d.Channels)
	d.Publishing = slices.Clone(d.Publishing)
	var all []*Cell
	all = append(all, categoryCells(d.Ratings)...)
	all = append(all, categoryCells(d.Reasons)...)
	for i := range d.Publishing {
		all = append(all, &d.Publishing[i].Cell)
	}
	if populationBlocked(d.Population, q, k) {
		hideAll(ReasonSmallPopulation, all...)
		return d
	}
	hideSmall(k, categoryCells(d.Ratings)...)
	hideMargin(k, categoryCells(d.Reasons))
	for i := range d.Publishing {
		hideSmall(k, &d.Publishing[i].Cell)
	}
	return d
}

func categoryCells(cs []CategoryCount) []*Cell {
	return cellPtrs(cs, func(c *CategoryCount) *Cell { return &c.Cell })
}

// cellPtrs lists the cell of each of xs, to hide or round in place.
func cellPtrs[T any](xs []T, cell func(*T) *Cell) []*Cell {
	out := make([]*Cell, len(xs))
	for i := range xs {
		out[i] = cell(&xs[i])
	}
	return out
}
