package reports

import (
	"fmt"
	"sort"

	"github.com/go-echarts/go-echarts/v2/opts"
)

func (b *builder) dimLabel(d ReadinessData, id string) string {
	if l, ok := d.DimensionLabels[id]; ok && l != "" {
		return l
	}
	return id
}

func readinessWidgets(b *builder, d ReadinessData) []Widget {
	return []Widget{heatmapWidget(b, d), distributionWidget(b, d), categoryWidget(b, "readiness-segments", "w.segments", "src.survey", d.Segments),
		categoryWidget(b, "readiness-stages", "w.stages", "src.survey", d.Stages), trainingWidget(b, d), wavesWidget(b, d)}
}

// cellsOf lists the cells of a widget's rows.
func cellsOf[T any](rows []T, cell func(T) Cell) []Cell {
	out := make([]Cell, len(rows))
	for i, r := range rows {
		out[i] = cell(r)
	}
	return out
}

func unitsOf(cells []UnitScore) []string {
	var units []string
	seen := map[string]bool{}
	for _, c := range cells {
		if !seen[c.Unit] {
			seen[c.Unit] = true
			units = append(units, c.Unit)
		}
	}
	return units
}

func heatmapWidget(b *builder, d ReadinessData) Widget {
	w := Widget{ID: "readiness-heatmap", Title: b.t.T("w.heatmap"), Drill: "unit"}
	w.Table.Columns = []string{b.t.T("col.unit"), b.t.T("col.dimension"), b.t.T("col.mean"), b.t.T("col.lo"), b.t.T("col.hi"), b.t.T("col.n")}
	units := unitsOf(d.Heatmap)
	dims := make([]string, len(d.Dimensions))
	for i, id := range d.Dimensions {
		dims[i] = b.dimLabel(d, id)
	}
	xi := map[string]int{}
	for i, id := range d.Dimensions {
		xi[id] = i
	}
	yi := map[string]int{}
	for i, u := range units {
		yi[u] = i
	}
	var cells, hidden []opts.HeatMapData
	var all []Cell
	for _, c := range d.Heatmap {
		all = append(all, c.Cell)
		w.Table.Rows = append(w.Table.Rows, append([]TCell{txt(c.Unit), txt(b.dimLabel(d, c.Dimension))}, b.cellCols(c.Cell, 2, true)...))
		name := fmt.Sprintf("%s · %s: ", c.Unit, b.dimLabel(d, c.Dimension))
		if c.Cell.Suppressed {
			name += b.t.T("suppressed") + " (" + b.t.Why(c.Cell.Reason, b.p, false) + ")"
			hidden = append(hidden, opts.HeatMapData{Name: name, Value: []any{xi[c.Dimension], yi[c.Unit], 0}})
			continue
		}
		name += fmtNum(c.Cell.Value, 2, b.t.lang) + fmt.Sprintf(" (n=%d)", c.Cell.N)
		cells = append(cells, opts.HeatMapData{Name: name, Value: []any{xi[c.Dimension], yi[c.Unit], val(c.Cell, 2)}})
	}
	for _, c := range d.DimensionTotals {
		w.Table.Rows = append(w.Table.Rows, append([]TCell{txt(b.t.T("f.all")), txt(b.dimLabel(d, c.Dimension))}, b.cellCols(c.Cell, 2, true)...))
	}
	w.Option = heatmapChart(w.ID, w.Title, dims, units, cells, hidden, b.t.T("withheld.title"), 1, 5)
	w.Rows = len(units)
	b.settle(&w, "src.survey", all...)
	if len(hidden) > 0 { // the grey cells are explained once, above the chart
		w.Note, w.Partial = b.t.T("withheld.cells"), false
	}
	return w
}

func distributionWidget(b *builder, d ReadinessData) Widget {
	w := Widget{ID: "readiness-distribution", Title: b.t.T("w.distribution")}
	w.Table.Columns = []string{b.t.T("col.dimension"), b.t.T("col.level"), b.t.T("col.count"), b.t.T("col.n")}
	var levels []string
	seen := map[string]bool{}
	for _, l := range d.Distribution {
		if !seen[l.Level] {
			seen[l.Level] = true
			levels = append(levels, l.Level)
		}
	}
	byKey := map[[2]string]Cell{}
	for _, l := range d.Distribution {
		byKey[[2]string{l.Dimension, l.Level}] = l.Cell
		w.Table.Rows = append(w.Table.Rows, append([]TCell{txt(b.dimLabel(d, l.Dimension)), txt(l.Level)}, b.cellCols(l.Cell, 0, false)...))
	}
	dims := make([]string, len(d.Dimensions))
	for i, id := range d.Dimensions {
		dims[i] = b.dimLabel(d, id)
	}
	var ss []series
	for _, lv := range levels {
		s := series{Name: lv}
		for _, dim := range d.Dimensions {
			s.Data = append(s.Data, val(byKey[[2]string{dim, lv}], 0))
		}
		ss = append(ss, s)
	}
	w.Option = barChart(w.ID, w.Title, dims, ss, true, "levels", false)
	b.settle(&w, "src.survey", cellsOf(d.Distribution, func(l LevelCount) Cell { return l.Cell })...)
	return w
}

