package reports

import (
	"fmt"
	"regexp"
	"time"
)

// messages holds every user-facing string, Italian first.
var messages = map[string][2]string{
	"app":                     {"Bussola", "Bussola"},
	"page.executive":          {"Sintesi per la direzione", "Executive summary"},
	"page.readiness":          {"Maturità digitale", "Digital readiness"},
	"page.impact":             {"Impatto della sperimentazione", "Pilot impact"},
	"page.communication":      {"Comunicazione interna", "Internal communication"},
	"page.pipeline":           {"Stato della pipeline", "Pipeline status"},
	"login":                   {"Accedi", "Sign in"},
	"logout":                  {"Esci", "Sign out"},
	"username":                {"Nome utente", "Username"},
	"password":                {"Password", "Password"},
	"login.failed":            {"Nome utente o password errati.", "Wrong username or password."},
	"login.throttled":         {"Troppi tentativi di accesso: riprova tra %d secondi.", "Too many sign-in attempts: try again in %d seconds."},
	"pw.title":                {"Cambia password", "Change password"},
	"pw.current":              {"Password attuale", "Current password"},
	"pw.new":                  {"Nuova password", "New password"},
	"pw.confirm":              {"Conferma la nuova password", "Confirm the new password"},
	"pw.current_wrong":        {"Password attuale: non corrisponde.", "Current password: does not match."},
	"pw.too_short":            {"Nuova password: deve avere almeno %d caratteri.", "New password: must be at least %d characters."},
	"pw.mismatch":             {"Conferma: deve essere uguale alla nuova password.", "Confirm: must equal the new password."},
	"pw.changed":              {"Password cambiata: ogni altra sessione è stata chiusa.", "Password changed: every other session has been signed out."},
	"login.intro":             {"Accesso riservato al personale autorizzato dell'ente.", "Restricted to the entity's authorised staff."},
	"filters":                 {"Filtri", "Filters"},
	"f.tenant":                {"Ente", "Entity"},
	"f.unit":                  {"Unità organizzativa", "Org unit"},
	"f.grade":                 {"Qualifica", "Grade"},
	"f.cohort":                {"Coorte", "Cohort"},
	"f.from":                  {"Dal", "From"},
	"f.to":                    {"Al", "To"},
	"f.all":                   {"Tutte", "All"},
	"f.allm":                  {"Tutti", "All"},
	"f.apply":                 {"Applica", "Apply"},
	"f.reset":                 {"Azzera", "Reset"},
	"table":                   {"Dati in tabella", "Data table"},
	"download":                {"Scarica", "Download"},
	"print":                   {"Stampa", "Print"},
	"pdf":                     {"PDF", "PDF"},
	"lang.other":              {"English", "Italiano"},
	"skip":                    {"Vai al contenuto", "Skip to content"},
	"suppressed":              {"non mostrato", "not shown"},
	"suppressed.f":            {"non mostrata", "not shown"},
	"why.small_group":         {"meno di %d persone", "fewer than %d people"},
	"why.complementary":       {"soppressione complementare: eviterebbe di ricavare una cella nascosta", "complementary suppression: would reveal a hidden cell"},
	"why.entity_only":         {"pubblicato solo per l'intero ente: con un filtro si ricaverebbe per differenza un gruppo piccolo", "published for the whole entity only: under a filter a small group could be derived by difference"},
	"why.small_population":    {"la selezione riguarda meno di %d persone o ne esclude meno di %d", "the selection covers fewer than %d people or leaves out fewer than %d"},
	"privacy.note":            {"Dati aggregati: nessuna cella riguarda meno di %d persone (%d per i testi). Le celle non mostrate indicano il motivo.", "Aggregates only: no cell covers fewer than %d people (%d for text). Hidden cells say why."},
	"col.unit":                {"Unità", "Unit"},
	"col.dimension":           {"Dimensione", "Dimension"},
	"col.value":               {"Valore", "Value"},
	"col.mean":                {"Media", "Mean"},
	"col.lo":                  {"IC 95% inf.", "95% CI low"},
	"col.hi":                  {"IC 95% sup.", "95% CI high"},
	"col.n":                   {"Persone", "People"},
	"col.level":               {"Livello", "Level"},
	"col.count":               {"Conteggio", "Count"},
	"col.messages":            {"Messaggi", "Messages"},
	"col.category":            {"Categoria", "Category"},
	"col.share":               {"Quota", "Share"},
	"col.wave":                {"Rilevazione", "Wave"},
	"col.before":              {"Prima", "Before"},
	"col.after":               {"Dopo", "After"},
	"col.change":              {"Variazione", "Change"},
	"col.week":                {"Settimana", "Week"},
	"col.relweek":             {"Settimane dall'avvio", "Weeks from start"},
	"col.estimate":            {"Stima", "Estimate"},
	"col.outcome":             {"Esito", "Outcome"},
	"col.p":                   {"p", "p"},
	"col.treated":             {"Sperimentazione (n)", "Pilot (n)"},
	"col.control":             {"Confronto (n)", "Comparison (n)"},
	"col.group":               {"Gruppo", "Group"},
	"col.rating":              {"Valutazione", "Rating"},
	"col.series":              {"Serie", "Series"},
	"col.period":              {"Periodo", "Period"},
	"col.term":                {"Termine", "Term"},
	"col.entries":             {"Note", "Entries"},
	"col.kpi":                 {"Indicatore", "Indicator"},
	"col.current":             {"Attuale", "Current"},
	"col.previous":            {"Precedente", "Previous"},
	"col.tenant":              {"Ente", "Entity"},
	"col.channel":             {"Canale", "Channel"},
	"col.active":              {"Attivo", "Active"},
	"col.section":             {"Sezione", "Section"},
	"col.reason":              {"Motivo", "Reason"},
	"col.topic":               {"Flusso", "Topic"},
	"col.rate":                {"Record/s", "Records/s"},
	"col.lasthour":            {"Ultima ora", "Last hour"},
	"col.cgroup":              {"Gruppo di lettura", "Consumer group"},
	"col.partition":           {"Partizione", "Partition"},
	"col.lag":                 {"Ritardo (messaggi)", "Lag (messages)"},
	"col.source":              {"Origine", "Source"},
	"col.last":                {"Ultimo", "Last"},
	"yes":                     {"sì", "yes"},
	"no":                      {"no", "no"},
	"w.heatmap":               {"Punteggio medio per unità e dimensione", "Mean score by unit and dimension"},
	"w.distribution":          {"Distribuzione dei livelli per dimensione", "Level distribution by dimension"},
	"w.segments":              {"Segmenti di maturità", "Readiness segments"},
	"w.stages":                {"Punto di blocco nel percorso di cambiamento", "Barrier point in the change journey"},
	"w.training":              {"Fabbisogni formativi per area del Syllabus", "Training needs by Syllabus area"},
	"w.waves":                 {"Variazione tra rilevazioni", "Change between survey waves"},
	"w.eventstudy":            {"Effetto settimana per settimana dall'avvio della sperimentazione", "Effect week by week from the start of the pilot (event study)"},
	"w.did":                   {"Differenza nelle differenze", "Difference in differences"},
	"w.diary":                 {"Diario: valutazioni medie, sperimentazione e confronto", "Diary: mean ratings, pilot vs comparison"},
	"w.adoption":              {"Adozione degli strumenti digitali", "Adoption of digital tools"},
	"w.participation":         {"Partecipazione e tasso di risposta", "Participation and response rates"},
	"w.terms":                 {"Termini più frequenti nel diario, prima e dopo", "Top diary terms, before and after"},
	"w.kpis":                  {"Indicatori chiave", "Key indicators"},
	"w.benchmark":             {"Confronto tra enti", "Cross-entity benchmark"},
	"unit.scale":              {"% della scala 1-5", "% of the 1-5 scale"},
	"axis.0to100":             {"scala 0-100", "0-100 scale"},
	"w.ratings":               {"Valutazione delle pagine", "Page ratings"},
	"w.reasons":               {"Motivi indicati nei feedback", "Feedback reasons"},
	"w.channels":              {"Canali di comunicazione attivi", "Active communication channels"},
	"w.publishing":            {"Pubblicazioni dei referenti della comunicazione", "Publishing by communication referents"},
	"w.rates":                 {"Velocità di acquisizione", "Ingest rates"},
	"w.lag":                   {"Ritardo dei consumer", "Consumer lag"},
	"w.deadletters":           {"Messaggi scartati per motivo", "Dead letters by reason"},
	"kpi.readiness_index":     {"Indice di maturità digitale", "Digital readiness index"},
	"kpi.adoption_rate":       {"Adozione strumenti digitali", "Digital tool adoption"},
	"kpi.wellbeing":           {"Benessere (diario)", "Wellbeing (diary)"},
	"kpi.response_rate":       {"Tasso di risposta", "Response rate"},
	"s.up":                    {"%s sale a %s %s (%s %s).", "%s rose to %s %s (%s %s)."},
	"s.down":                  {"%s scende a %s %s (%s %s).", "%s fell to %s %s (%s %s)."},
	"s.flat":                  {"%s resta stabile a %s %s: la variazione %s (%s) non è distinguibile da zero.", "%s is steady at %s %s: the change %s (%s) is not distinguishable from zero."},
	"s.nochange":              {"%s: %s %s; manca un periodo di confronto con dati.", "%s: %s %s; there is no comparison period with data."},
	"s.hidden":                {"Il valore di «%s» non è mostrato per proteggere i gruppi piccoli.", "%s is not shown, to protect small groups."},
	"s.empty":                 {"%s: %s", "%s: %s"},
	"s.ci":                    {"IC 95%%: %s – %s", "95%% CI: %s – %s"},
	"kpi.now":                 {"Attuale: %s", "Current: %s"},
	"kpi.vs":                  {"Confronto: %s", "Compared with: %s"},
	"per.wave":                {"rilevazione %s", "survey wave %s"},
	"per.span":                {"%s – %s", "%s – %s"},
	"per.in.wave":             {"nella rilevazione %s", "in survey wave %s"},
	"per.in.span":             {"nel periodo dal %s al %s", "in the period %s to %s"},
	"per.in.none":             {"nel periodo selezionato", "in the selected period"},
	"per.vs.wave":             {"rispetto alla rilevazione %s", "compared with survey wave %s"},
	"per.vs.span":             {"rispetto al periodo dal %s al %s", "compared with the period %s to %s"},
	"per.vs.none":             {"rispetto al periodo precedente", "compared with the previous period"},
	"per.selected":            {"periodo selezionato", "selected period"},
	"per.previous":            {"periodo precedente", "previous period"},
	"kpi.src.readiness_index": {"Nessuna risposta ai questionari di maturità", "No readiness survey answers"},
	"kpi.src.response_rate":   {"Nessuna risposta ai questionari di maturità", "No readiness survey answers"},
	"kpi.src.adoption_rate":   {"Nessuna attività sulla intranet", "No intranet activity"},
	"kpi.src.wellbeing":       {"Nessuna nota di diario", "No diary entries"},
	"nodata.title":            {"Nessun dato nel periodo", "No data in the period"},
	"nodata.title.sel":        {"Nessun dato per questa selezione", "No data for this selection"},
	"nodata.between":          {"%s dal %s al %s.", "%s from %s to %s."},
	"nodata.since":            {"%s dal %s in poi.", "%s since %s."},
	"nodata.until":            {"%s fino al %s.", "%s up to %s."},
	"nodata.any":              {"%s per questa selezione.", "%s for this selection."},
	"nodata.cell":             {"nessun dato", "no data"},
	"src.survey":              {"Nessuna risposta ai questionari di maturità", "No readiness survey answers"},
	"src.diary":               {"Nessuna nota di diario", "No diary entries"},
	"src.intranet":            {"Nessuna attività sulla intranet", "No intranet activity"},
	"src.pilot":               {"Nessuna osservazione della sperimentazione", "No pilot observations"},
	"src.feedback":            {"Nessun feedback sulle pagine", "No page feedback"},
	"src.publishing":          {"Nessuna pubblicazione dei referenti", "No publishing by referents"},
	"src.kpi":                 {"Nessun indicatore calcolabile", "No indicator can be computed"},
	"src.entities":            {"Nessun ente con dati", "No entity with data"},
	"src.channels":            {"Nessun canale registrato", "No channel recorded"},
	"src.pipeline":            {"Nessun messaggio", "No messages"},
	"withheld.title":          {"Non mostrato per proteggere i gruppi piccoli", "Not shown, to protect small groups"},
	"withheld.partial":        {"Alcuni valori non sono mostrati per proteggere i gruppi piccoli: la tabella dei dati indica quali e perché.", "Some values are not shown, to protect small groups: the data table says which and why."},
	"withheld.cells":          {"Le celle grigie non sono mostrate per proteggere i gruppi piccoli.", "Grey cells are not shown, to protect small groups."},
	"withheld.cell":           {"non mostrato", "not shown"},
	"bench.unfiltered":        {"Il confronto tra enti riguarda gli enti interi nello stesso periodo: i filtri per unità, qualifica e coorte non si applicano.", "The cross-entity benchmark covers whole entities over the same period: the unit, grade and cohort filters do not apply."},
	"qerr.date":               {"%s: inserire una data valida nel formato gg/mm/aaaa, tra il 2000 e il 2100.", "%s: enter a valid date as dd/mm/yyyy, between 2000 and 2100."},
	"qerr.order":              {"%s: la data non può precedere quella iniziale.", "%s: the date cannot be before the start date."},
	"qerr.label":              {"%s: valore non valido (testo stampabile di al massimo 100 caratteri).", "%s: invalid value (printable text of at most 100 characters)."},
	"qerr.invalid":            {"%s: valore non valido.", "%s: invalid value."},
	"qerr.summary":            {"Alcuni filtri non sono stati applicati: correggerli e premere «Applica».", "Some filters were not applied: correct them and press Apply."},
	"f.datefmt":               {"gg/mm/aaaa", "dd/mm/yyyy"},
	"g.pilot":                 {"Sperimentazione", "Pilot"},
	"g.comparison":            {"Confronto", "Comparison"},
	"p.before":                {"prima", "before"},
	"p.after":                 {"dopo", "after"},
	"r.productivity":          {"Produttività", "Productivity"},
	"r.work_life_balance":     {"Equilibrio vita-lavoro", "Work-life balance"},
	"r.connection":            {"Legame con i colleghi", "Connection with colleagues"},
	"estimate":                {"Stima", "Estimate"},
	"api.401":                 {"Authorization: serve il token API di un utente dei report (Authorization: Bearer bsk_...) o una sessione; i token di ingestione servono solo a scrivere", "Authorization: a report user's API token (Authorization: Bearer bsk_...) or a session is required; ingest tokens only write"},
	"api.403":                 {"tenant: l'utente %s non ha un ruolo che consenta di leggere %s dell'ente %q", "tenant: user %s has no role that may read %s of entity %q"},
	"api.403.none":            {"tenant: l'utente %s non ha un ruolo che consenta di leggere %s per alcun ente", "tenant: user %s has no role that may read %s for any entity"},
	"api.503":                 {"registro di audit non disponibile: la lettura non è consentita", "audit log unavailable: the read is not allowed"},
	"ci.lo":                   {"IC 95% inferiore", "95% CI lower"},
	"ci.hi":                   {"IC 95% superiore", "95% CI upper"},
	"err.400":                 {"Richiesta non valida", "Bad request"},
	"err.429":                 {"Troppe richieste", "Too many requests"},
	"err.403":                 {"Accesso non consentito", "Access denied"},
	"err.404":                 {"Pagina non trovata", "Page not found"},
	"err.500":                 {"Errore interno", "Internal error"},
	"nodata":                  {"Nessun dato per questa selezione.", "No data for this selection."},
	"drill":                   {"Fare clic su un'unità per filtrare.", "Click a unit to filter."},
	"col.stream":              {"Flusso", "Stream"},
	"col.rows":                {"Righe in ClickHouse", "Rows in ClickHouse"},
	"col.accepted":            {"Accettati dall'avvio", "Accepted since start"},
	"col.rejected":            {"Rifiutati dall'avvio", "Rejected since start"},
	"col.deadlettered":        {"Dead letter dall'avvio", "Dead-lettered since start"},
	"w.streams":               {"Record per flusso", "Records per stream"},
}

