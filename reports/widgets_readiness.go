package reports

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/opts"
)

func (b *builder) dimLabel(d ReadinessData, id string) string {
	if l, ok := d.DimensionLabels[id]; ok && l != "" {
		return l
	}
	return id
}

func readinessWidgets(b *builder, d ReadinessData) []Widget {
	return append([]Widget{heatmapWidget(b, d), distributionWidget(b, d), categoryWidget(b, "readiness-segments", "w.segments", "src.survey", d.Segments),
		categoryWidget(b, "readiness-stages", "w.stages", "src.survey", d.Stages), trainingWidget(b, d), wavesWidget(b, d)}, readinessTrendWidgets(b, d)...)
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
	units, anyHiddenUnit := rankUnits(d.Heatmap, false)
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
	entity := map[string]Cell{} // the entity's mean per dimension: the reference
	refs := d.EntityTotals
	if len(refs) == 0 { // a store without the lattice: the selection's
		refs = d.DimensionTotals
	}
	for _, c := range refs {
		entity[c.Dimension] = c.Cell
	}
	rows := append([]UnitScore(nil), d.Heatmap...)
	sort.SliceStable(rows, func(i, j int) bool { return yi[rows[i].Unit] < yi[rows[j].Unit] })
	var cells []map[string]any
	var hidden []opts.HeatMapData
	var all []Cell
	for _, c := range rows {
		all = append(all, c.Cell)
		w.Table.Rows = append(w.Table.Rows, append([]TCell{b.keyed(&w.Table, KindUnit, c.Unit), txt(b.dimLabel(d, c.Dimension))}, b.cellCols(c.Cell, 2, true)...))
		name := fmt.Sprintf("%s · %s: ", b.name(KindUnit, c.Unit), b.dimLabel(d, c.Dimension))
		if c.Cell.Suppressed {
			name += b.t.T("suppressed") + " (" + b.t.Why(c.Cell.Reason, b.p, false) + ")"
			hidden = append(hidden, opts.HeatMapData{Name: name, Value: []any{xi[c.Dimension], yi[c.Unit], 0}})
			continue
		}
		if c.Cell.N == 0 {
			continue
		}
		mean := round(c.Cell.Value, 2)
		name += fmtNum(c.Cell.Value, 2, b.t.lang) + fmt.Sprintf(" (n=%d)", c.Cell.N)
		label := fmtNum(c.Cell.Value, 2, b.t.lang)
		diff := any("-")
		fill := neutralFill
		if e, ok := entity[c.Dimension]; ok && !e.Suppressed && e.N > 0 {
			dv := round(c.Cell.Value-e.Value, 2)
			diff, fill = dv, divergingFill(dv)
			name += fmt.Sprintf("; %s %s", b.t.T("rd.diff.entity"), signed(dv, b.t.lang))
			if m := beyondNoise(c.Cell, e.Value); m != "" {
				label += " " + m
				name += " " + m + " " + b.t.T("rd.beyond")
			} else if c.Cell.Hi > c.Cell.Lo {
				name += " (" + b.t.T("rd.within") + ")"
			}
		}
		cells = append(cells, map[string]any{"name": name, "value": []any{xi[c.Dimension], yi[c.Unit], diff, mean},
			"label": map[string]any{"formatter": label, "color": labelColour(fill)}})
	}
	for _, c := range d.DimensionTotals {
		w.Table.Rows = append(w.Table.Rows, append([]TCell{txt(b.t.T("f.all")), txt(b.dimLabel(d, c.Dimension))}, b.cellCols(c.Cell, 2, true)...))
	}
	w.Option = divergingHeatmap(heatmapChart(w.ID, w.Title, dims, b.names(KindUnit, units), nil, hidden, b.t.T("withheld.title"), 1, 5), cells, b)
	w.DrillKeys = units
	if ys, ok := w.Option["yAxis"].([]any); ok && len(ys) > 0 {
		if y, ok := ys[0].(map[string]any); ok {
			y["name"], y["nameLocation"], y["nameTextStyle"] = b.t.T("rd.units"), "start", map[string]any{"fontWeight": "bold", "align": "left", "color": "#1a202c"}
		}
	}
	w.Rows = len(units)
	b.settle(&w, "src.survey", all...)
	w.Note = b.t.T("rd.heat.note")
	if b.q.Filtered() && len(d.EntityTotals) > 0 {
		w.Note += " " + b.t.T("rd.ref.entity")
	}
	if len(hidden) > 0 { // the grey cells are explained once, above the chart
		w.Note += " " + b.t.T("withheld.cells")
		w.Partial = false
	}
	if anyHiddenUnit {
		w.Note += " " + b.t.T("rd.hidden.units")
	}
	return w
}

