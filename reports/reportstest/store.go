package reportstest

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/bussola-pa/bussola/reports"
)

// Store is the in-memory reports.Store and reports.PipelineSource.
type Store struct {
	people []person
}

var (
	_ reports.Store          = (*Store)(nil)
	_ reports.PipelineSource = (*Store)(nil)
)

// New returns the fixture store.
func New() *Store { return &Store{people: population()} }

// dataStart and dataEnd bound the fixture's records: the 2024 wave's
// answers to the last diary week of 2025-Q1. A period outside them has no
// records at all (an empty period, as a real store returns it).
var dataStart, dataEnd = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 30, 0, 0, 0, 0, time.UTC)

// outside reports whether q's period holds none of the fixture's records.
func outside(q reports.Query) bool {
	return (!q.From.IsZero() && q.From.After(dataEnd)) || (!q.To.IsZero() && q.To.Before(dataStart))
}

func (s *Store) selection(q reports.Query) (sel, entity []person) {
	if outside(q) {
		return nil, nil
	}
	for _, p := range s.people {
		if p.tenant != q.Tenant {
			continue
		}
		entity = append(entity, p)
		if (q.Unit == "" || p.unit == q.Unit) && (q.Grade == "" || p.grade == q.Grade) && (q.Cohort == "" || p.cohort == q.Cohort) {
			sel = append(sel, p)
		}
	}
	return sel, entity
}

func cell(xs []float64) reports.Cell {
	m, lo, hi := meanCI(xs)
	return reports.Cell{Value: m, Lo: lo, Hi: hi, N: len(xs)}
}

func count(n int) reports.Cell { return reports.Cell{Value: float64(n), N: n} }

// Readiness implements reports.Store.
func (s *Store) Readiness(_ context.Context, q reports.Query) (reports.ReadinessData, error) {
	sel, entity := s.selection(q)
	d := reports.ReadinessData{Population: reports.Population{N: len(sel), EntityN: len(entity)},
		Dimensions: Dimensions, DimensionLabels: DimensionLabels}
	units := uniq(sel, func(p person) string { return p.unit })
	for di, dim := range Dimensions {
		var all []float64
		for _, u := range units {
			var xs []float64
			below := 0
			for _, p := range sel {
				if p.unit == u {
					xs = append(xs, p.scores[di])
					if p.scores[di] < 3 {
						below++
					}
				}
			}
			all = append(all, xs...)
			d.Heatmap = append(d.Heatmap, reports.UnitScore{Unit: u, Dimension: dim, Cell: cell(xs)})
			d.Training = append(d.Training, reports.UnitScore{Unit: u, Dimension: dim,
				Cell: reports.Cell{Value: float64(below) / float64(len(xs)), N: len(xs)}})
		}
		d.DimensionTotals = append(d.DimensionTotals, reports.UnitScore{Dimension: dim, Cell: cell(all)})
		levels := make([]int, 5)
		var before []float64
		for _, p := range sel {
			levels[level(p.scores[di])]++
			before = append(before, p.before[di])
		}
		for l, n := range levels {
			d.Distribution = append(d.Distribution, reports.LevelCount{Dimension: dim, Level: fmt.Sprint(l + 1), Cell: count(n)})
		}
		b, a := cell(before), cell(all)
		ch := reports.Cell{Value: a.Value - b.Value, N: min(a.N, b.N)}
		if a.N > 1 {
			half := 1.96 * math.Sqrt(sq((a.Hi-a.Lo)/3.92)+sq((b.Hi-b.Lo)/3.92))
			ch.Lo, ch.Hi = ch.Value-half, ch.Value+half
		}
		d.Waves = append(d.Waves, reports.WaveChange{Dimension: dim, FromWave: "2024", ToWave: "2025", Before: b, After: a, Change: ch})
	}
	segs, stages := make([]int, len(segmentNames)), make([]int, len(stageNames))
	for _, p := range sel {
		seg, stage := segmentAndStage(p.scores)
		segs[seg]++
		stages[stage]++
	}
	for i, k := range segmentNames {
		d.Segments = append(d.Segments, reports.CategoryCount{Category: k, Cell: count(segs[i])})
	}
	for i, k := range stageNames {
		d.Stages = append(d.Stages, reports.CategoryCount{Category: k, Cell: count(stages[i])})
	}
	return d, nil
}

// The fixture's segments and barrier stages.
var (
	segmentNames = []string{"Da accompagnare", "In crescita", "Autonomi"}
	stageNames   = []string{"consapevolezza", "desiderio", "conoscenza", "abilità", "consolidamento"}
)

