package reports

import (
	"fmt"
	"strings"
)

// trendLine is a trend's chart and table material: the period names, the
// values (scaled for the chart, "-" for a gap), the 95% band and the
// gaps' explanations.
type trendLine struct {
	data, lo, width []any
	labels          []string
	rows            [][]TCell
	gaps            []string
	cells           []Cell
}

// trendOf formats the points of a trend in unit ("share", "rating",
// "points" or "mean"): shares are drawn in per cent; a hidden point is a
// gap, named with its reason, never a 0.
func (b *builder) trendOf(pts []TrendPoint, unit string) trendLine {
	var t trendLine
	digits, scale := 1, 1.0
	switch unit {
	case "share":
		digits, scale = 1, 100
	case "rating", "mean":
		digits = 2
	}
	for _, p := range pts {
		name := b.spanLabel(p.Period, "per.selected")
		t.labels = append(t.labels, name)
		t.cells = append(t.cells, p.Cell)
		cols := b.cellCols(p.Cell, digits, true)
		if unit == "share" {
			cols = b.pctCols(p.Cell, true, "%")
		}
		t.rows = append(t.rows, append([]TCell{txt(name)}, cols...))
		c := p.Cell
		if c.Suppressed || c.N == 0 {
			t.data, t.lo, t.width = append(t.data, "-"), append(t.lo, "-"), append(t.width, "-")
			if c.Suppressed {
				t.gaps = append(t.gaps, name+" ("+b.t.Why(c.Reason, b.p, false)+")")
			} else {
				t.gaps = append(t.gaps, name+" ("+b.t.T("tr.gap.empty")+")")
			}
			continue
		}
		t.data = append(t.data, round(c.Value*scale, digits))
		if c.Hi > c.Lo {
			t.lo, t.width = append(t.lo, round(c.Lo*scale, digits)), append(t.width, round((c.Hi-c.Lo)*scale, digits))
		} else {
			t.lo, t.width = append(t.lo, "-"), append(t.width, "-")
		}
	}
	return t
}

// gapNote says where a trend's line breaks and why.
func (b *builder) gapNote(gaps []string) string {
	if len(gaps) == 0 {
		return ""
	}
	return b.t.F("tr.gaps", strings.Join(gaps, "; "))
}

// trendWidget draws one trend: its line, the 95% band, the table with
// every point (hidden ones with their reason).
func (b *builder) trendWidget(id, title, source, unit, yName string, pts []TrendPoint) Widget {
	w := Widget{ID: id, Title: title}
	t := b.trendOf(pts, unit)
	w.Table.Columns = []string{b.t.T("col.period"), b.t.T("col.value"), b.t.T("col.lo"), b.t.T("col.hi"), b.t.T("col.n")}
	w.Table.Rows = t.rows
	// Two-line period names ("09/12/2024 –" over "05/01/2025"): more fit.
	w.Option = withLabelLineHeight(lineChart(w.ID, w.Title, wrapLabels(t.labels), []series{{Name: b.t.T("col.value"), Data: t.data}}, false, yName), "xAxis")
	withBand(w.Option, t.lo, t.width, palette[0])
	if unit == "share" {
		w.Unit = "%"
	}
	b.settle(&w, source, t.cells...)
	w.Note = b.gapNote(t.gaps)
	return w
}

// kpiTrendWidgets draws the trend of each KPI that has one, after the
// cards: the same figure as the card, per fixed 4-week window or per
// survey wave.
func kpiTrendWidgets(b *builder, d ExecutiveData) []Widget {
	var out []Widget
	for _, k := range d.KPIs {
		if len(k.Series) == 0 {
			continue
		}
		label := b.t.Label("kpi."+k.Key, k.Key)
		src := "kpi.src." + k.Key
		if _, ok := messages[src]; !ok {
			src = "src.kpi"
		}
		yName := map[string]string{"share": "%", "rating": "1-5", "points": "0-100"}[k.Unit]
		w := b.trendWidget("executive-trend-"+strings.ReplaceAll(k.Key, "_", "-"), b.t.F("tr.kpi.title", label), src, k.Unit, yName, k.Series)
		what := "tr.kpi.bins"
		if k.Series[0].Period.Wave != "" {
			what = "tr.kpi.waves"
		}
		w.Note = strings.TrimSpace(b.t.T(what) + " " + w.Note)
		out = append(out, w)
	}
	return out
}