// rankUnits orders units by the mean of their published cells (largest
// first, or smallest first when asc); units with no published cell go
// last in their first-seen order. It reports whether there are such units.
func rankUnits(cells []UnitScore, asc bool) ([]string, bool) {
	units := unitsOf(cells)
	sum := map[string][2]float64{}
	for _, c := range cells {
		if !c.Cell.Suppressed && c.Cell.N > 0 {
			t := sum[c.Unit]
			sum[c.Unit] = [2]float64{t[0] + c.Cell.Value, t[1] + 1}
		}
	}
	hidden := false
	for _, u := range units {
		hidden = hidden || sum[u][1] == 0
	}
	sort.SliceStable(units, func(i, j int) bool {
		a, b := sum[units[i]], sum[units[j]]
		if (a[1] == 0) != (b[1] == 0) {
			return a[1] > 0
		}
		if a[1] == 0 {
			return false
		}
		ma, mb := a[0]/a[1], b[0]/b[1]
		if asc {
			return ma < mb
		}
		return ma > mb
	})
	return units, hidden
}

// beyondNoise marks a published cell whose 95% interval excludes the
// entity mean e: ▲ above, ▼ below, "" otherwise or without an interval.
func beyondNoise(c Cell, e float64) string {
	switch {
	case c.Suppressed || c.N == 0 || !(c.Hi > c.Lo):
		return ""
	case c.Lo > e:
		return "▲"
	case c.Hi < e:
		return "▼"
	}
	return ""
}

func signed(x float64, lang string) string {
	x = round(x, 2) + 0 // no "−0,00"
	if x == 0 {
		return fmtNum(0, 2, lang)
	}
	s := fmtNum(x, 2, lang)
	if x > 0 {
		s = "+" + s
	}
	return strings.Replace(s, "-", "−", 1)
}

// divergingBands are the cut points of the heatmap's colours: a unit's
// difference from the entity mean of the dimension, in scale points.
var divergingBands = []float64{-0.5, -0.25, -0.1, 0.1, 0.25, 0.5}

// diverging is ColorBrewer's RdBu (7 classes, colour-blind safe): red
// below the entity mean, blue above, near white around it.
var diverging = []string{"#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"}

const neutralFill = "#f7f7f7"

func divergingFill(d float64) string {
	i := sort.SearchFloat64s(divergingBands, d)
	if i < len(divergingBands) && divergingBands[i] == d {
		i++ // a cut point belongs to the band above it (gte), like ECharts' pieces
	}
	return diverging[i]
}

// divergingHeatmap sets the heatmap's scores (value: x, y, difference from
// the entity, mean) and a piecewise visual map on the difference.
func divergingHeatmap(option map[string]any, cells []map[string]any, b *builder) map[string]any {
	list, _ := option["series"].([]any)
	if len(list) > 0 {
		if s, ok := list[0].(map[string]any); ok {
			data := make([]any, len(cells))
			for i, c := range cells {
				data[i] = c
			}
			s["data"] = data
		} else {
			raw, _ := json.Marshal(list[0])
			var s map[string]any
			_ = json.Unmarshal(raw, &s)
			data := make([]any, len(cells))
			for i, c := range cells {
				data[i] = c
			}
			s["data"] = data
			list[0] = s
		}
	}
	var pieces []any
	for i, col := range diverging {
		p := map[string]any{"color": col}
		switch {
		case i == 0:
			p["lt"], p["label"] = divergingBands[0], fmt.Sprintf(b.t.T("rd.band.below"), signed(divergingBands[0], b.t.lang))
		case i == len(diverging)-1:
			p["gte"], p["label"] = divergingBands[i-1], fmt.Sprintf(b.t.T("rd.band.above"), signed(divergingBands[i-1], b.t.lang))
		default:
			p["gte"], p["lt"] = divergingBands[i-1], divergingBands[i]
			p["label"] = signed(divergingBands[i-1], b.t.lang) + " – " + signed(divergingBands[i], b.t.lang)
		}
		pieces = append(pieces, p)
	}
	// The seven bands' legend is wider than a phone: the note above the
	// chart says what the colours mean instead.
	option["visualMap"] = []any{map[string]any{"type": "piecewise", "show": false, "dimension": 2, "seriesIndex": 0, "pieces": pieces,
		"outOfRange": map[string]any{"color": neutralFill}}}
	return option
}

// labelColour is black or white, whichever contrasts more with fill
// (WCAG 2.1 relative luminance); either reaches at least 4.5:1.
func labelColour(fill string) string {
	if contrast(fill, "#000000") >= contrast(fill, "#ffffff") {
		return "#000000"
	}
	return "#ffffff"
}