// segmentAndStage returns the indexes of a person's segment (by the mean
// score) and barrier stage (the area of the lowest score).
func segmentAndStage(scores [5]float64) (seg, stage int) {
	m := 0.0
	for _, x := range scores {
		m += x / 5
	}
	switch {
	case m < 2.5:
		seg = 0
	case m < 3.3:
		seg = 1
	default:
		seg = 2
	}
	return seg, slices.Index(scores[:], slices.Min(scores[:]))
}

// level is the index of a score's level (1-5, index 0-4) in the fixture.
func level(x float64) int { return int(math.Min(4, math.Floor(x-1))) }

func sq(x float64) float64 { return x * x }

// weeks returns 12 ISO week starts from 2025-01-06, cut to the query period.
func weeks(q reports.Query) []string {
	var out []string
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 12; i++ {
		w := start.AddDate(0, 0, 7*i)
		if (!q.From.IsZero() && w.Before(q.From)) || (!q.To.IsZero() && w.After(q.To)) {
			continue
		}
		out = append(out, w.Format(time.DateOnly))
	}
	return out
}

// Impact implements reports.Store.
func (s *Store) Impact(_ context.Context, q reports.Query) (reports.ImpactData, error) {
	sel, entity := s.selection(q)
	d := reports.ImpactData{Population: reports.Population{N: len(sel), EntityN: len(entity)}, Outcome: "giorni_attivi",
		Pilot: &reports.PilotInfo{Title: "Lavoro agile 2025", From: "2025-01-06", To: "2025-03-30",
			Cohorts: []reports.PilotCohortInfo{{ID: "onda-1", Start: "2025-02-03"}, {ID: "onda-2", Start: "2025-03-03"}}}}
	var treated, control int
	for _, p := range sel {
		if p.cohort == "confronto" {
			control++
		} else {
			treated++
		}
	}
	for k := -4; k <= 8; k++ {
		est := 0.0
		if k >= 0 {
			est = 0.35 * (1 - math.Exp(-float64(k+1)/3))
		}
		if k == -1 {
			d.EventStudy = append(d.EventStudy, reports.EventPoint{RelWeek: k, Cell: reports.Cell{Value: 0, N: treated}})
			continue
		}
		half := 0.12 + 0.01*math.Abs(float64(k))
		d.EventStudy = append(d.EventStudy, reports.EventPoint{RelWeek: k, Cell: reports.Cell{Value: est + 0.02*math.Sin(float64(k)), Lo: est - half, Hi: est + half, N: treated}})
	}
	d.DiD = []reports.DiDRow{
		{Outcome: "giorni_attivi", Estimate: reports.Cell{Value: 0.31, Lo: 0.12, Hi: 0.50}, PValue: 0.002, NTreated: treated, NControl: control},
		{Outcome: "produttività", Estimate: reports.Cell{Value: 0.18, Lo: -0.05, Hi: 0.41}, PValue: 0.13, NTreated: treated, NControl: control},
	}
	d.Groups = groupEffects(sel)
	for i, w := range weeks(q) {
		for _, g := range []string{"pilot", "comparison"} {
			n := treated * 3 / 5
			lift := 0.02 * float64(i)
			if g == "comparison" {
				n, lift = control*3/5, 0
			}
			for ri, r := range []string{"productivity", "work_life_balance", "connection"} {
				m := 3.2 + 0.1*float64(ri) + lift
				d.Diary = append(d.Diary, reports.DiaryPoint{Week: w, Group: g, Rating: r, Cell: reports.Cell{Value: m, Lo: m - 0.2, Hi: m + 0.2, N: n}})
			}
		}
		for ci, c := range []string{"onda-1", "onda-2", "confronto"} {
			n := 0
			for _, p := range sel {
				if p.cohort == c {
					n++
				}
			}
			share := 0.35 + 0.03*float64(i)*float64(2-ci)/2
			d.Adoption = append(d.Adoption, reports.SeriesPoint{Week: w, Series: c, Cell: reports.Cell{Value: math.Min(share, 0.95), N: n}})
		}
	}
	for _, c := range []string{"onda-1", "onda-2", "confronto"} {
		inv, resp := 0, 0
		for _, p := range sel {
			if p.cohort == c {
				inv++
				if p.responded {
					resp++
				}
			}
		}
		rate := 0.0
		if inv > 0 {
			rate = float64(resp) / float64(inv)
		}
		d.Participation = append(d.Participation, reports.CategoryCount{Category: c, Cell: reports.Cell{Value: rate, N: inv}})
	}
	// Themes: notes mentioning each of the notes of each period (120
	// before, 200 after, scaled to the selection), people who wrote them.
	themes := []struct {
		term          string
		before, after int // people
	}{{"traffico", 18, 9}, {"riunioni", 15, 16}, {"concentrazione", 11, 21}, {"lavoro agile", 4, 17}, {"stampante", 6, 3}}
	scale := func(n int) int { return n * len(sel) / max(1, len(entity)) }
	for _, t := range themes {
		for _, p := range []struct {
			period       string
			people, nots int
		}{{"before", scale(t.before), scale(120)}, {"after", scale(t.after), scale(200)}} {
			d.Terms = append(d.Terms, reports.TermCount{Period: p.period, Term: t.term, Theme: t.term, Notes: p.nots,
				Cell: reports.Cell{Value: float64(p.people * 2), N: p.people}})
		}
	}
	return d, nil
}

