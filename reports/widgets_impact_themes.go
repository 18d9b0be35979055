package reports

import (
	"slices"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// termsWidget shows the diary's themes before and after the pilot start
// per 100 notes of each period (so more notes after the start do not read
// as more talk of everything), with the people who wrote them and the
// notes counted. A period's figure is shown only where at least the text
// minimum of people wrote about the theme; hidden counts are dropped
// upstream with their labels, so a missing period reads "-".
func termsWidget(b *builder, d ImpactData) Widget {
	w := Widget{ID: "impact-terms", Title: b.t.T("w.themes"), Text: true}
	w.Table.Columns = []string{b.t.T("col.theme"), b.t.T("th.before"), b.t.T("th.people.before"), b.t.T("th.after"), b.t.T("th.people.after"), b.t.T("th.change")}
	type theme struct {
		surface string
		per100  [2]float64
		people  [2]int
		has     [2]bool
		change  *float64
	}
	var keys []string
	themes := map[string]*theme{}
	var notes [2]int
	for _, t := range d.Terms {
		key := t.themeKey()
		th := themes[key]
		if th == nil {
			th = &theme{surface: t.Term}
			themes[key] = th
			keys = append(keys, key)
		}
		p := 0
		if t.Period == "after" {
			p = 1
		}
		notes[p] = t.Notes
		if t.Per100 != nil {
			th.per100[p], th.people[p], th.has[p] = *t.Per100, t.Cell.N, true
		}
		if t.Change != nil {
			th.change = t.Change
		}
	}
	var cats []string
	var before, after []any
	num := func(x float64) TCell {
		return TCell{Text: fmtNum(x, 1, b.t.lang), Num: x, IsNum: true, Decimals: 1}
	}
	for _, k := range keys {
		th := themes[k]
		row := []TCell{txt(th.surface)}
		var bar [2]any
		for p := range 2 {
			bar[p] = "-"
			if th.has[p] {
				row = append(row, num(th.per100[p]), intCell(int64(th.people[p])))
				bar[p] = th.per100[p]
			} else {
				row = append(row, txt("-"), txt("-"))
			}
		}
		if th.change != nil {
			c := num(*th.change)
			if c.Num > 0 {
				c.Text = "+" + c.Text
			}
			row = append(row, c)
		} else {
			row = append(row, txt("-"))
		}
		w.Table.Rows = append(w.Table.Rows, row)
		cats = append(cats, th.surface)
		before, after = append(before, bar[0]), append(after, bar[1])
	}
	w.Option = barChart(w.ID, w.Title, cats, []series{{Name: b.t.T("th.series.before"), Data: before}, {Name: b.t.T("th.series.after"), Data: after}}, true, "", false)
	w.Rows = len(cats)
	if len(keys) > 0 {
		w.Note = b.t.F("th.note", fmtInt(notes[0], b.t.lang), fmtInt(notes[1], b.t.lang), b.p.MinText)
	}
	b.settle(&w, "src.diary", cellsOf(d.Terms, func(t TermCount) Cell { return t.Cell })...)
	if w.State == StateEmpty && d.Population.N > 0 && !slices.ContainsFunc(d.Terms, func(t TermCount) bool { return t.Cell.N > 0 }) {
		// Hidden themes are dropped, not marked (their words would show):
		// a selection with people and no theme has every theme withheld.
		w.State, w.Why = StateWithheld, b.t.Why(ReasonSmallGroup, b.p, true)
	}
	return w
}

// fmtInt is a whole number with the language's thousands separator
// (1.234 in Italian, 1,234 in English).
func fmtInt(n int, lang string) string {
	tag := language.English
	if lang == "it" {
		tag = language.Italian
	}
	return message.NewPrinter(tag).Sprintf("%d", n)
}
