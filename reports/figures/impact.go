package figures

import (
	"context"
	"sync"
	"time"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/analytics/text"
	"github.com/bussola-pa/bussola/reports"
)

// termsTopN is the number of diary themes shown.
const termsTopN = 15

// termPeriods are the periods of the term counts, in display order.
var termPeriods = []string{"before", "after"}

var outcomeLabels = map[string][2]string{
	analytics.OutcomeCloud: {"Azioni con strumenti cloud per settimana", "Cloud-tool actions per week"},
	"productivity":         {"Produttività (diario, 1-5)", "Productivity (diary, 1-5)"},
	"work_life_balance":    {"Equilibrio vita-lavoro (diario, 1-5)", "Work-life balance (diary, 1-5)"},
	"connection":           {"Legame con i colleghi (diario, 1-5)", "Connection with colleagues (diary, 1-5)"},
}

func outcomeLabel(id, lang string) string {
	l, ok := outcomeLabels[id]
	if !ok {
		return id
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// Impact implements reports.Store: the adoption series of every tenant;
// with a pilot, the participation shares, the staggered effects (event
// study and DiD table), the diary series and the diary terms before and
// after each writer's start. The estimators run at once.
func (s *Store) Impact(ctx context.Context, q reports.Query) (reports.ImpactData, error) {
	return memo(s, ctx, resultKey("impact", q), func(ctx context.Context) (reports.ImpactData, error) {
		p, err := s.ImpactPanels(ctx, q)
		if err != nil {
			return reports.ImpactData{}, err
		}
		return impact(p, lang(q)), nil
	})
}

func impact(p ImpactPanels, lg string) reports.ImpactData {
	d := reports.ImpactData{Outcome: outcomeLabel(analytics.OutcomeCloud, lg), Population: p.Population}
	if p.Pilot == nil {
		d.Adoption = adoption(p.Intranet, nil)
		return d
	}
	d.Pilot = &reports.PilotInfo{Title: p.Pilot.Title, From: p.Pilot.PreStart, To: p.Pilot.PostEnd}
	for _, c := range p.Pilot.Cohorts {
		d.Pilot.Cohorts = append(d.Pilot.Cohorts, reports.PilotCohortInfo{ID: c.Label, Start: c.Start})
	}
	v := analytics.NewPilotWeeks(*p.Pilot)
	order := v.Order()
	var cloud []reports.DiDRow
	var diary []analytics.PilotEffect
	var wg sync.WaitGroup
	wg.Go(func() {
		d.Adoption = adoption(p.Intranet, order)
		d.Participation = participation(p, order)
		d.Diary = diarySeries(p.Diary, v)
	})
	wg.Go(func() {
		if e, ok := analytics.CloudEffect(p.Intranet, v); ok {
			for _, x := range e.Result.EventStudy {
				d.EventStudy = append(d.EventStudy, reports.EventPoint{RelWeek: x.RelTime,
					Cell: reports.Cell{Value: x.Estimate, Lo: x.CILow, Hi: x.CIHigh, N: e.Observed[x.RelTime]}})
			}
			cloud = []reports.DiDRow{didRow(e, lg)}
		}
	})
	wg.Go(func() { diary = analytics.DiaryEffects(p.Diary, v) })
	wg.Go(func() { d.Terms = terms(p.Texts, v) })
	wg.Go(func() { d.Groups = groupEffects(p, v, lg) })
	wg.Wait()
	d.DiD = cloud
	for _, e := range diary {
		d.DiD = append(d.DiD, didRow(e, lg))
	}
	return d
}

func didRow(e analytics.PilotEffect, lg string) reports.DiDRow {
	o := e.Result.Overall
	return reports.DiDRow{Outcome: outcomeLabel(e.Outcome, lg),
		Estimate: reports.Cell{Value: o.Estimate, Lo: o.CILow, Hi: o.CIHigh},
		PValue:   o.PValue, NTreated: e.Treated, NControl: e.Control}
}

// adoption is, per week and cohort, the share of the cohort's people (seen
// on the intranet in the period) who used a cloud tool that week.
func adoption(ip analytics.IntranetPanel, order []string) []reports.SeriesPoint {
	var out []reports.SeriesPoint
	for _, x := range analytics.CohortAdoption(ip, order) {
		out = append(out, reports.SeriesPoint{Week: x.Week.Format(time.DateOnly), Series: x.Series,
			Cell: reports.Cell{Value: float64(x.K) / float64(x.N), N: x.N}})
	}
	return out
}

// participation is, per cohort, the share of the cohort's people (seen on
// the intranet in the period) who answered a personal questionnaire.
func participation(p ImpactPanels, order []string) []reports.CategoryCount {
	invited := map[string]map[uint64]bool{}
	for i := range p.Intranet.Rows {
		r := &p.Intranet.Rows[i]
		c := p.Intranet.Cohorts[r.Cohort]
		if invited[c] == nil {
			invited[c] = map[uint64]bool{}
		}
		invited[c][r.Person] = true
	}
	var out []reports.CategoryCount
	for _, c := range order {
		if n := len(invited[c]); n > 0 {
			out = append(out, reports.CategoryCount{Category: c, Cell: shareCell(min(p.Answered[c], n), n)})
		}
	}
	return out
}

// diarySeries is the weekly mean of each rating for pilot and comparison:
// the mean over writers of their person-week means, N the writers.
func diarySeries(dp analytics.DiaryPanel, v *analytics.PilotWeeks) []reports.DiaryPoint {
	var out []reports.DiaryPoint
	for _, x := range analytics.DiarySeries(dp, v) {
		out = append(out, reports.DiaryPoint{Week: x.Week.Format(time.DateOnly), Group: x.Group, Rating: x.Rating,
			Cell: peopleCell(x.Moments)})
	}
	return out
}

// terms are the top diary themes (text.Themes) with, before and after
// each writer's pilot start (the first cohort's start for the comparison
// group), the notes mentioning each, the distinct people who wrote them
// and all the notes of the period. No minimum is applied here: reports
// drops the counts of fewer people than its text minimum.
func terms(texts []DiaryText, v *analytics.PilotWeeks) []reports.TermCount {
	entries := make([]text.Entry, len(texts))
	for i, t := range texts {
		e := text.Entry{Writer: t.Person, Text: t.Text}
		if !t.Date.Before(v.StartOf(t.Cohort)) {
			e.Period = 1
		}
		entries[i] = e
	}
	top, notes := text.Themes(entries, len(termPeriods), termsTopN)
	var out []reports.TermCount
	for p, period := range termPeriods {
		for _, th := range top {
			out = append(out, reports.TermCount{Period: period, Term: th.Surface, Theme: th.Key, Notes: notes[p],
				Cell: reports.Cell{Value: float64(th.Notes[p]), N: th.People[p]}})
		}
	}
	return out
}
