package reports

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// impactVerdicts are the sentences at the top of the impact page: the
// pilot (title, waves and their start, the period observed), then one per
// outcome saying what the published DiD estimate says and how sure it is.
// They read the suppressed rows only: a hidden estimate says it is not
// shown and why.
func impactVerdicts(b *builder, d ImpactData) []string {
	if d.Pilot == nil {
		return nil
	}
	title := d.Pilot.Title
	var waves []string
	for _, c := range d.Pilot.Cohorts {
		waves = append(waves, b.t.F("verdict.cohort", b.cohort(c.ID), b.day(c.Start)))
	}
	out := []string{b.t.F("verdict.pilot", title, strings.Join(waves, ", "), b.day(d.Pilot.From), b.day(d.Pilot.To))}
	for _, r := range d.DiD {
		name := b.t.Label("o."+r.Outcome, r.Outcome)
		e := r.Estimate
		if e.Suppressed {
			out = append(out, b.t.F("verdict.hidden", name, b.t.Why(e.Reason, b.p, false)))
			continue
		}
		dir := b.t.T("verdict.more")
		if e.Value < 0 {
			dir = b.t.T("verdict.less")
		}
		sure := b.t.T("verdict.unsure")
		if e.HasCI() && (e.Lo > 0 || e.Hi < 0) {
			sure = b.t.T("verdict.sure")
		}
		x := func(v float64) string { return fmtNum(v, 2, b.t.lang) }
		abs := e.Value
		if abs < 0 {
			abs = -abs
		}
		out = append(out, b.t.F("verdict.effect", name, title, x(abs), dir, x(e.Lo), x(e.Hi), sure))
	}
	for _, r := range d.Groups { // "for whom": only where the group's effect is distinguishable from zero
		if e := r.Estimate; !e.Suppressed && e.HasCI() && (e.Lo > 0 || e.Hi < 0) {
			group := r.Group // a configured unit group keeps its capitals; a grade group reads in lower case mid-sentence
			if _, ok := messages["grp."+r.Group]; ok {
				group = strings.ToLower(b.t.T("grp." + r.Group))
			}
			out = append(out, b.t.F("verdict.group", group, b.t.Label("o."+r.Outcome, r.Outcome),
				signed(e.Value, b.t.lang), fmtNum(e.Lo, 2, b.t.lang), fmtNum(e.Hi, 2, b.t.lang)))
		}
	}
	return out
}

// day formats a YYYY-MM-DD day the language's way; any other text is
// returned as it is.
func (b *builder) day(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return b.t.Date(t)
}

func impactWidgets(b *builder, d ImpactData) []Widget {
	tb := *b
	tb.text = true
	return []Widget{eventStudyWidget(b, d), didWidget(b, d), groupsWidget(b, d), diaryWidget(b, d), adoptionWidget(b, d),
		participationWidget(b, d), termsWidget(&tb, d)}
}

func eventStudyWidget(b *builder, d ImpactData) Widget {
	w := Widget{ID: "impact-eventstudy", Title: b.t.T("w.eventstudy")}
	w.Table.Columns = []string{b.t.T("col.relweek"), b.t.T("col.estimate"), b.t.T("col.lo"), b.t.T("col.hi"), b.t.T("col.n")}
	var xs []string
	var est, lo, hi, width []any
	for _, p := range d.EventStudy {
		xs = append(xs, strconv.Itoa(p.RelWeek))
		w.Table.Rows = append(w.Table.Rows, append([]TCell{intCell(int64(p.RelWeek))}, b.cellCols(p.Cell, 3, true)...))
		est = append(est, val(p.Cell, 3))
		if p.Cell.Suppressed || !p.Cell.HasCI() {
			lo, hi, width = append(lo, "-"), append(hi, "-"), append(width, "-")
		} else {
			lo, hi = append(lo, round(p.Cell.Lo, 3)), append(hi, round(p.Cell.Hi, 3))
			width = append(width, round(round(p.Cell.Hi, 3)-round(p.Cell.Lo, 3), 3))
		}
	}
	w.Option = lineChart(w.ID, w.Title, xs, []series{{Name: b.t.T("estimate"), Data: est}, {Name: b.t.T("ci.lo"), Data: lo, Dashed: true},
		{Name: b.t.T("ci.hi"), Data: hi, Dashed: true}}, true, b.t.Label("o."+d.Outcome, d.Outcome))
	withBand(w.Option, lo, width, palette[0])
	b.settle(&w, "src.pilot", cellsOf(d.EventStudy, func(p EventPoint) Cell { return p.Cell })...)
	return w
}

func didWidget(b *builder, d ImpactData) Widget {
	w := Widget{ID: "impact-did", Title: b.t.T("w.did")}
	// All three counts are people: the estimate's N is the smaller arm
	// (the size the privacy minimum is checked against), so it is named so.
	w.Table.Columns = []string{b.t.T("col.outcome"), b.t.T("col.estimate"), b.t.T("col.lo"), b.t.T("col.hi"), b.t.T("col.did_n"),
		b.t.T("col.p"), b.t.T("col.did_treated"), b.t.T("col.did_control")}
	for _, r := range d.DiD {
		row := append([]TCell{txt(b.t.Label("o."+r.Outcome, r.Outcome))}, b.cellCols(r.Estimate, 3, true)...)
		if r.Estimate.Suppressed {
			h := row[1]
			row = append(row, h, h, h)
			for i := 2; i < len(row); i++ { // the reason is said once, in the row's first hidden cell
				row[i].SameWhy = true
			}
		} else {
			row = append(row, pCell(r.PValue, b.t.lang), intCell(int64(r.NTreated)), intCell(int64(r.NControl)))
		}
		w.Table.Rows = append(w.Table.Rows, row)
	}
	b.settle(&w, "src.pilot", cellsOf(d.DiD, func(r DiDRow) Cell { return r.Estimate })...)
	return w // a table: the estimates are read, not eyeballed
}