func (s *Store) kpis(sel []person) []reports.KPI {
	var cur, prev []float64
	resp := 0
	for _, p := range sel {
		m, b := 0.0, 0.0
		for d := range p.scores {
			m += (p.scores[d] - 1) / 4 * 100 / 5
			b += (p.before[d] - 1) / 4 * 100 / 5
		}
		cur, prev = append(cur, m), append(prev, b)
		if p.responded {
			resp++
		}
	}
	c, pr := cell(cur), cell(prev)
	ch := reports.Cell{Value: c.Value - pr.Value, N: min(c.N, pr.N)}
	half := 1.96 * math.Sqrt(sq((c.Hi-c.Lo)/3.92)+sq((pr.Hi-pr.Lo)/3.92))
	ch.Lo, ch.Hi = ch.Value-half, ch.Value+half
	n := len(sel)
	rr := 0.0
	if n > 0 {
		rr = float64(resp) / float64(n)
	}
	w25, w24 := reports.Span{Wave: "2025"}, reports.Span{Wave: "2024"}
	// The behavioural KPIs: the last four fixture weeks against the four then.
	now := reports.Span{From: time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC), To: dataEnd}
	then := reports.Span{From: time.Date(2025, 2, 3, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)}
	// Their trends: the two card windows and two windows before them, the
	// oldest with 3 people (a small group the page must hide); response
	// rate per wave.
	early := reports.Span{From: time.Date(2024, 12, 9, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 1, 5, 0, 0, 0, 0, time.UTC)}
	jan := reports.Span{From: time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 2, 2, 0, 0, 0, 0, time.UTC)}
	bins := func(vals [4]float64, ci float64) []reports.TrendPoint {
		var out []reports.TrendPoint
		for i, sp := range []reports.Span{early, jan, then, now} {
			k := n
			if i == 0 {
				k = min(n, 3)
			}
			out = append(out, reports.TrendPoint{Period: sp, Label: sp.From.Format(time.DateOnly) + "/" + sp.To.Format(time.DateOnly),
				Cell: reports.Cell{Value: vals[i], Lo: vals[i] - ci, Hi: vals[i] + ci, N: k}})
		}
		return out
	}
	waves := []reports.TrendPoint{{Period: w24, Label: "2024", Cell: reports.Cell{Value: 0.74, Lo: 0.68, Hi: 0.80, N: n}},
		{Period: w25, Label: "2025", Cell: reports.Cell{Value: rr, Lo: rr - 0.06, Hi: rr + 0.06, N: n}}}
	return []reports.KPI{
		{Key: "readiness_index", Unit: "points", Current: c, Previous: pr, Change: ch, Period: w25, PreviousPeriod: w24},
		{Key: "adoption_rate", Unit: "share", Current: reports.Cell{Value: 0.62, N: n}, Previous: reports.Cell{Value: 0.48, N: n}, Change: reports.Cell{Value: 0.14, Lo: 0.08, Hi: 0.20}, Period: now, PreviousPeriod: then,
			Series: bins([4]float64{0.40, 0.45, 0.48, 0.62}, 0.05)},
		{Key: "wellbeing", Unit: "rating", Current: reports.Cell{Value: 3.61, N: n}, Previous: reports.Cell{Value: 3.55, N: n}, Change: reports.Cell{Value: 0.06, Lo: -0.08, Hi: 0.20}, Period: now, PreviousPeriod: then,
			Series: bins([4]float64{3.42, 3.50, 3.55, 3.61}, 0.1)},
		{Key: "response_rate", Unit: "share", Current: reports.Cell{Value: rr, N: n}, Previous: reports.Cell{Value: 0.74, N: n}, Change: reports.Cell{Value: rr - 0.74, Lo: rr - 0.80, Hi: rr - 0.68}, Period: w25, PreviousPeriod: w24,
			Series: waves},
	}
}

// Executive implements reports.Store.
func (s *Store) Executive(_ context.Context, q reports.Query) (reports.ExecutiveData, error) {
	sel, entity := s.selection(q)
	d := reports.ExecutiveData{Population: reports.Population{N: len(sel), EntityN: len(entity)}, KPIs: s.kpis(sel)}
	if len(q.Tenants) > 1 {
		for _, t := range q.Tenants {
			_, ent := s.selection(reports.Query{Tenant: t})
			for _, k := range s.kpis(ent) {
				d.Benchmark = append(d.Benchmark, reports.BenchmarkCell{Tenant: t, KPI: k.Key, Cell: k.Current})
			}
		}
	}
	return d, nil
}

