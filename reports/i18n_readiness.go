package reports

import "maps"

// readinessMessages are the readiness page's strings (Italian, English).
var readinessMessages = map[string][2]string{
	"rd.units":          {"Unità (dalla media più alta)", "Unit (highest mean first)"},
	"rd.heat.note":      {"Unità ordinate per media delle dimensioni pubblicate. Colori: differenza dalla media dell'ente per dimensione, blu sopra e rosso sotto, più intensi oltre 0,1, 0,25 e 0,5 punti; quasi bianco entro ±0,1. ▲/▼: differenza oltre il rumore (l'intervallo al 95% esclude la media dell'ente).", "Units ranked by their mean over the published dimensions. Colours: difference from the entity mean per dimension, blue above and red below, deeper beyond 0.1, 0.25 and 0.5 points; near white within ±0.1. ▲/▼: difference beyond noise (the 95% interval excludes the entity mean)."},
	"rd.hidden.units":   {"In fondo, le unità con tutte le celle nascoste.", "Units with every cell hidden come last."},
	"rd.diff.entity":    {"differenza dalla media dell'ente", "difference from the entity mean"},
	"rd.beyond":         {"oltre il rumore", "beyond noise"},
	"rd.within":         {"entro il rumore", "within noise"},
	"rd.band.below":     {"%s o meno", "%s or less"},
	"rd.band.above":     {"%s o più", "%s or more"},
	"rd.training.title": {"Quota di persone sotto il livello di soglia, per area del Syllabus", "Share of people below the threshold level, by Syllabus area"},
	"rd.training.note":  {"La percentuale è la quota di rispondenti dell'unità il cui livello nell'area è sotto la soglia; accanto, quante persone sono (su quante hanno risposto).", "The percentage is the share of the unit's respondents whose level in the area is below the threshold; beside it, how many people that is (out of how many answered)."},
	"rd.col.below":      {"Persone sotto soglia", "People below threshold"},
	"rd.col.share":      {"Quota sotto soglia", "Share below threshold"},
	"rd.people.of":      {"%d persone su %d", "%d people out of %d"},
	"rd.waves.title":    {"Variazione tra rilevazioni: differenza e intervallo al 95%", "Change between waves: difference and 95% interval"},
	"rd.waves.note":     {"Per ogni dimensione, il punto è la differenza %s − %s; la barra è l'intervallo al 95%%. Se la barra attraversa lo 0 la variazione è entro il rumore.", "For each dimension, the dot is the difference %s − %s; the bar is the 95%% interval. If the bar crosses 0 the change is within noise."},
	"rd.diff":           {"Differenza", "Difference"},
	"rd.ci":             {"Intervallo al 95%", "95% interval"},
	"rd.ci.short":       {"IC 95%", "95% CI"},
}

func init() {
	for k := range readinessMessages {
		if _, dup := messages[k]; dup {
			panic("i18n: duplicate key " + k)
		}
	}
	maps.Copy(messages, readinessMessages)
}