func categoryWidget(b *builder, id, title, source string, cs []CategoryCount) Widget {
	w := Widget{ID: id, Title: b.t.T(title)}
	w.Table.Columns = []string{b.t.T("col.category"), b.t.T("col.count"), b.t.T("col.n")}
	var cats []string
	var data []any
	for _, c := range cs {
		cats = append(cats, c.Category)
		data = append(data, val(c.Cell, 0))
		w.Table.Rows = append(w.Table.Rows, append([]TCell{txt(c.Category)}, b.cellCols(c.Cell, 0, false)...))
	}
	// Long category names (feedback reasons, say) read along the y axis.
	horizontal := false
	for _, c := range cats {
		horizontal = horizontal || len([]rune(c)) > 14
	}
	w.Option = barChart(w.ID, w.Title, cats, []series{{Name: b.t.T("col.count"), Data: data}}, horizontal, "", false)
	b.settle(&w, source, cellsOf(cs, func(c CategoryCount) Cell { return c.Cell })...)
	return w
}

func trainingWidget(b *builder, d ReadinessData) Widget {
	w := Widget{ID: "readiness-training", Title: b.t.T("w.training"), Drill: "unit"}
	w.Table.Columns = []string{b.t.T("col.unit"), b.t.T("col.dimension"), b.t.T("col.share"), b.t.T("col.n")}
	rows := append([]UnitScore(nil), d.Training...)
	// Ranked: largest need first; hidden cells last.
	sort.SliceStable(rows, func(i, j int) bool {
		ci, cj := rows[i].Cell, rows[j].Cell
		if ci.Suppressed != cj.Suppressed {
			return !ci.Suppressed
		}
		return ci.Value > cj.Value
	})
	for _, r := range rows {
		w.Table.Rows = append(w.Table.Rows, append([]TCell{txt(r.Unit), txt(b.dimLabel(d, r.Dimension))}, b.pctCols(r.Cell, false, "%")...))
	}
	// The chart: units x Syllabus areas, the share below target in %, units
	// ranked by their mean need (largest first).
	need := map[string][2]float64{}
	for _, r := range d.Training {
		if v, ok := val(r.Cell, 3).(float64); ok {
			t := need[r.Unit]
			need[r.Unit] = [2]float64{t[0] + v, t[1] + 1}
		}
	}
	units := unitsOf(d.Training)
	mean := func(u string) float64 {
		if t := need[u]; t[1] > 0 {
			return t[0] / t[1]
		}
		return -1 // all hidden: last
	}
	sort.SliceStable(units, func(i, j int) bool { return mean(units[i]) > mean(units[j]) })
	xi, yi := map[string]int{}, map[string]int{}
	dims := make([]string, len(d.Dimensions))
	for i, id := range d.Dimensions {
		xi[id], dims[i] = i, b.dimLabel(d, id)
	}
	for i, u := range units {
		yi[u] = i
	}
	var cells, hidden []opts.HeatMapData
	for _, r := range d.Training {
		name := fmt.Sprintf("%s · %s: ", r.Unit, b.dimLabel(d, r.Dimension))
		if r.Cell.Suppressed {
			name += b.t.T("suppressed") + " (" + b.t.Why(r.Cell.Reason, b.p, false) + ")"
			hidden = append(hidden, opts.HeatMapData{Name: name, Value: []any{xi[r.Dimension], yi[r.Unit], 0}})
			continue
		}
		value := any("-")
		if v, ok := val(r.Cell, 3).(float64); ok {
			value = round(v*100, 1)
			name += fmtNum(v*100, 1, b.t.lang) + fmt.Sprintf("%% (n=%d)", r.Cell.N)
		}
		cells = append(cells, opts.HeatMapData{Name: name, Value: []any{xi[r.Dimension], yi[r.Unit], value}})
	}
	w.Option = heatmapChart(w.ID, w.Title+" (%)", dims, units, cells, hidden, b.t.T("withheld.title"), 0, 100)
	w.Rows, w.Unit = len(units), "%"
	b.settle(&w, "src.survey", cellsOf(d.Training, func(u UnitScore) Cell { return u.Cell })...)
	if len(hidden) > 0 { // the grey cells are explained once, above the chart
		w.Note, w.Partial = b.t.T("withheld.cells"), false
	}
	return w
}

func wavesWidget(b *builder, d ReadinessData) Widget {
	w := Widget{ID: "readiness-waves", Title: b.t.T("w.waves")}
	w.Table.Columns = []string{b.t.T("col.dimension"), b.t.T("col.wave"), b.t.T("col.before"), b.t.T("col.n"), b.t.T("col.after"), b.t.T("col.n"),
		b.t.T("col.change"), b.t.T("col.lo"), b.t.T("col.hi"), b.t.T("col.n")}
	var cats []string
	var before, after []any
	for _, x := range d.Waves {
		row := []TCell{txt(b.dimLabel(d, x.Dimension)), txt(x.FromWave + " → " + x.ToWave)}
		row = append(row, b.cellCols(x.Before, 2, false)...)
		row = append(row, b.cellCols(x.After, 2, false)...)
		row = append(row, b.cellCols(x.Change, 2, true)...)
		w.Table.Rows = append(w.Table.Rows, row)
		cats = append(cats, b.dimLabel(d, x.Dimension))
		before = append(before, val(x.Before, 2))
		after = append(after, val(x.After, 2))
	}
	from, to := b.t.T("col.before"), b.t.T("col.after")
	if len(d.Waves) > 0 {
		from, to = d.Waves[0].FromWave, d.Waves[0].ToWave
	}
	w.Option = withLabelLineHeight(barChart(w.ID, w.Title, wrapLabels(cats), []series{{Name: from, Data: before}, {Name: to, Data: after}}, false, "", false), "xAxis")
	var all []Cell
	for _, x := range d.Waves {
		all = append(all, x.Before, x.After)
	}
	b.settle(&w, "src.survey", all...)
	return w
}
