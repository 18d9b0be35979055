package synth

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/bussola-pa/bussola/schemas"
)

// The two questionnaire waves: before the pilot and after both cohorts
// started. Responses arrive on working days between first and last.
type surveyWave struct {
	label       string
	first, last string
}

var surveyWaves = []surveyWave{
	{"2025-10", "2025-10-06", "2025-10-31"},
	{"2026-04", "2026-04-08", "2026-04-30"},
}

// Built-in questionnaire effects: change of the digital competence and
// attitude traits between the waves, in SD, for people whose cohort started
// before the second wave and for everyone else.
const (
	EffectDigitalPilot      = 0.3
	EffectDigitalComparison = 0.05
)

const itemMissing = 0.02

// Person instruments, answered by employees in each wave.
var personInstruments = []string{"digital-readiness", "digital-attitude", "change-readiness"}

// instrumentSet holds the definitions the generator answers, with fixed
// per-item loadings and intercepts.
type instrumentSet struct {
	byID  map[string]*schemas.Instrument
	load  map[string][]float64 // instrument id -> loading per item
	shift map[string][]float64 // instrument id -> intercept per item
	dims  map[string][]int     // instrument id -> dimension index per item
}

func newInstrumentSet(seed uint64) (*instrumentSet, error) {
	list, err := schemas.BuiltinInstruments()
	if err != nil {
		return nil, fmt.Errorf("load instruments: %w", err)
	}
	s := &instrumentSet{byID: map[string]*schemas.Instrument{}, load: map[string][]float64{},
		shift: map[string][]float64{}, dims: map[string][]int{}}
	for i := range list {
		in := &list[i]
		if in.Version != 1 {
			continue
		}
		s.byID[in.ID] = in
		dimIdx := map[string]int{}
		for j, d := range in.Dimensions {
			dimIdx[d.ID] = j
		}
		h := key(seed, tagSurvey, hashString(in.ID))
		for j, it := range in.Items {
			hj := key(h, uint64(j))
			s.load[in.ID] = append(s.load[in.ID], 0.6+0.2*unit01(hj))
			s.shift[in.ID] = append(s.shift[in.ID], -0.4+0.8*unit01(mix(hj)))
			s.dims[in.ID] = append(s.dims[in.ID], dimIdx[it.Dimension])
		}
	}
	for _, id := range append(personInstruments, "page-feedback", "comm-status") {
		if s.byID[id] == nil {
			return nil, fmt.Errorf("load instruments: built-in instrument %q version 1 is missing", id)
		}
	}
	return s, nil
}

func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// traits are a person's latent standing, in SD units, in one wave.
type traits struct {
	digital  float64 // general digital competence
	attitude float64 // general attitude to digital change
	barrier  int     // first change stage that blocks (1..5), 6 for none
	specific map[string][]float64
}

// personTraits draws p's traits at wave 0 and their change at wave 1.
func personTraits(seed uint64, t *tenant, p *person, set *instrumentSet, wave int) traits {
	r := newSource()
	r.reseed(seed, tagSurvey, uint64(t.idx), uint64(p.idx))
	tr := traits{specific: map[string][]float64{}}
	tr.digital = p.digital + r.NormFloat64()
	tr.attitude = 0.5*(tr.digital-p.digital) + 0.87*r.NormFloat64() + 0.5*p.digital
	tr.barrier = 1 + r.pick(barrierCum)
	for _, id := range personInstruments[:2] {
		for range set.byID[id].Dimensions {
			tr.specific[id] = append(tr.specific[id], r.NormFloat64())
		}
	}
	if wave == 0 {
		return tr
	}
	// Change between the waves, drawn from a stream of its own so wave 0
	// does not depend on it.
	r.reseed(seed, tagSurvey, uint64(t.idx), uint64(p.idx), 1)
	delta := EffectDigitalComparison
	second, _ := dayIndex(surveyWaves[1].first)
	if p.start >= 0 && p.start < second {
		delta = EffectDigitalPilot
	}
	tr.digital += delta + 0.2*r.NormFloat64()
	tr.attitude += delta + 0.2*r.NormFloat64()
	if tr.barrier <= 5 && r.bern(ifElse(delta == EffectDigitalPilot, 0.45, 0.1)) {
		tr.barrier++
	}
	return tr
}

// Barrier stage probabilities, stages 1..5 and "no barrier".
var barrierCum = cumulative([]float64{0.08, 0.15, 0.2, 0.25, 0.17, 0.15})

