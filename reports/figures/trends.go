package figures

import (
	"time"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/reports"
)

// kpiTrends sets the trend of the KPIs kpis computed from p: adoption and
// wellbeing per window of analytics.KPIWeeks weeks (the cards' windows and
// those before them), response rate per questionnaire wave. Only whole
// windows inside the period (from on) are points: a window the period's
// start cuts would be a window of its own. Leading windows with nobody are
// left out. The readiness index's trend comes from its lattice (reports).
func kpiTrends(ks []reports.KPI, p KPIPanels, from time.Time) {
	for i := range ks {
		switch ks[i].Key {
		case "adoption_rate", "wellbeing":
			ks[i].Series = binTrend(ks[i].Key, p, from)
		case "response_rate":
			if p.Latest == "" {
				continue
			}
			for w, wave := range p.Waves {
				ks[i].Series = append(ks[i].Series, reports.TrendPoint{Period: reports.Span{Wave: wave}, Label: wave,
					Cell: shareCell(min(p.WaveRespondents[w], p.Known), p.Known)})
			}
		}
	}
}

// binTrend is one behavioural KPI per whole window, oldest first.
func binTrend(key string, p KPIPanels, from time.Time) []reports.TrendPoint {
	end := p.LastWeek
	if end.IsZero() {
		return nil
	}
	most := analytics.KPITrendBins
	if p.Bins > 0 {
		most = min(most, p.Bins)
	}
	bins := 0
	for bins < most && !analytics.BinStart(end, analytics.KPIWeeks, bins).Before(from) {
		bins++
	}
	adopt, well := analytics.BehaviourBins(p.Intranet, p.Diary, end, analytics.KPIWeeks, bins)
	ms := adopt
	if key == "wellbeing" {
		ms = well
	}
	var out []reports.TrendPoint
	for k := bins - 1; k >= 0; k-- {
		if len(out) == 0 && ms[k].N == 0 {
			continue
		}
		start := analytics.BinStart(end, analytics.KPIWeeks, k)
		last := start.AddDate(0, 0, 7*analytics.KPIWeeks-1)
		out = append(out, reports.TrendPoint{Period: reports.Span{From: start, To: last},
			Label: start.Format(time.DateOnly) + "/" + last.Format(time.DateOnly), Cell: peopleCell(ms[k])})
	}
	return out
}
