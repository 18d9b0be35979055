package attack

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// kind says how a published value adds up over disjoint groups.
type kind int

const (
	// weighted: a mean or share over N people; N*Value adds up.
	weighted kind = iota
	// counted: a count; Value adds up, N is the people behind it.
	counted
)

// Pop is the population a published value is about: a group of the
// organisation chart and a period ("" open).
type Pop struct {
	Group
	From, To string
}

func (p Pop) with(dim, val string) Pop {
	switch dim {
	case "unit":
		p.Unit = val
	case "grade":
		p.Grade = val
	default:
		p.Cohort = val
	}
	return p
}

// String is the population as URL filters.
func (p Pop) String() string {
	var parts []string
	for _, kv := range [][2]string{{"unit", p.Unit}, {"grade", p.Grade}, {"cohort", p.Cohort}, {"from", p.From}, {"to", p.To}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	if len(parts) == 0 {
		return "(entity)"
	}
	return strings.Join(parts, "&")
}

// obs is one published value: a measure (which table and cell) over a
// population, from one source (data.json, CSV export, API).
type obs struct {
	Page    string
	Measure string
	Kind    kind
	Text    bool // a term count: the text minimum applies
	Pop     Pop
	Value   float64
	N       int
	// Err bounds the rounding of Value (0: full precision).
	Err    float64
	Source string // "data.json", "csv", "xlsx", "api"
	// Table marks a figure read from an exported table, named after the
	// table's labels and header: the oracle (the data endpoint's shape)
	// has no such name to check it against.
	Table bool
}

// writersMeasure is the people who wrote a diary entry over a one-day
// population (an upper bound when a group's cell is hidden).
const writersMeasure = "diary writers (at most)"

// smallMax is the most people a cell hidden for its size can hold (the
// default minimum less one).
const smallMax = 4

// cellJSON is a published cell: hidden cells carry only the reason.
type cellJSON struct {
	Value      *float64 `json:"value"`
	N          *int     `json:"n"`
	Suppressed bool     `json:"suppressed"`
	Reason     string   `json:"reason"`
}

// smallHidden says a hidden cell holds 1 to smallMax people: hidden for
// its own size. A complementary cell may hold any number.
func (c cellJSON) smallHidden() bool { return c.Suppressed && c.Reason == "small_group" }

func (c cellJSON) visible() bool { return !c.Suppressed && c.Value != nil && c.N != nil }

// pageData is the union of the pages' data the attacker reads.
type pageData struct {
	DimensionLabels map[string]string `json:"dimension_labels"`
	Heatmap         []struct {
		Unit, Dimension string
		Cell            cellJSON
	} `json:"heatmap"`
	DimensionTotals []struct {
		Dimension string
		Cell      cellJSON
	} `json:"dimension_totals"`
	Training []struct {
		Unit, Dimension string
		Cell            cellJSON
	} `json:"training"`
	Distribution []struct {
		Dimension, Level string
		Cell             cellJSON
	} `json:"distribution"`
	Segments []catJSON `json:"segments"`
	Stages   []catJSON `json:"stages"`
	Waves    []struct {
		Dimension     string
		ToWave        string `json:"to_wave"`
		Before, After cellJSON
	} `json:"waves"`
	Diary []struct {
		Week, Group, Rating string
		Cell                cellJSON
	} `json:"diary"`
	Adoption []struct {
		Week, Series string
		Cell         cellJSON
	} `json:"adoption"`
	Participation []catJSON `json:"participation"`
	Terms         []struct {
		Period, Term string
		Cell         cellJSON
	} `json:"terms"`
	KPIs []struct {
		Key               string
		Current, Previous cellJSON
	} `json:"kpis"`
	Ratings    []catJSON `json:"ratings"`
	Reasons    []catJSON `json:"reasons"`
	Publishing []struct {
		Week string
		Cell cellJSON
	} `json:"publishing"`
}

type catJSON struct {
	Category string
	Cell     cellJSON
}

// observeData turns a page's data (data.json's "data", or the oracle's
// answer) for population p into observations.
func observeData(page string, p Pop, raw []byte, source string) ([]obs, error) {
	var d pageData
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("%s %s: %w", page, source, err)
	}
	var out []obs
	add := func(measure string, k kind, pop Pop, c cellJSON) {
		if c.visible() {
			out = append(out, obs{Page: page, Measure: measure, Kind: k, Pop: pop, Value: *c.Value, N: *c.N, Source: source})
		}
	}
	label := func(dim string) string {
		if l, ok := d.DimensionLabels[dim]; ok {
			return l
		}
		return dim
	}
	// The heatmap and its totals are the latest wave's scores, which the
	// assessment API also serves: one measure.
	wave := ""
	if len(d.Waves) > 0 {
		wave = " (wave " + d.Waves[0].ToWave + ")"
	}
	unitPop := func(u string) (Pop, bool) {
		if p.Unit != "" && p.Unit != u {
			return p, false
		}
		return p.with("unit", u), true
	}
	for _, c := range d.Heatmap {
		if up, ok := unitPop(c.Unit); ok {
			add("mean score: "+label(c.Dimension)+wave, weighted, up, c.Cell)
		}
	}
	for _, c := range d.DimensionTotals {
		add("mean score: "+label(c.Dimension)+wave, weighted, p, c.Cell)
	}
	for _, c := range d.Training {
		if up, ok := unitPop(c.Unit); ok {
			add("share below target: "+label(c.Dimension), weighted, up, c.Cell)
		}
	}
	for _, c := range d.Distribution {
		add("people at level "+c.Level+": "+label(c.Dimension), counted, p, c.Cell)
	}
	for _, c := range d.Segments {
		add("people in segment "+c.Category, counted, p, c.Cell)
	}
	for _, c := range d.Stages {
		add("people at stage "+c.Category, counted, p, c.Cell)
	}
	for _, w := range d.Waves {
		add("mean score, earlier wave: "+label(w.Dimension), weighted, p, w.Before)
		add("mean score, later wave: "+label(w.Dimension), weighted, p, w.After)
	}
	// A diary mean is over entries, N over people: they add up only when
	// everyone has one entry, i.e. over a one-day period. Over one day the
	// diary also says how many people wrote: N of each group's cell, or at
	// most minimum-1 when the cell is hidden for its size.
	if p.From != "" && p.From == p.To {
		writers, groups, bounded := 0, map[string]bool{}, true
		for _, c := range d.Diary {
			add("diary "+c.Rating+" ("+c.Group+") on "+p.From, weighted, p, c.Cell)
			if groups[c.Group] {
				continue
			}
			groups[c.Group] = true
			switch {
			case c.Cell.visible():
				writers += *c.Cell.N
			case c.Cell.smallHidden():
				writers += smallMax
			case c.Cell.Suppressed:
				bounded = false // no bound on a complementary cell
			}
		}
		if len(groups) > 0 && bounded {
			out = append(out, obs{Page: page, Measure: writersMeasure, Kind: counted, Pop: p, N: writers, Value: float64(writers), Source: source})
		}
	}
	// Over any period the diary series says how many people wrote in each
	// of its weeks (at most, where hidden): the people behind a one-week
	// shift of the terms' window.
	if p.From != p.To || p.From == "" {
		writers := map[string]int{}
		groups, unknown := map[string]bool{}, map[string]bool{}
		for _, c := range d.Diary {
			if groups[c.Week+c.Group] {
				continue
			}
			groups[c.Week+c.Group] = true
			switch {
			case c.Cell.visible():
				writers[c.Week] += *c.Cell.N
			case c.Cell.smallHidden():
				writers[c.Week] += smallMax
			case c.Cell.Suppressed:
				unknown[c.Week] = true // no bound on a complementary cell
			}
		}
		for week, n := range writers {
			if unknown[week] {
				continue
			}
			wp := Pop{Group: p.Group, From: week, To: shiftDay(week, 6)}
			out = append(out, obs{Page: page, Measure: writersMeasure, Kind: counted, Pop: wp, N: n, Value: float64(n), Source: source})
		}
	}
	for _, c := range d.Adoption {
		if p.Cohort == "" || p.Cohort == c.Series {
			add("adoption week "+c.Week, weighted, p.with("cohort", c.Series), c.Cell)
		}
	}
	for _, c := range d.Participation {
		if p.Cohort == "" || p.Cohort == c.Category {
			add("participation", weighted, p.with("cohort", c.Category), c.Cell)
		}
	}
	for _, c := range d.Terms {
		if c.Cell.visible() {
			out = append(out, obs{Page: page, Measure: "entries with term " + strconv.Quote(c.Term) + " " + c.Period, Kind: counted, Text: true,
				Pop: p, Value: *c.Cell.Value, N: *c.Cell.N, Source: source})
		}
	}
	for _, k := range d.KPIs {
		add("KPI "+k.Key+" (current)", weighted, p, k.Current)
		add("KPI "+k.Key+" (previous)", weighted, p, k.Previous)
	}
	for _, c := range d.Ratings {
		add("page rating: "+c.Category, weighted, p, c.Cell)
	}
	for _, c := range d.Reasons {
		add("feedback reason: "+c.Category, counted, p, c.Cell)
	}
	for _, c := range d.Publishing {
		add("items published week "+c.Week, counted, p, c.Cell)
	}
	return out, nil
}