// readinessTrendWidgets draws the selection's mean of each dimension in
// every wave (one line per dimension) and the readiness index's trend.
func readinessTrendWidgets(b *builder, d ReadinessData) []Widget {
	var dims []DimensionTrend
	var index []TrendPoint
	for _, t := range d.Trend {
		if t.Dimension == "" {
			index = t.Points
			continue
		}
		dims = append(dims, t)
	}
	if len(dims) == 0 {
		return nil
	}
	w := Widget{ID: "readiness-trend", Title: b.t.T("tr.rd.title")}
	w.Table.Columns = []string{b.t.T("col.dimension"), b.t.T("col.wave"), b.t.T("col.mean"), b.t.T("col.lo"), b.t.T("col.hi"), b.t.T("col.n")}
	var ss []series
	var xs []string
	var all []Cell
	var gaps []string
	var tips [][]string
	for _, dt := range dims {
		label := b.dimLabel(d, dt.Dimension)
		t := b.trendOf(dt.Points, "mean")
		xs = t.labels
		for _, r := range t.rows {
			w.Table.Rows = append(w.Table.Rows, append([]TCell{txt(label)}, r...))
		}
		for _, g := range t.gaps {
			gaps = append(gaps, label+", "+g)
		}
		all = append(all, t.cells...)
		ss = append(ss, series{Name: label, Data: t.data})
		tips = append(tips, b.pointNames(label, t.labels, dt.Points))
	}
	w.Option = lineChart(w.ID, w.Title, xs, ss, false, "1-5")
	withPointNames(w.Option, tips)
	// One line per dimension: the legend in rows below the plot, never
	// paged (as the diary's), the chart taller for it.
	plainLegendBelow(w.Option, len(ss))
	w.Rows = 9 + len(ss)/2
	b.settle(&w, "src.survey", all...)
	w.Note = strings.TrimSpace(b.t.T("tr.rd.note") + " " + b.gapNote(gaps))
	out := []Widget{w}
	if len(index) > 0 {
		iw := b.trendWidget("readiness-index-trend", b.t.T("tr.rd.index"), "src.survey", "points", "0-100", index)
		iw.Note = strings.TrimSpace(b.t.T("tr.kpi.waves") + " " + iw.Note)
		out = append(out, iw)
	}
	return out
}

// pointNames names each point of one line for its tooltip: "Comunicazione,
// rilevazione 2025: 2,56 (IC 95% 2,31 – 2,81; n=40)", or why it is a gap.
func (b *builder) pointNames(line string, periods []string, pts []TrendPoint) []string {
	out := make([]string, len(pts))
	for i, p := range pts {
		name := line + ", " + periods[i] + ": "
		c := p.Cell
		switch {
		case c.Suppressed:
			name += b.t.T("suppressed") + " (" + b.t.Why(c.Reason, b.p, false) + ")"
		case c.N == 0:
			name += b.t.T("tr.gap.empty")
		default:
			name += fmtNum(c.Value, 2, b.t.lang)
			if c.Hi > c.Lo {
				name += fmt.Sprintf(" (%s %s – %s; n=%d)", b.t.T("rd.ci.short"), fmtNum(c.Lo, 2, b.t.lang), fmtNum(c.Hi, 2, b.t.lang), c.N)
			}
		}
		out[i] = name
	}
	return out
}

// withPointNames gives the points of each line series their names and
// shows the hovered point's name (its value and 95% interval).
func withPointNames(option map[string]any, names [][]string) {
	list, _ := option["series"].([]any)
	for i, s := range list {
		m, ok := s.(map[string]any)
		if !ok || i >= len(names) {
			continue
		}
		data, _ := m["data"].([]any)
		for j, d := range data {
			if j >= len(names[i]) {
				break
			}
			item, _ := d.(map[string]any)
			if item == nil {
				item = map[string]any{"value": d}
			}
			item["name"] = names[i][j]
			data[j] = item
		}
	}
	option["tooltip"] = map[string]any{"show": true, "trigger": "item", "formatter": "{b}"}
}
