package synth

// DemoLabel is one demo tenant's display names (the labels file's
// entries, see reports.Labels): the entity, its pilot's cohorts, its
// survey waves and its intranet sections, in Italian.
type DemoLabel struct {
	Entity  string            `json:"entity"`
	Cohorts map[string]string `json:"cohorts"`
	Waves   map[string]string `json:"waves"`
	Pages   map[string]string `json:"pages"`
}

// DemoLabels returns the display names of the demo tenants by tenant id.
func DemoLabels() map[string]DemoLabel {
	ordinal := []string{"Prima", "Seconda", "Terza", "Quarta"}
	pages := map[string]string{"notizie": "Notizie", "personale": "Area personale", "modulistica": "Modulistica",
		"formazione": "Formazione", "smart-working": "Lavoro agile", "strumenti": "Strumenti di lavoro",
		"bandi": "Bandi e concorsi", "home": "Pagina iniziale"}
	waves := map[string]string{}
	months := map[string]string{"10": "ottobre", "04": "aprile"}
	for _, w := range surveyWaves {
		waves[w.label] = "Rilevazione di " + months[w.label[5:]] + " " + w.label[:4]
	}
	out := map[string]DemoLabel{}
	for _, t := range DemoTenants() {
		l := DemoLabel{Entity: t.Title, Cohorts: map[string]string{ComparisonCohort: "Gruppo di confronto"}, Waves: waves, Pages: pages}
		for i, w := range t.Waves {
			l.Cohorts[w.Label] = ordinal[i%len(ordinal)] + " onda"
		}
		out[t.ID] = l
	}
	return out
}