// observeHeatmapCSV reads the readiness heatmap's CSV export (unit,
// dimension label, mean at 2 decimals, lo, hi, n; the total row has the
// unit "all" in the page's language).
func observeHeatmapCSV(p Pop, raw []byte, allLabel, wave string) ([]obs, error) {
	rows, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("heatmap csv: %w", err)
	}
	var out []obs
	for i, r := range rows {
		if i == 0 || len(r) < 6 {
			continue
		}
		v, err1 := strconv.ParseFloat(r[2], 64)
		n, err2 := strconv.Atoi(r[5])
		if err1 != nil || err2 != nil {
			continue // hidden
		}
		pop := p
		if r[0] != allLabel {
			if p.Unit != "" && p.Unit != r[0] {
				continue
			}
			pop = p.with("unit", r[0])
		}
		out = append(out, obs{Page: "readiness", Measure: "mean score: " + r[1] + wave, Kind: weighted, Pop: pop, Value: v, N: n,
			Err: halfULP(r[2]), Source: "csv"})
	}
	return out, nil
}

// halfULP is half a unit of the last decimal written in s.
func halfULP(s string) float64 {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return 0.5 * math.Pow(10, -float64(len(s)-i-1))
	}
	return 0.5
}

// apiResults is the assessment API's answer.
type apiResults struct {
	Wave   string `json:"wave"`
	Scores []struct {
		Group, Dimension string
		N                *int
		Mean             *float64
		Suppressed       bool
	} `json:"scores"`
	Totals []struct {
		Dimension  string
		N          *int
		Mean       *float64
		Suppressed bool
	} `json:"totals"`
	Index []struct {
		Group      string
		N          *int
		Mean       *float64
		Suppressed bool
	} `json:"index"`
	IndexTotal *struct {
		N          *int
		Mean       *float64
		Suppressed bool
	} `json:"index_total"`
}

