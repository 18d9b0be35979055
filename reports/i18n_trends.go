package reports

import "maps"

// trendMessages are the trends' strings (executive KPI trends, readiness
// over all waves). They join messages at start-up.
var trendMessages = map[string][2]string{
	"tr.kpi.title":  {"Andamento: %s", "Trend: %s"},
	"tr.kpi.bins":   {"Un punto per ogni periodo fisso di 4 settimane (gli stessi periodi delle schede), dal più vecchio al più recente; la fascia è l'intervallo al 95%.", "One point per fixed 4-week period (the cards' periods), oldest first; the band is the 95% interval."},
	"tr.kpi.waves":  {"Un punto per ogni rilevazione del periodo, dalla più vecchia alla più recente; la fascia è l'intervallo al 95%.", "One point per survey wave in the period, oldest first; the band is the 95% interval."},
	"tr.gaps":       {"La linea si interrompe dove un punto non è mostrato: %s.", "The line breaks where a point is not shown: %s."},
	"tr.gap.empty":  {"nessun dato", "no data"},
	"tr.rd.title":   {"Andamento per dimensione in tutte le rilevazioni", "Trend per dimension over all survey waves"},
	"tr.rd.index":   {"Andamento dell'indice di maturità digitale", "Digital readiness index trend"},
	"rd.ref.entity": {"Con un filtro, il riferimento resta la media dell'ente intero (senza filtri di unità, qualifica o coorte).", "With a filter, the reference stays the whole entity's mean (no unit, grade or cohort filter)."},
	"per.in.named":  {"nella rilevazione «%s»", "in survey wave “%s”"},
	"per.vs.named":  {"rispetto alla rilevazione «%s»", "compared with survey wave “%s”"},
	"col.key":       {"codice", "id"},
	"tr.rd.note":    {"Media della selezione per dimensione in ogni rilevazione (scala 1-5); la tabella riporta l'intervallo al 95% di ogni punto.", "The selection's mean per dimension in each survey wave (1-5 scale); the table gives each point's 95% interval."},
}

func init() {
	for k := range trendMessages {
		if _, ok := messages[k]; ok {
			panic("reports: message " + k + " defined twice")
		}
	}
	maps.Copy(messages, trendMessages)
}
