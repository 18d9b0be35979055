package reports

import "maps"

// impactMessages are the pilot-impact page's strings: the verdict
// sentences, the sample-size labels, the outcomes' display names and the
// glossary. They join messages at start-up; a key already there is a bug.
var impactMessages = map[string][2]string{
	"o.giorni_attivi":  {"Giorni attivi a settimana", "Active days per week"},
	"o.produttività":   {"Produttività (diario, 1-5)", "Productivity (diary, 1-5)"},
	"o.productivity":   {"Produttività (diario, 1-5)", "Productivity (diary, 1-5)"},
	"col.did_n":        {"Persone nel gruppo più piccolo", "People in the smaller group"},
	"col.did_treated":  {"Persone in sperimentazione", "People in the pilot"},
	"col.did_control":  {"Persone nel confronto", "People in the comparison group"},
	"verdict.title":    {"In sintesi", "In short"},
	"verdict.pilot":    {"Sperimentazione «%s»: %s; periodo osservato dal %s al %s.", "Pilot “%s”: %s; period observed from %s to %s."},
	"verdict.cohort":   {"%s avviata il %s", "%s started on %s"},
	"verdict.more":     {"in più", "more"},
	"verdict.less":     {"in meno", "less"},
	"verdict.effect":   {"%s: dopo l'avvio, i partecipanti alla sperimentazione «%s» hanno in media %s %s rispetto al gruppo di confronto (IC 95%%: %s – %s): %s.", "%s: after the start, participants in the pilot “%s” have on average %s %s than the comparison group (95%% CI: %s – %s): %s."},
	"verdict.sure":     {"un effetto distinguibile da zero", "an effect distinguishable from zero"},
	"verdict.unsure":   {"un effetto non distinguibile da zero (potrebbe non esserci alcun effetto)", "an effect not distinguishable from zero (there may be no effect at all)"},
	"verdict.hidden":   {"%s: la stima non è mostrata (%s).", "%s: the estimate is not shown (%s)."},
	"w.groups":         {"Per chi: effetti per gruppo di categoria", "For whom: effects by grade group"},
	"groups.note":      {"Stessa stima della tabella precedente, calcolata solo sulle persone di ogni gruppo. È mostrata solo per l'intero ente e dove il gruppo e il resto dell'ente hanno almeno il numero minimo di persone sia in sperimentazione sia nel confronto.", "The same estimate as the table above, computed on each group's people alone. Shown only for the whole entity, and where the group and the rest of the entity each have at least the minimum number of people both in the pilot and in the comparison group."},
	"grp.grade-senior": {"Dirigenti e funzionari", "Managers and officers"},
	"grp.grade-staff":  {"Istruttori e operatori", "Clerks and operators"},
	"verdict.group":    {"Per chi: tra %s, %s: %s rispetto al gruppo di confronto (IC 95%%: %s – %s), un effetto distinguibile da zero.", "For whom: among %s, %s: %s against the comparison group (95%% CI: %s – %s), an effect distinguishable from zero."},
	"w.themes":         {"Temi del diario prima e dopo l'avvio, ogni 100 note", "Diary themes before and after the start, per 100 notes"},
	"col.theme":        {"Tema", "Theme"},
	"th.before":        {"Prima: note ogni 100", "Before: notes per 100"},
	"th.after":         {"Dopo: note ogni 100", "After: notes per 100"},
	"th.people.before": {"Prima: persone", "Before: people"},
	"th.people.after":  {"Dopo: persone", "After: people"},
	"th.change":        {"Differenza ogni 100 note (dopo − prima)", "Change per 100 notes (after − before)"},
	"th.series.before": {"Prima dell'avvio (note ogni 100)", "Before the start (notes per 100)"},
	"th.series.after":  {"Dopo l'avvio (note ogni 100)", "After the start (notes per 100)"},
	"th.note":          {"Temi raggruppati per radice della parola (riunione e riunioni sono un tema) e coppie di parole frequenti, senza parole vuote. Per ogni tema: quante note su 100 lo citano, su %s note prima e %s dopo l'avvio; solo dove ne hanno scritto almeno %d persone. Nessuna citazione.", "Themes grouped by word stem (meeting and meetings are one theme) and frequent word pairs, without filler words. For each theme: how many notes in 100 mention it, of %s notes before and %s after the start; only where at least %d people wrote about it. No quotations."},
	"glossary":         {"Glossario: come leggere questa pagina", "Glossary: how to read this page"},
	"glossary.did":     {"Differenza nelle differenze", "Difference in differences"},
	"glossary.did.d":   {"Confronta quanto è cambiato un esito dopo l'avvio per chi partecipa alla sperimentazione con quanto è cambiato, nello stesso periodo, per il gruppo di confronto. La differenza tra i due cambiamenti è la stima dell'effetto.", "Compares how much an outcome changed after the start for pilot participants with how much it changed, over the same period, for the comparison group. The difference between the two changes is the estimated effect."},
	"glossary.es":      {"Effetto settimana per settimana", "Effect week by week"},
	"glossary.es.d":    {"La stessa stima calcolata per ogni settimana prima e dopo l'avvio (0 è la settimana dell'avvio, -1 quella di riferimento). Prima dell'avvio le stime dovrebbero stare vicino a zero.", "The same estimate for each week before and after the start (0 is the start week, -1 the reference). Before the start the estimates should be close to zero."},
	"glossary.ci":      {"Intervallo di confidenza al 95%", "95% confidence interval"},
	"glossary.ci.d":    {"L'intervallo di valori compatibili con i dati. Se non comprende lo zero, l'effetto è distinguibile da zero; se lo comprende, i dati non escludono che l'effetto sia nullo.", "The range of values compatible with the data. If it excludes zero, the effect is distinguishable from zero; if it includes zero, the data do not rule out no effect."},
	"glossary.p":       {"p", "p"},
	"glossary.p.d":     {"La probabilità di osservare una differenza almeno così grande se in realtà la sperimentazione non avesse alcun effetto. Sotto 0,05 si parla di effetto distinguibile da zero.", "The probability of seeing a difference at least this large if the pilot had no effect at all. Below 0.05 the effect is called distinguishable from zero."},
}

func init() {
	for k := range impactMessages {
		if _, dup := messages[k]; dup {
			panic("reports: duplicate message key " + k)
		}
	}
	maps.Copy(messages, impactMessages)
}