func diaryWidget(b *builder, d ImpactData) Widget {
	w := Widget{ID: "impact-diary", Title: b.t.T("w.diary")}
	w.Table.Columns = []string{b.t.T("col.week"), b.t.T("col.group"), b.t.T("col.rating"), b.t.T("col.mean"), b.t.T("col.lo"), b.t.T("col.hi"), b.t.T("col.n")}
	var weeks []string
	type key struct{ group, rating string }
	var keys []key
	byKey := map[key]map[string]Cell{}
	for _, p := range d.Diary {
		if !slices.Contains(weeks, p.Week) {
			weeks = append(weeks, p.Week)
		}
		k := key{p.Group, p.Rating}
		if byKey[k] == nil {
			byKey[k] = map[string]Cell{}
			keys = append(keys, k)
		}
		byKey[k][p.Week] = p.Cell
		w.Table.Rows = append(w.Table.Rows, append([]TCell{txt(p.Week), txt(b.t.Label("g."+p.Group, p.Group)), txt(b.t.Label("r."+p.Rating, p.Rating))},
			b.cellCols(p.Cell, 2, true)...))
	}
	slices.Sort(weeks)
	var ss []series
	for _, k := range keys {
		s := series{Name: b.t.Label("r."+k.rating, k.rating) + " · " + b.t.Label("g."+k.group, k.group), Dashed: k.group == "comparison"}
		for _, wk := range weeks {
			s.Data = append(s.Data, val(byKey[k][wk], 2))
		}
		ss = append(ss, s)
	}
	w.Option = lineChart(w.ID, w.Title, weeks, ss, false, "1-5")
	plainLegendBelow(w.Option, len(ss))
	w.Rows = 9 + len(ss)/2 // a taller chart: the legend's rows take room below the plot
	b.settle(&w, "src.diary", cellsOf(d.Diary, func(p DiaryPoint) Cell { return p.Cell })...)
	return w
}

func adoptionWidget(b *builder, d ImpactData) Widget {
	w := Widget{ID: "impact-adoption", Title: b.t.T("w.adoption")}
	w.Table.Columns = []string{b.t.T("col.week"), b.t.T("col.series"), b.t.T("col.share"), b.t.T("col.n")}
	w.Option = seriesLines(b, &w, d.Adoption, 3, 100, "%")
	w.Unit = "%"
	b.settle(&w, "src.intranet", cellsOf(d.Adoption, func(p SeriesPoint) Cell { return p.Cell })...)
	return w
}

// seriesLines fills a table from weekly points and draws one line per
// series, values multiplied by scale.
func seriesLines(b *builder, w *Widget, pts []SeriesPoint, digits int, scale float64, yName string) map[string]any {
	var weeks, names []string
	by := map[string]map[string]Cell{}
	for _, p := range pts {
		if !slices.Contains(weeks, p.Week) {
			weeks = append(weeks, p.Week)
		}
		if by[p.Series] == nil {
			by[p.Series] = map[string]Cell{}
			names = append(names, p.Series)
		}
		by[p.Series][p.Week] = p.Cell
		cols := b.cellCols(p.Cell, digits, false)
		if scale == 100 { // shares
			cols = b.pctCols(p.Cell, false, "%")
		}
		w.Table.Rows = append(w.Table.Rows, append([]TCell{txt(p.Week), txt(b.cohort(p.Series))}, cols...))
	}
	slices.Sort(weeks)
	var ss []series
	for _, n := range names {
		s := series{Name: b.cohort(n)}
		for _, wk := range weeks {
			v := val(by[n][wk], digits)
			if f, ok := v.(float64); ok {
				v = round(f*scale, 2)
			}
			s.Data = append(s.Data, v)
		}
		ss = append(ss, s)
	}
	return lineChart(w.ID, w.Title, weeks, ss, true, yName)
}

func participationWidget(b *builder, d ImpactData) Widget {
	w := categoryWidget(b, "impact-participation", "w.participation", "src.pilot", d.Participation)
	w.Table.Columns = []string{b.t.T("f.cohort"), b.t.T("col.share"), b.t.T("col.n")}
	var cats []string
	var data []any
	for i, c := range d.Participation {
		w.Table.Rows[i] = append([]TCell{txt(b.cohort(c.Category))}, b.pctCols(c.Cell, false, "%")...)
		cats = append(cats, b.cohort(c.Category))
		v := val(c.Cell, 3)
		if f, ok := v.(float64); ok {
			v = round(f*100, 1)
		}
		data = append(data, v)
	}
	w.Option = barChart(w.ID, w.Title+" (%)", cats, []series{{Name: b.t.T("col.share") + " (%)", Data: data}}, false, "", false)
	w.Unit = "%"
	return w
}

// plainLegendBelow lays a chart's legend out below the plot in as many
// rows as it needs, never paged ("1/5"), and leaves the grid room for up
// to n rows (one series a row on a phone).
func plainLegendBelow(option map[string]any, n int) {
	option["legend"] = []any{map[string]any{"show": true, "type": "plain", "bottom": 0, "left": "center", "itemGap": 6}}
	for _, g := range list(option["grid"]) {
		if m, ok := g.(map[string]any); ok {
			m["bottom"] = 30 + 22*n
		}
	}
}

func list(x any) []any {
	switch v := x.(type) {
	case []any:
		return v
	case nil:
		return nil
	}
	return []any{x}
}