// tr translates keys into one language.
type tr struct{ lang string }

func (t tr) T(key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if t.lang == "en" {
		return m[1]
	}
	return m[0]
}

// Date formats a day the language's way: 01/03/2026 or 1 Mar 2026.
func (t tr) Date(d time.Time) string {
	if t.lang == "en" {
		return d.Format("2 Jan 2006")
	}
	return d.Format("02/01/2006")
}

// F translates a key holding a format string.
func (t tr) F(key string, args ...any) string { return fmt.Sprintf(t.T(key), args...) }

// Label translates key if the catalogue has it, else returns fallback.
func (t tr) Label(key, fallback string) string {
	if _, ok := messages[key]; ok {
		return t.T(key)
	}
	return fallback
}

// cohortPilot is a pilot cohort's identifier: pilot-1, pilot-2...
var cohortPilot = regexp.MustCompile(`^pilot-(\d+)$`)

// cohort is a cohort's display name: the comparison group and the pilot's
// waves by their label in the catalogue ("Confronto", "Sperimentazione 1"),
// any other by its own label. The identifier stays in URLs and exports'
// key columns.
func (b *builder) cohort(id string) string {
	return displayName(b.l, b.t, b.q.Tenant, KindCohort, id)
}

// name is the display name of an identifier of kind in the page's tenant.
func (b *builder) name(kind, id string) string {
	return displayName(b.l, b.t, b.q.Tenant, kind, id)
}