func ifElse(c bool, a, b float64) float64 {
	if c {
		return a
	}
	return b
}

// latent returns the latent score behind dimension dim of instrument id.
func (tr *traits) latent(in *schemas.Instrument, dim int) float64 {
	spec := tr.specific[in.ID][dim]
	switch in.ID {
	case "digital-readiness":
		return 0.7*tr.digital + 0.71*spec
	case "digital-attitude":
		if in.Dimensions[dim].Pole == "inhibiting" {
			return -0.7*tr.attitude + 0.71*spec
		}
		return 0.7*tr.attitude + 0.71*spec
	}
	return 0
}

// answerLikert answers every scale item of a Likert instrument.
func answerLikert(r *source, set *instrumentSet, in *schemas.Instrument, tr *traits) map[string]float64 {
	out := make(map[string]float64, len(in.Items))
	mid := float64(in.Scale.Min+in.Scale.Max) / 2
	spread := float64(in.Scale.Max-in.Scale.Min) / 4
	for j, it := range in.Items {
		if it.ItemType() != schemas.ItemScale || r.bern(itemMissing) {
			continue
		}
		l := set.load[in.ID][j]
		x := l*tr.latent(in, set.dims[in.ID][j]) + math.Sqrt(1-l*l)*r.NormFloat64()
		v := clampRound(mid+set.shift[in.ID][j]*spread+spread*1.1*x, in.Scale.Min, in.Scale.Max)
		if it.Reversed {
			v = in.Scale.Min + in.Scale.Max - v
		}
		out[it.ID] = float64(v)
	}
	return out
}

// answerStages rates each change stage: high before the person's barrier,
// low at it, middling after it.
func answerStages(r *source, in *schemas.Instrument, tr *traits) map[string]float64 {
	out := make(map[string]float64, len(in.Items))
	for j, it := range in.Items {
		if it.ItemType() != schemas.ItemScale || r.bern(itemMissing) {
			continue
		}
		stage := j + 1
		mean := 4.2 - 0.1*float64(stage) + 0.25*tr.attitude
		switch {
		case stage == tr.barrier:
			mean = 2.1 + 0.2*tr.attitude
		case stage > tr.barrier:
			mean = 2.9 - 0.15*float64(stage-tr.barrier) + 0.2*tr.attitude
		}
		out[it.ID] = float64(clampRound(mean+0.6*r.NormFloat64(), in.Scale.Min, in.Scale.Max))
	}
	return out
}

// genSurveys emits the questionnaire responses of tenant t: wave by wave,
// person by person, instrument by instrument.
func genSurveys(seed uint64, t *tenant, set *instrumentSet, days []day, emit func([]byte) error) error {
	r := newSource()
	for w, wave := range surveyWaves {
		first, _ := dayIndex(wave.first)
		last, _ := dayIndex(wave.last)
		for i := range t.people {
			p := &t.people[i]
			r.reseed(seed, tagSurvey, uint64(t.idx), uint64(p.idx), uint64(w), 2)
			rate := t.spec.Units[p.unit].ResponseRate + 0.05
			if p.diarist {
				rate += 0.1
			}
			if w == 1 {
				rate -= 0.04
			}
			if !r.bern(math.Min(rate, 0.97)) {
				continue
			}
			// Most answer in the first days after the invitation.
			d := first + int(math.Min(float64(last-first), r.ExpFloat64()*5))
			for !days[d].workday && d < last {
				d++
			}
			at := days[d].unix(9*3600 + r.IntN(8*3600))
			tr := personTraits(seed, t, p, set, w)
			for k, id := range personInstruments {
				if r.bern(0.03) {
					continue // started but did not submit this one
				}
				in := set.byID[id]
				resp := schemas.SurveyResponse{
					Envelope:          envelopeOf(t, p, uuidString(seed, tagSurvey, uint64(t.idx), uint64(p.idx), uint64(w), uint64(k))),
					InstrumentID:      in.ID,
					InstrumentVersion: in.Version,
					Wave:              wave.label,
					SubmittedAt:       time.Unix(at+int64(k*(240+r.IntN(400))), 0).UTC(),
				}
				if in.Kind == schemas.KindStages {
					resp.Answers = answerStages(r, in, &tr)
				} else {
					resp.Answers = answerLikert(r, set, in, &tr)
				}
				if len(resp.Answers) == 0 {
					continue
				}
				if err := emitJSON(&resp, emit); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func emitJSON(v any, emit func([]byte) error) error {
	line, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode record: %w", err)
	}
	return emit(line)
}