// indexMeasure is the mean readiness index of the latest wave: the
// executive page's KPI and the assessment API's index are one measure.
const indexMeasure = "KPI readiness_index (current)"

// observeAPI reads the assessment results grouped by dim.
func observeAPI(dim string, raw []byte, labels map[string]string) ([]obs, error) {
	var r apiResults
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("assessment api: %w", err)
	}
	label := func(d string) string {
		if l, ok := labels[d]; ok {
			return l
		}
		return d
	}
	var out []obs
	measure := func(d string) string { return "mean score: " + label(d) + " (wave " + r.Wave + ")" }
	for _, c := range r.Scores {
		if !c.Suppressed && c.N != nil && c.Mean != nil {
			out = append(out, obs{Page: "assessment-api", Measure: measure(c.Dimension), Kind: weighted,
				Pop: Pop{}.with(dim, c.Group), Value: *c.Mean, N: *c.N, Source: "api"})
		}
	}
	for _, c := range r.Index {
		if !c.Suppressed && c.N != nil && c.Mean != nil {
			out = append(out, obs{Page: "assessment-api", Measure: indexMeasure, Kind: weighted,
				Pop: Pop{}.with(dim, c.Group), Value: *c.Mean, N: *c.N, Source: "api"})
		}
	}
	if c := r.IndexTotal; c != nil && !c.Suppressed && c.N != nil && c.Mean != nil {
		out = append(out, obs{Page: "assessment-api", Measure: indexMeasure, Kind: weighted, Value: *c.Mean, N: *c.N, Source: "api"})
	}
	for _, c := range r.Totals {
		if !c.Suppressed && c.N != nil && c.Mean != nil {
			out = append(out, obs{Page: "assessment-api", Measure: measure(c.Dimension), Kind: weighted, Value: *c.Mean, N: *c.N, Source: "api"})
		}
	}
	return out, nil
}