// waveName is a survey wave's configured name, else its identifier
// (a wave id such as 2025-10 already reads as a date).
func (b *builder) waveName(id string) string {
	if n := b.l[b.q.Tenant].Waves[id]; n != "" {
		return n
	}
	return id
}

// names are the display names of ids of kind.
func (b *builder) names(kind string, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = b.name(kind, id)
	}
	return out
}

// displayName is the configured name of id, else for a cohort the
// pilot's wording ("Sperimentazione 1", "Gruppo di confronto"), else the
// readable form of id.
func displayName(l Labels, t tr, tenant, kind, id string) string {
	if kind == KindCohort && (l == nil || l[tenant].Cohorts[id] == "") {
		return cohortName(t, id)
	}
	return l.Name(tenant, kind, id)
}

// label is the template func naming an identifier on a page:
// {{label $ "unit" .}}. Option values and URLs keep the identifier.
func label(d pageData, kind, id string) string {
	return displayName(d.Labels, d.T, d.Query.Tenant, kind, id)
}

func cohortName(t tr, id string) string {
	if id == "comparison" {
		return t.T("g.comparison")
	}
	if m := cohortPilot.FindStringSubmatch(id); m != nil {
		return t.T("g.pilot") + " " + m[1]
	}
	return id
}

// Why explains a suppression reason.
func (t tr) Why(reason string, p Privacy, text bool) string {
	k := p.MinGroup
	if text {
		k = p.MinText
	}
	switch reason {
	case ReasonSmallGroup:
		return t.F("why.small_group", k)
	case ReasonSmallPopulation:
		return t.F("why.small_population", k, k)
	default:
		return t.T("why." + reason)
	}
}
