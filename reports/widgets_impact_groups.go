package reports

import "fmt"

// groupsWidget is "for whom": each outcome's DiD effect within each grade
// group as a dot with its 95% whiskers against a dashed 0, and the table
// with the people in each arm. Hidden rows say why (entity_only under a
// filter, small_group or complementary where the group or the rest of the
// entity is small).
func groupsWidget(b *builder, d ImpactData) Widget {
	w := Widget{ID: "impact-groups", Title: b.t.T("w.groups")}
	w.Table.Columns = []string{b.t.T("col.group"), b.t.T("col.outcome"), b.t.T("col.estimate"), b.t.T("col.lo"), b.t.T("col.hi"), b.t.T("col.did_n"),
		b.t.T("col.p"), b.t.T("col.did_treated"), b.t.T("col.did_control")}
	var cats []string
	var dots, whiskers []any
	var all []Cell
	none := []any{"-", "-", "-", "-", "-"}
	for _, r := range d.Groups {
		group, outcome := b.t.Label("grp."+r.Group, r.Group), b.t.Label("o."+r.Outcome, r.Outcome)
		row := append([]TCell{txt(group), txt(outcome)}, b.cellCols(r.Estimate, 3, true)...)
		e := r.Estimate
		label := group + " · " + outcome
		cats = append(cats, label)
		all = append(all, e)
		if e.Suppressed {
			h := row[2]
			row = append(row, h, h, h)
			for i := 3; i < len(row); i++ {
				row[i].SameWhy = true
			}
			w.Table.Rows = append(w.Table.Rows, row)
			name := label + ": " + b.t.T("suppressed") + " (" + b.t.Why(e.Reason, b.p, false) + ")"
			dots = append(dots, map[string]any{"name": name, "value": "-"})
			whiskers = append(whiskers, map[string]any{"name": name, "value": none})
			continue
		}
		row = append(row, pCell(r.PValue, b.t.lang), intCell(int64(r.NTreated)), intCell(int64(r.NControl)))
		w.Table.Rows = append(w.Table.Rows, row)
		v := round(e.Value, 3)
		name := fmt.Sprintf("%s: %s (%s %s – %s; n=%d)", label, signed(v, b.t.lang), b.t.T("rd.ci.short"),
			signed(e.Lo, b.t.lang), signed(e.Hi, b.t.lang), e.N)
		dots = append(dots, map[string]any{"name": name, "value": v})
		if e.HasCI() {
			whiskers = append(whiskers, map[string]any{"name": name, "value": []any{round(e.Lo, 3), v, v, v, round(e.Hi, 3)}})
		} else {
			whiskers = append(whiskers, map[string]any{"name": name, "value": none})
		}
	}
	w.Option = dotWhiskerRows(w.ID, w.Title, cats, dots, whiskers, b.t.T("estimate"), b.t.T("rd.ci"))
	w.Rows = len(cats)
	w.Note = b.t.T("groups.note")
	b.settle(&w, "src.pilot", all...)
	return w
}

// pCell is a p-value's cell: never "p 0,000", a p-value is not zero.
func pCell(p float64, lang string) TCell {
	s := fmtNum(p, 3, lang)
	if p < 0.001 {
		s = "< " + fmtNum(0.001, 3, lang)
	}
	return TCell{Text: s, Num: round(p, 4), IsNum: true}
}

// dotWhiskerRows is diffChart laid on its side: one row per category
// (long labels read across), the estimate a dot, its 95% interval a
// whisker, 0 a dashed vertical line.
func dotWhiskerRows(id, title string, cats []string, dots, whiskers []any, dotName, ciName string) map[string]any {
	option := diffChart(id, title, cats, dots, whiskers, dotName, ciName)
	for i, d := range dots { // a scatter on a category y axis takes [x, category] pairs
		m := d.(map[string]any)
		m["value"] = []any{m["value"], cats[i]}
	}
	option["xAxis"], option["yAxis"] = []any{map[string]any{"type": "value"}},
		[]any{map[string]any{"type": "category", "data": cats, "inverse": true, "axisLabel": map[string]any{"interval": 0, "width": 150, "overflow": "break", "lineHeight": 14}}}
	option["grid"] = []any{map[string]any{"left": 8, "right": 24, "top": 36, "bottom": 24, "containLabel": true}}
	series := option["series"].([]any)
	series[0].(map[string]any)["layout"] = "horizontal"
	mark := series[1].(map[string]any)["markLine"].(map[string]any)
	mark["data"] = []any{map[string]any{"xAxis": 0}}
	return option
}
