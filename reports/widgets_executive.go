package reports

import "slices"

// KPIView is a KPI formatted for a card, with its generated sentence.
type KPIView struct {
	Key, Label, Current, Change, CI, Sentence string
	Hidden                                    bool
	Why                                       string
	Trend                                     string // up, down, flat
}

func fmtKPI(b *builder, unit string, x float64, signed bool) string {
	s := ""
	switch unit {
	case "share":
		s = fmtNum(x*100, 1, b.t.lang) + "%"
		if signed {
			s = fmtNum(x*100, 1, b.t.lang) + " p.p."
		}
	case "rating":
		s = fmtNum(x, 2, b.t.lang)
	default:
		s = fmtNum(x, 1, b.t.lang)
	}
	if signed && x > 0 {
		s = "+" + s
	}
	return s
}

// kpiViews formats the KPI cards and writes one sentence per KPI from the
// numbers: the direction is claimed only when the 95% CI excludes zero.
func kpiViews(b *builder, d ExecutiveData) []KPIView {
	var out []KPIView
	for _, k := range d.KPIs {
		v := KPIView{Key: k.Key, Label: b.t.Label("kpi."+k.Key, k.Key)}
		if k.Current.Suppressed {
			v.Hidden, v.Why = true, b.t.Why(k.Current.Reason, b.p, false)
			v.Sentence = b.t.F("s.hidden", v.Label)
			out = append(out, v)
			continue
		}
		v.Current = fmtKPI(b, k.Unit, k.Current.Value, false)
		if k.Change.Suppressed || k.Previous.N == 0 {
			v.Trend = "flat"
			v.Sentence = v.Label + ": " + v.Current + "."
			out = append(out, v)
			continue
		}
		v.Change = fmtKPI(b, k.Unit, k.Change.Value, true)
		key := "s.flat"
		v.Trend = "flat"
		if k.Change.HasCI() {
			v.CI = b.t.F("s.ci", fmtKPI(b, k.Unit, k.Change.Lo, true), fmtKPI(b, k.Unit, k.Change.Hi, true))
			switch {
			case k.Change.Lo > 0:
				key, v.Trend = "s.up", "up"
			case k.Change.Hi < 0:
				key, v.Trend = "s.down", "down"
			}
		}
		v.Sentence = b.t.F(key, v.Label, v.Current, v.Change)
		out = append(out, v)
	}
	return out
}

func kpiWidget(b *builder, d ExecutiveData) Widget {
	w := Widget{ID: "executive-kpis", Title: b.t.T("w.kpis")}
	w.Table.Columns = []string{b.t.T("col.kpi"), b.t.T("col.current"), b.t.T("col.n"), b.t.T("col.previous"), b.t.T("col.n"),
		b.t.T("col.change"), b.t.T("col.lo"), b.t.T("col.hi"), b.t.T("col.n")}
	for _, k := range d.KPIs {
		row := []TCell{txt(b.t.Label("kpi."+k.Key, k.Key))}
		row = append(row, b.cellCols(k.Current, 3, false)...)
		row = append(row, b.cellCols(k.Previous, 3, false)...)
		row = append(row, b.cellCols(k.Change, 3, true)...)
		w.Table.Rows = append(w.Table.Rows, row)
	}
	return w
}

func benchmarkWidget(b *builder, d ExecutiveData) Widget {
	w := Widget{ID: "executive-benchmark", Title: b.t.T("w.benchmark")}
	w.Table.Columns = []string{b.t.T("col.tenant"), b.t.T("col.kpi"), b.t.T("col.value"), b.t.T("col.n")}
	var tenants, kpis []string
	by := map[[2]string]Cell{}
	for _, c := range d.Benchmark {
		if !slices.Contains(tenants, c.Tenant) {
			tenants = append(tenants, c.Tenant)
		}
		if !slices.Contains(kpis, c.KPI) {
			kpis = append(kpis, c.KPI)
		}
		by[[2]string{c.Tenant, c.KPI}] = c.Cell
		w.Table.Rows = append(w.Table.Rows, append([]TCell{txt(c.Tenant), txt(b.t.Label("kpi."+c.KPI, c.KPI))}, b.cellCols(c.Cell, 3, false)...))
	}
	if len(tenants) < 2 {
		return w
	}
	unitOf := map[string]string{}
	for _, k := range d.KPIs {
		unitOf[k.Key] = k.Unit
	}
	// One axis for KPIs of different units: every bar is on a 0-100 scale
	// (index points, shares in %, ratings as % of the 1-5 scale); the data
	// table keeps the values in their own units.
	var ss []series
	var labels []string
	for _, k := range kpis {
		label := b.t.Label("kpi."+k, k)
		switch unitOf[k] {
		case "share":
			label += " (%)"
		case "rating":
			label += " (" + b.t.T("unit.scale") + ")"
		}
		labels = append(labels, label)
	}
	for _, t := range tenants {
		s := series{Name: t}
		for _, k := range kpis {
			v := val(by[[2]string{t, k}], 3)
			if f, ok := v.(float64); ok {
				switch unitOf[k] {
				case "share":
					v = round(f*100, 1)
				case "rating":
					v = round((f-1)/4*100, 1)
				}
			}
			s.Data = append(s.Data, v)
		}
		ss = append(ss, s)
	}
	w.Option = withLabelLineHeight(barChart(w.ID, w.Title, wrapLabels(labels), ss, false, "", false), "xAxis")
	if ys, ok := w.Option["yAxis"].([]any); ok && len(ys) > 0 {
		if y, ok := ys[0].(map[string]any); ok {
			y["name"], y["min"], y["max"] = b.t.T("axis.0to100"), 0, 100
		}
	}
	return w
}

func executiveWidgets(b *builder, d ExecutiveData) []Widget {
	ws := []Widget{kpiWidget(b, d)}
	if bw := benchmarkWidget(b, d); len(bw.Table.Rows) > 0 {
		ws = append(ws, bw)
	}
	return ws
}
