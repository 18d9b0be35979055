package reports

import "github.com/bussola-pa/bussola/privacy"

// The trends of the readiness lattice: the selection's cell in every
// wave's lattice, each released under that wave's pattern (the same
// pattern the readiness and executive pages and the assessment API use
// for the wave), so a trend point is published exactly when the page of
// that wave would publish the cell.

// waveTrend returns, oldest first, figure(wave, pattern, selection cell)
// for every wave of c; a wave whose lattice lacks the selection's labels
// is a point with nobody in it.
func waveTrend(c ReadinessCells, pats []*privacy.Pattern, q Query, figure func(WaveCells, *privacy.Pattern, int) (Cell, bool)) []TrendPoint {
	out := make([]TrendPoint, 0, len(c.Waves))
	for w, wc := range c.Waves {
		pt := TrendPoint{Period: Span{Wave: wc.Wave}, Label: wc.Wave}
		if sel, ok := selection(wc.Lattice, q); ok {
			if cell, ok := figure(wc, pats[w], sel); ok {
				pt.Cell = cell
			}
		}
		out = append(out, pt)
	}
	return out
}

// indexTrend is the readiness index of the selection in every wave.
func indexTrend(c ReadinessCells, pats []*privacy.Pattern, q Query) []TrendPoint {
	return waveTrend(c, pats, q, func(wc WaveCells, p *privacy.Pattern, i int) (Cell, bool) {
		if wc.Index.N == nil {
			return Cell{}, false
		}
		return meanFigure(p, wc.Index, i), true
	})
}

// readinessTrend is the selection's mean of each dimension, then of the
// index (Dimension ""), in every wave.
func readinessTrend(c ReadinessCells, pats []*privacy.Pattern, q Query) []DimensionTrend {
	var out []DimensionTrend
	for _, dim := range c.Dimensions {
		pts := waveTrend(c, pats, q, func(wc WaveCells, p *privacy.Pattern, i int) (Cell, bool) {
			m, ok := wc.Scores[dim]
			if !ok || m.N[i] == 0 {
				return Cell{}, false
			}
			return meanFigure(p, m, i), true
		})
		out = append(out, DimensionTrend{Dimension: dim, Points: pts})
	}
	return append(out, DimensionTrend{Points: indexTrend(c, pats, q)})
}

// entityTotals is the entity's mean of each dimension in the latest wave
// (the lattice's total cell, under the wave's pattern).
func entityTotals(c ReadinessCells, pats []*privacy.Pattern) []UnitScore {
	last := len(c.Waves) - 1
	if last < 0 {
		return nil
	}
	wc := c.Waves[last]
	total := wc.Lattice.Index(privacy.Total, privacy.Total, privacy.Total)
	var out []UnitScore
	for _, dim := range c.Dimensions {
		if m, ok := wc.Scores[dim]; ok && m.N[total] > 0 {
			out = append(out, UnitScore{Dimension: dim, Cell: meanFigure(pats[last], m, total)})
		}
	}
	return out
}

// trendCells lists the cells of trend points.
func trendCells(pts []TrendPoint) []*Cell {
	return cellPtrs(pts, func(p *TrendPoint) *Cell { return &p.Cell })
}

// suppressTrend applies rule 1 to each point (each is a cell of its own
// period, like the card or lattice cell it repeats), or hides every point
// when the page is blocked; it returns a copy.
func suppressTrend(pts []TrendPoint, k int, blocked bool) []TrendPoint {
	pts = append([]TrendPoint(nil), pts...)
	if blocked {
		hideAll(ReasonSmallPopulation, trendCells(pts)...)
		return pts
	}
	hideSmall(k, trendCells(pts)...)
	return pts
}