// Communication implements reports.Store.
func (s *Store) Communication(_ context.Context, q reports.Query) (reports.CommunicationData, error) {
	sel, entity := s.selection(q)
	d := reports.CommunicationData{Population: reports.Population{N: len(sel), EntityN: len(entity)}}
	n := len(sel)
	for i, sec := range []string{"Notizie", "Modulistica", "Rubrica", "Formazione", "Welfare"} {
		m := 3.1 + 0.25*float64(i%3)
		k := n * (6 - i) / 8
		d.Ratings = append(d.Ratings, reports.CategoryCount{Category: sec, Cell: reports.Cell{Value: m, Lo: m - 0.3, Hi: m + 0.3, N: k}})
	}
	for i, r := range []string{"informazione trovata", "contenuto chiaro", "contenuto non aggiornato", "difficile da trovare", "altro"} {
		d.Reasons = append(d.Reasons, reports.CategoryCount{Category: r, Cell: count(n * []int{9, 6, 3, 2, 0}[i] / 20)})
	}
	for _, t := range q.Tenants {
		for i, ch := range []string{"intranet", "newsletter", "bacheca digitale", "app mobile"} {
			d.Channels = append(d.Channels, reports.Channel{Tenant: t, Channel: ch, Active: i < 3 || t == TenantA})
		}
	}
	refs := 0
	for _, p := range sel {
		if p.referent {
			refs++
		}
	}
	for i, w := range weeks(q) {
		active := refs - i%3
		d.Publishing = append(d.Publishing, reports.SeriesPoint{Week: w, Series: "pubblicazioni", Cell: reports.Cell{Value: float64(active * (2 + i%4)), N: max(active, 0)}})
	}
	return d, nil
}

// Options implements reports.Store.
func (s *Store) Options(_ context.Context, tenant string) (reports.FilterOptions, error) {
	sel, _ := s.selection(reports.Query{Tenant: tenant})
	o := reports.FilterOptions{
		Units:   uniq(sel, func(p person) string { return p.unit }),
		Grades:  uniq(sel, func(p person) string { return p.grade }),
		Cohorts: uniq(sel, func(p person) string { return p.cohort }),
	}
	slices.Sort(o.Units)
	slices.Sort(o.Grades)
	slices.Sort(o.Cohorts)
	return o, nil
}

// Pipeline implements reports.PipelineSource.
func (s *Store) Pipeline(_ context.Context, tenants []string) (reports.PipelineData, error) {
	at := time.Date(2025, 3, 31, 9, 0, 0, 0, time.UTC)
	d := reports.PipelineData{At: at,
		Streams: []reports.StreamTotals{{Stream: "diary", Topic: "bussola.diary.v1", Rows: 2870, Accepted: 2880, Rejected: 4, DeadLettered: 2},
			{Stream: "survey", Topic: "bussola.survey.v1", Rows: 11517, Accepted: 11520, Rejected: 0, DeadLettered: 3},
			{Stream: "intranet", Topic: "bussola.intranet.v1", Rows: 1484880, Accepted: 1485000, Rejected: 31, DeadLettered: 14}},
		Rates: []reports.TopicRate{{Topic: "bussola.intranet.v1", PerSecond: 412.5, LastHour: 1485000}, {Topic: "bussola.survey.v1", PerSecond: 3.2, LastHour: 11520}, {Topic: "bussola.diary.v1", PerSecond: 0.8, LastHour: 2880}},
		Lag:   []reports.PartitionLag{{Group: "bussola-ingest", Topic: "bussola.intranet.v1", Partition: 0, Lag: 120}, {Group: "bussola-ingest", Topic: "bussola.intranet.v1", Partition: 1, Lag: 95}, {Group: "bussola-ingest", Topic: "bussola.survey.v1", Partition: 0, Lag: 0}},
	}
	all := []reports.DeadLetterCount{
		{Tenant: TenantA, Source: "bussola.intranet.v1", Reason: "invalid: ts out of range", Count: 14, Last: at.Add(-time.Hour)},
		{Tenant: TenantA, Source: "bussola.survey.v1", Reason: "invalid: unknown instrument", Count: 3, Last: at.Add(-26 * time.Hour)},
		{Tenant: TenantB, Source: "bussola.diary.v1", Reason: "invalid: productivity out of range", Count: 2, Last: at.Add(-3 * time.Hour)},
	}
	for _, x := range all {
		if slices.Contains(tenants, x.Tenant) {
			d.DeadLetters = append(d.DeadLetters, x)
		}
	}
	return d, nil
}
