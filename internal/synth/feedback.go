package synth

import (
	"cmp"
	"slices"
	"time"

	"github.com/bussola-pa/bussola/schemas"
)

// Page feedback: now and then an employee rates the page they are reading
// (stars, a reason, sometimes a short comment). Some pages are simply better
// than others.

var feedbackComments = map[string][]string{
	"found":     {"Ho trovato subito quello che cercavo.", "Informazioni complete, grazie.", "Utile e aggiornata."},
	"clear":     {"Spiegazione chiara.", "Finalmente una pagina comprensibile.", "Chiara e ben organizzata."},
	"not-found": {"Non trovo il modulo aggiornato.", "Manca il riferimento normativo.", "Non c'è il contatto dell'ufficio."},
	"unclear":   {"Testo troppo burocratico.", "Non si capisce a chi rivolgersi.", "Istruzioni poco chiare per la VPN."},
	"outdated":  {"Le informazioni sono vecchie.", "Il regolamento citato è superato.", "Date non aggiornate."},
	"broken":    {"Il link al modulo non funziona.", "Il PDF non si apre.", "Errore nella pagina."},
	"other":     {"Sarebbe utile una versione per smartphone.", "Aggiungere una sezione FAQ."},
}

var (
	goodReasons = []string{"found", "clear", "found", "clear", "other"}
	badReasons  = []string{"not-found", "unclear", "outdated", "broken", "not-found", "other"}
)

type feedback struct {
	at   int64
	resp schemas.SurveyResponse
}

// genPageFeedback emits tenant t's page feedback in time order.
func genPageFeedback(seed uint64, t *tenant, set *instrumentSet, pages []string, days []day, emit func([]byte) error) error {
	in := set.byID["page-feedback"]
	r := newSource()
	var out []feedback
	for i := range t.people {
		p := &t.people[i]
		r.reseed(seed, tagFeedback, uint64(t.idx), uint64(p.idx))
		n := r.poisson(0.6 * p.activity)
		for k := 0; k < n; k++ {
			d := &days[r.IntN(len(days))]
			for !d.workday {
				d = &days[r.IntN(len(days))]
			}
			page := pages[r.IntN(len(pages))]
			if p.treated(d.idx) && r.bern(0.3) {
				page = pages[pageIndex(pages, "/smart-working/faq")+r.IntN(3)]
			}
			quality := 2.4 + 2*unit01(key(seed, tagFeedback, hashString(page)))
			stars := clampRound(quality+r.NormFloat64(), in.Scale.Min, in.Scale.Max)
			at := d.unix(8*3600 + r.IntN(9*3600))
			fb := schemas.SurveyResponse{
				Envelope:          envelopeOf(t, p, uuidString(seed, tagFeedback, uint64(t.idx), uint64(p.idx), uint64(k))),
				InstrumentID:      in.ID,
				InstrumentVersion: in.Version,
				Wave:              d.date[:7],
				SubmittedAt:       time.Unix(at, 0).UTC(),
				Context:           page,
				Answers:           map[string]float64{"stars": float64(stars)},
			}
			if r.bern(0.85) {
				reason := choose(r, badReasons)
				if stars >= 4 || (stars == 3 && r.bern(0.5)) {
					reason = choose(r, goodReasons)
				}
				fb.Choices = map[string]string{"reason": reason}
				if r.bern(0.3) {
					fb.Texts = map[string]string{"comment": choose(r, feedbackComments[reason])}
				}
			}
			out = append(out, feedback{at, fb})
		}
	}
	slices.SortStableFunc(out, func(a, b feedback) int { return cmp.Compare(a.at, b.at) })
	for i := range out {
		if err := emitJSON(&out[i].resp, emit); err != nil {
			return err
		}
	}
	return nil
}

func pageIndex(pages []string, p string) int {
	if i := slices.Index(pages, p); i >= 0 {
		return i
	}
	return 0
}

// genCommStatus emits one communication-status response per wave, filled
// in by the tenant's first communication referent. The pilot brings a chat
// channel and a more effective intranet by the second wave.
func genCommStatus(seed uint64, t *tenant, set *instrumentSet, days []day, emit func([]byte) error) error {
	in := set.byID["comm-status"]
	var ref *person
	for i := range t.people {
		if t.people[i].referent {
			ref = &t.people[i]
			break
		}
	}
	r := newSource()
	small := t.spec.Employees < 1000
	for w, wave := range surveyWaves {
		r.reseed(seed, tagSurvey, uint64(t.idx), 0xc0, uint64(w))
		first, _ := dayIndex(wave.first)
		d := &days[first+2]
		resp := schemas.SurveyResponse{
			Envelope:          envelopeOf(t, ref, uuidString(seed, tagSurvey, uint64(t.idx), 0xc0, uint64(w))),
			InstrumentID:      in.ID,
			InstrumentVersion: in.Version,
			Wave:              wave.label,
			SubmittedAt:       time.Unix(d.unix(10*3600+r.IntN(3600)), 0).UTC(),
			Answers:           map[string]float64{},
			Choices:           map[string]string{},
		}
		for _, ch := range in.Dimensions {
			presence := "yes"
			switch {
			case ch.ID == "chat" && w == 0:
				presence = "planned"
			case ch.ID == "newsletter" && small:
				presence = "no"
			case ch.ID == "social" && small && w == 0:
				presence = "planned"
			}
			resp.Choices[ch.ID+"-presence"] = presence
			if presence != "yes" {
				continue
			}
			resp.Choices[ch.ID+"-update"] = choose(r, []string{"daily", "weekly", "weekly", "monthly"})
			base := 2.6 + 0.4*float64(w)
			if ch.ID == "intranet" || ch.ID == "chat" {
				base += 0.5 * float64(w)
			}
			resp.Answers[ch.ID+"-reach"] = float64(clampRound(base+0.7*r.NormFloat64(), in.Scale.Min, in.Scale.Max))
			resp.Answers[ch.ID+"-effectiveness"] = float64(clampRound(base+0.7*r.NormFloat64(), in.Scale.Min, in.Scale.Max))
		}
		if err := emitJSON(&resp, emit); err != nil {
			return err
		}
	}
	return nil
}