func luminance(hex string) float64 {
	var r, g, bl int
	_, _ = fmt.Sscanf(strings.TrimPrefix(hex, "#"), "%02x%02x%02x", &r, &g, &bl)
	lin := func(c int) float64 {
		s := float64(c) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(bl)
}

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
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
	w.Table.Columns = []string{b.t.T("col.unit"), b.t.T("col.dimension"), b.t.T("rd.col.share"), b.t.T("rd.col.below"), b.t.T("col.n")}
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
		cols := b.pctCols(r.Cell, false, "%")
		below := TCell{Text: "–"}
		if k, ok := belowCount(r.Cell); ok {
			below = intCell(int64(k))
		} else if r.Cell.Suppressed {
			below = cols[0]
		}
		row := append([]TCell{b.keyed(&w.Table, KindUnit, r.Unit), txt(b.dimLabel(d, r.Dimension)), cols[0], below}, cols[1:]...)
		w.Table.Rows = append(w.Table.Rows, row)
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
		name := fmt.Sprintf("%s · %s: ", b.name(KindUnit, r.Unit), b.dimLabel(d, r.Dimension))
		if r.Cell.Suppressed {
			name += b.t.T("suppressed") + " (" + b.t.Why(r.Cell.Reason, b.p, false) + ")"
			hidden = append(hidden, opts.HeatMapData{Name: name, Value: []any{xi[r.Dimension], yi[r.Unit], 0}})
			continue
		}
		value := any("-")
		if v, ok := val(r.Cell, 3).(float64); ok {
			value = round(v*100, 1)
			k, _ := belowCount(r.Cell)
			name += fmtNum(v*100, 1, b.t.lang) + "% — " + fmt.Sprintf(b.t.T("rd.people.of"), k, r.Cell.N)
		}
		cells = append(cells, opts.HeatMapData{Name: name, Value: []any{xi[r.Dimension], yi[r.Unit], value}})
	}
	w.Option = heatmapChart(w.ID, b.t.T("rd.training.title")+" (%)", dims, b.names(KindUnit, units), cells, hidden, b.t.T("withheld.title"), 0, 100)
	w.DrillKeys = units
	sequentialLabels(w.Option, 0, 100)
	w.Rows, w.Unit = len(units), "%"
	w.Note = b.t.T("rd.training.note")
	b.settle(&w, "src.survey", cellsOf(d.Training, func(u UnitScore) Cell { return u.Cell })...)
	if len(hidden) > 0 { // the grey cells are explained once, above the chart
		w.Note, w.Partial = w.Note+" "+b.t.T("withheld.cells"), false
	}
	return w
}

// belowCount is the number of people below the threshold of a published
// share cell: its share times its respondents, both as published.
func belowCount(c Cell) (int, bool) {
	if c.Suppressed || c.N == 0 {
		return 0, false
	}
	return int(math.Round(c.Value * float64(c.N))), true
}

func wavesWidget(b *builder, d ReadinessData) Widget {
	w := Widget{ID: "readiness-waves", Title: b.t.T("w.waves")}
	w.Table.Columns = []string{b.t.T("col.dimension"), b.t.T("col.wave"), b.t.T("col.before"), b.t.T("col.n"), b.t.T("col.after"), b.t.T("col.n"),
		b.t.T("col.change"), b.t.T("col.lo"), b.t.T("col.hi"), b.t.T("col.n")}
	var cats []string
	var dots, whiskers []any
	var all []Cell
	for _, x := range d.Waves {
		change := waveChange(x)
		row := []TCell{txt(b.dimLabel(d, x.Dimension)), txt(b.waveName(x.FromWave) + " → " + b.waveName(x.ToWave))}
		row = append(row, b.cellCols(x.Before, 2, false)...)
		row = append(row, b.cellCols(x.After, 2, false)...)
		row = append(row, b.cellCols(change, 2, true)...)
		w.Table.Rows = append(w.Table.Rows, row)
		label := b.dimLabel(d, x.Dimension)
		cats = append(cats, label)
		all = append(all, change)
		name := label + ": "
		switch {
		case change.Suppressed:
			name += b.t.T("suppressed") + " (" + b.t.Why(change.Reason, b.p, false) + ")"
			dots = append(dots, map[string]any{"name": name, "value": "-"})
			whiskers = append(whiskers, map[string]any{"name": name, "value": []any{"-", "-", "-", "-", "-"}})
			continue
		case change.N == 0:
			dots = append(dots, map[string]any{"name": name, "value": "-"})
			whiskers = append(whiskers, map[string]any{"name": name, "value": []any{"-", "-", "-", "-", "-"}})
			continue
		}
		v := round(change.Value, 2)
		name += signed(v, b.t.lang)
		dots = append(dots, map[string]any{"name": name, "value": v})
		if change.Hi > change.Lo {
			name += fmt.Sprintf(" (%s %s – %s; n=%d)", b.t.T("rd.ci.short"), signed(change.Lo, b.t.lang), signed(change.Hi, b.t.lang), change.N)
			whiskers = append(whiskers, map[string]any{"name": name, "value": []any{round(change.Lo, 2), v, v, v, round(change.Hi, 2)}})
			dots[len(dots)-1] = map[string]any{"name": name, "value": v}
		} else {
			whiskers = append(whiskers, map[string]any{"name": name, "value": []any{"-", "-", "-", "-", "-"}})
		}
	}
	from, to := b.t.T("col.before"), b.t.T("col.after")
	if len(d.Waves) > 0 {
		from, to = b.waveName(d.Waves[0].FromWave), b.waveName(d.Waves[0].ToWave)
	}
	w.Title = b.t.T("rd.waves.title")
	w.Option = diffChart(w.ID, w.Title, wrapLabels(cats), dots, whiskers, b.t.T("rd.diff"), b.t.T("rd.ci"))
	w.Note = fmt.Sprintf(b.t.T("rd.waves.note"), to, from)
	b.settle(&w, "src.survey", all...)
	return w
}

