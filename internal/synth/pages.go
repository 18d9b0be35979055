package synth

import (
	"encoding/json"
	"strconv"
)

// The intranet map: sections, their pages and how often each is read.
// A page is stored as its ready-made JSON fragment
// "section":"...","page":"..." so the hot loop only appends bytes.

type section struct {
	name   string
	weight float64  // share of page views
	pages  []string // most read first
}

var sections = []section{
	{"notizie", 30, []string{"/notizie", "/notizie/archivio", "/notizie/comunicati-stampa", "/notizie/eventi"}},
	{"personale", 18, []string{"/personale/cedolino", "/personale/presenze-e-assenze", "/personale/ferie-e-permessi",
		"/personale/welfare-aziendale", "/personale/contratto-integrativo", "/personale/buoni-pasto", "/personale/organigramma"}},
	{"modulistica", 15, []string{"/modulistica", "/modulistica/richiesta-ferie", "/modulistica/missioni-e-rimborsi",
		"/modulistica/richiesta-materiale", "/modulistica/autorizzazione-straordinari", "/modulistica/accesso-atti"}},
	{"formazione", 10, []string{"/formazione/catalogo-corsi", "/formazione/syllabus-competenze-digitali",
		"/formazione/sicurezza-sul-lavoro", "/formazione/privacy-e-gdpr", "/formazione/anticorruzione"}},
	{"smart-working", 7, []string{"/smart-working/regolamento-lavoro-agile", "/smart-working/accordo-individuale",
		"/smart-working/faq", "/smart-working/configurare-la-vpn", "/smart-working/sicurezza-informatica-a-casa",
		"/smart-working/diario-di-bordo"}},
	{"strumenti", 8, []string{"/strumenti", "/strumenti/posta-elettronica", "/strumenti/protocollo-informatico",
		"/strumenti/firma-digitale", "/strumenti/assistenza-informatica"}},
	{"bandi", 6, []string{"/bandi/concorsi-interni", "/bandi/progressioni-economiche", "/bandi/mobilita-interna",
		"/bandi/avvisi-di-selezione"}},
	{"home", 6, []string{"/"}},
}

// Weekly news items: the headlines cycle, so every week has fresh pages.
var headlines = []string{
	"nuovo-orario-sportelli", "avvio-sperimentazione-lavoro-agile", "aggiornamento-piattaforma-protocollo",
	"corso-competenze-digitali", "chiusura-uffici-festivita", "nuovo-portale-dei-servizi",
	"piano-integrato-attivita-organizzazione", "esiti-questionario-benessere", "manutenzione-rete",
	"campagna-vaccinale", "bilancio-partecipato", "nuove-postazioni-condivise", "giornata-della-trasparenza",
	"progetto-pnrr-digitalizzazione", "regolamento-videoconferenze", "raccolta-differenziata-in-ufficio",
	"sportello-unico-edilizia-online", "nuova-intranet-comunale", "formazione-sicurezza-informatica",
	"rinnovo-contratto-decentrato", "seconda-fase-lavoro-agile", "risultati-indagine-digitale",
}

const newsPerWeek = 4

// pageTable holds every page fragment: the static pages first, then
// newsPerWeek news pages for every week of the window.
type pageTable struct {
	frags    [][]byte
	secCum   []float64 // cumulative section weights (page views)
	secSW    []float64 // the same with smart-working boosted (participants after start)
	secFirst []int     // index of each section's first page
	secCums  [][]float64
	newsBase int // index of week 0's first news page
	search   []int
	download []int
	tools    []int // one page per cloud tool, in cloudTools order
	home     int
	nsec     int
}

var searchTerms = []string{"ferie", "cedolino", "vpn", "buoni+pasto", "modulo+missione", "smart+working",
	"firma+digitale", "organigramma", "straordinari", "corsi", "rubrica", "protocollo"}

var downloads = []string{"/modulistica/richiesta-ferie.pdf", "/modulistica/missione.pdf", "/modulistica/straordinari.pdf",
	"/smart-working/accordo-individuale.pdf", "/formazione/calendario-corsi.pdf", "/personale/contratto-integrativo.pdf"}

// cloudTools are the collaboration tools counted as cloud_tool events.
var cloudTools = []string{"docs", "drive", "videocall", "chat", "calendar"}

func newPageTable(nweeks int) *pageTable {
	pt := &pageTable{nsec: len(sections)}
	frag := func(sec, page string) int {
		s, _ := json.Marshal(sec)
		p, _ := json.Marshal(page)
		b := append([]byte(`"section":`), s...)
		b = append(b, `,"page":`...)
		b = append(b, p...)
		pt.frags = append(pt.frags, b)
		return len(pt.frags) - 1
	}
	var w, wsw []float64
	for _, s := range sections {
		pt.secFirst = append(pt.secFirst, len(pt.frags))
		pw := make([]float64, len(s.pages))
		for i, p := range s.pages {
			frag(s.name, p)
			pw[i] = 1 / float64(i+1) // Zipf
		}
		pt.secCums = append(pt.secCums, cumulative(pw))
		w = append(w, s.weight)
		if s.name == "smart-working" {
			wsw = append(wsw, s.weight*3)
		} else {
			wsw = append(wsw, s.weight)
		}
	}
	pt.secCum, pt.secSW = cumulative(w), cumulative(wsw)
	pt.home = pt.secFirst[len(sections)-1]
	for _, q := range searchTerms {
		pt.search = append(pt.search, frag("cerca", "/cerca?q="+q))
	}
	for _, d := range downloads {
		pt.download = append(pt.download, frag("modulistica", d))
	}
	for _, t := range cloudTools {
		pt.tools = append(pt.tools, frag("strumenti", "/strumenti/"+t))
	}
	pt.newsBase = len(pt.frags)
	for wk := 0; wk < nweeks; wk++ {
		for k := 0; k < newsPerWeek; k++ {
			h := headlines[(wk*newsPerWeek+k)%len(headlines)]
			frag("notizie", "/notizie/settimana-"+strconv.Itoa(wk+1)+"/"+h)
		}
	}
	return pt
}

// pageView picks the page of a page view in week wk.
func (pt *pageTable) pageView(r *source, wk int, smartWorking bool) int {
	cum := pt.secCum
	if smartWorking {
		cum = pt.secSW
	}
	s := r.pick(cum)
	if sections[s].name == "notizie" && r.bern(0.6) {
		return pt.news(r, wk)
	}
	return pt.secFirst[s] + r.pick(pt.secCums[s])
}

// news picks a news page of week wk (or, sometimes, of the week before).
func (pt *pageTable) news(r *source, wk int) int {
	if wk > 0 && r.bern(0.25) {
		wk--
	}
	return pt.newsBase + wk*newsPerWeek + r.IntN(newsPerWeek)
}

// staticPages returns every static page path (page feedback is given on them).
func (pt *pageTable) staticPages() []string {
	var out []string
	for _, s := range sections {
		out = append(out, s.pages...)
	}
	return out
}
