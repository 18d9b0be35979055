package reports

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// KPIView is a KPI formatted for a card, with its generated sentence.
type KPIView struct {
	Key, Label, Current, Change, CI, Sentence string
	Hidden                                    bool
	// Empty marks a KPI with nobody in its period: no number, Why says
	// what the period lacks.
	Empty bool
	Why   string
	Trend string // up, down, flat
	// Period and Compare name the current and the comparison period.
	Period, Compare string
}

// spanLabel names a period for a card: "rilevazione 2025" or
// "03/03/2025 – 30/03/2025"; fallback when the store did not say.
func (b *builder) spanLabel(s Span, fallback string) string {
	switch {
	case s.Wave != "" && b.waveName(s.Wave) != s.Wave:
		return b.waveName(s.Wave)
	case s.Wave != "":
		return b.t.F("per.wave", s.Wave)
	case !s.From.IsZero() && !s.To.IsZero():
		return b.t.F("per.span", b.t.Date(s.From), b.t.Date(s.To))
	}
	return b.t.T(fallback)
}

// spanPhrase is a period inside a sentence, with its preposition: kind is
// "in" ("nella rilevazione 2025") or "vs" ("rispetto al periodo dal ...").
func (b *builder) spanPhrase(kind string, s Span) string {
	switch {
	case s.Wave != "" && b.waveName(s.Wave) != s.Wave:
		return b.t.F("per."+kind+".named", b.waveName(s.Wave))
	case s.Wave != "":
		return b.t.F("per."+kind+".wave", s.Wave)
	case !s.From.IsZero() && !s.To.IsZero():
		return b.t.F("per."+kind+".span", b.t.Date(s.From), b.t.Date(s.To))
	}
	return b.t.T("per." + kind + ".none")
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
// Every card names its period and its comparison period; a KPI with
// nobody in its period says so instead of showing 0.
func kpiViews(b *builder, d ExecutiveData) []KPIView {
	var out []KPIView
	for _, k := range d.KPIs {
		v := KPIView{Key: k.Key, Label: b.t.Label("kpi."+k.Key, k.Key),
			Period: b.spanLabel(k.Period, "per.selected"), Compare: b.spanLabel(k.PreviousPeriod, "per.previous")}
		if k.Current.Suppressed {
			v.Hidden, v.Why = true, b.t.Why(k.Current.Reason, b.p, false)
			v.Sentence = b.t.F("s.hidden", v.Label)
			out = append(out, v)
			continue
		}
		if k.Current.N == 0 {
			src := "kpi.src." + k.Key
			if _, ok := messages[src]; !ok {
				src = "src.kpi"
			}
			v.Empty, v.Trend, v.Why = true, "flat", b.noData(src)
			v.Period, v.Compare = b.spanLabel(Span{From: b.q.From, To: b.q.To}, "per.selected"), ""
			v.Sentence = b.t.F("s.empty", v.Label, lowerFirst(v.Why))
			out = append(out, v)
			continue
		}
		v.Current = fmtKPI(b, k.Unit, k.Current.Value, false)
		in, vs := b.spanPhrase("in", k.Period), b.spanPhrase("vs", k.PreviousPeriod)
		if k.Change.Suppressed || k.Previous.N == 0 {
			v.Trend = "flat"
			v.Sentence = b.t.F("s.nochange", v.Label, v.Current, in)
			if k.Previous.N == 0 {
				v.Compare = ""
			}
			out = append(out, v)
			continue
		}
		v.Change = fmtKPI(b, k.Unit, k.Change.Value, true)
		v.Trend = "flat"
		if k.Change.HasCI() {
			v.CI = b.t.F("s.ci", fmtKPI(b, k.Unit, k.Change.Lo, true), fmtKPI(b, k.Unit, k.Change.Hi, true))
			switch {
			case k.Change.Lo > 0:
				v.Trend = "up"
			case k.Change.Hi < 0:
				v.Trend = "down"
			}
		}
		if v.Trend == "flat" {
			v.Sentence = b.t.F("s.flat", v.Label, v.Current, in, vs, v.Change)
		} else {
			v.Sentence = b.t.F("s."+v.Trend, v.Label, v.Current, in, v.Change, vs)
		}
		out = append(out, v)
	}
	return out
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

func kpiWidget(b *builder, d ExecutiveData) Widget {
	w := Widget{ID: "executive-kpis", Title: b.t.T("w.kpis")}
	w.Table.Columns = []string{b.t.T("col.kpi"), b.t.T("col.current"), b.t.T("col.n"), b.t.T("col.previous"), b.t.T("col.n"),
		b.t.T("col.change"), b.t.T("col.lo"), b.t.T("col.hi"), b.t.T("col.n")}
	for _, k := range d.KPIs {
		row := []TCell{txt(b.t.Label("kpi."+k.Key, k.Key))}
		if k.Unit == "share" {
			row = append(row, b.pctCols(k.Current, false, "%")...)
			row = append(row, b.pctCols(k.Previous, false, "%")...)
			row = append(row, b.pctCols(k.Change, true, " p.p.")...)
		} else {
			digits := 1
			if k.Unit == "rating" {
				digits = 2
			}
			row = append(row, b.cellCols(k.Current, digits, false)...)
			row = append(row, b.cellCols(k.Previous, digits, false)...)
			row = append(row, b.cellCols(k.Change, digits, true)...)
		}
		w.Table.Rows = append(w.Table.Rows, row)
	}
	b.settle(&w, "src.kpi", cellsOf(d.KPIs, func(k KPI) Cell { return k.Current })...)
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
		w.Table.Rows = append(w.Table.Rows, append([]TCell{b.keyed(&w.Table, KindEntity, c.Tenant), txt(b.t.Label("kpi."+c.KPI, c.KPI))}, b.cellCols(c.Cell, 3, false)...))
	}
	if b.q.Filtered() {
		w.Note = b.t.T("bench.unfiltered")
	}
	b.settle(&w, "src.entities", cellsOf(d.Benchmark, func(c BenchmarkCell) Cell { return c.Cell })...)
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
		s := series{Name: b.name(KindEntity, t)}
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
	w.Unit = "0-100"
	if ys, ok := w.Option["yAxis"].([]any); ok && len(ys) > 0 {
		if y, ok := ys[0].(map[string]any); ok {
			y["name"], y["min"], y["max"] = b.t.T("axis.0to100"), 0, 100
		}
	}
	return w
}

func executiveWidgets(b *builder, d ExecutiveData) []Widget {
	ws := append([]Widget{kpiWidget(b, d)}, kpiTrendWidgets(b, d)...)
	if bw := benchmarkWidget(b, d); len(bw.Table.Rows) > 0 {
		ws = append(ws, bw)
	}
	return ws
}