// waveChange is the published difference of a wave comparison, hidden
// (with the reason) when either wave's cell is hidden.
func waveChange(x WaveChange) Cell {
	c := x.Change
	for _, side := range []Cell{x.Before, x.After} {
		if side.Suppressed && !c.Suppressed {
			c = Cell{}
			c.Hide(side.Reason)
		}
	}
	return c
}

// diffChart draws differences from 0 as dots with 95% whiskers (a boxplot
// whose box collapses on the difference), with a reference line at 0.
func diffChart(id, title string, cats []string, dots, whiskers []any, dotName, ciName string) map[string]any {
	option := withLabelLineHeight(barChart(id, title, cats, nil, false, "", false), "xAxis")
	option["tooltip"] = map[string]any{"show": true, "trigger": "item", "formatter": "{b}"}
	option["legend"] = map[string]any{"show": true, "top": 0, "left": "center", "data": []any{dotName, ciName}}
	option["series"] = []any{
		map[string]any{"type": "boxplot", "name": ciName, "data": whiskers, "boxWidth": []any{2, 6},
			"itemStyle": map[string]any{"color": "#3b528b", "borderColor": "#3b528b", "borderWidth": 2}},
		map[string]any{"type": "scatter", "name": dotName, "data": dots, "symbolSize": 12, "itemStyle": map[string]any{"color": "#1a1a1a"},
			"markLine": map[string]any{"silent": true, "symbol": "none", "data": []any{map[string]any{"yAxis": 0}},
				"lineStyle": map[string]any{"color": "#4a5568", "type": "dashed"}, "label": map[string]any{"show": false}}},
	}
	return option
}

// sequentialLabels gives each cell of a heatmap's first series a label
// colour that contrasts with its fill on the continuous sequential scale
// from lo to hi (ECharts interpolates the ramp linearly in RGB).
func sequentialLabels(option map[string]any, lo, hi float64) {
	list, _ := option["series"].([]any)
	if len(list) == 0 {
		return
	}
	raw, _ := json.Marshal(list[0])
	var s map[string]any
	if json.Unmarshal(raw, &s) != nil {
		return
	}
	data, _ := s["data"].([]any)
	for i, d := range data {
		m, _ := d.(map[string]any)
		v, _ := m["value"].([]any)
		if len(v) < 3 {
			continue
		}
		if x, ok := v[2].(float64); ok {
			m["label"] = map[string]any{"color": labelColour(rampAt(sequential, (x-lo)/(hi-lo)))}
			data[i] = m
		}
	}
	list[0] = s
}

// rampAt is the colour at t in [0,1] along evenly spaced stops.
func rampAt(stops []string, t float64) string {
	t = math.Max(0, math.Min(1, t))
	f := t * float64(len(stops)-1)
	i := int(math.Floor(f))
	if i >= len(stops)-1 {
		return stops[len(stops)-1]
	}
	var a, c [3]int
	_, _ = fmt.Sscanf(strings.TrimPrefix(stops[i], "#"), "%02x%02x%02x", &a[0], &a[1], &a[2])
	_, _ = fmt.Sscanf(strings.TrimPrefix(stops[i+1], "#"), "%02x%02x%02x", &c[0], &c[1], &c[2])
	k := f - float64(i)
	var out [3]int
	for j := range out {
		out[j] = int(math.Round(float64(a[j]) + k*float64(c[j]-a[j])))
	}
	return fmt.Sprintf("#%02x%02x%02x", out[0], out[1], out[2])
}
