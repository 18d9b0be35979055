package synth

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
)

// person is one fictional employee and the hidden traits that drive every
// stream: random effects, habits and the pilot assignment.
type person struct {
	idx      int
	id       string // "AUR-000123"
	unit     int
	grade    int
	cohort   int // 0 comparison, w+1 for wave w
	start    int // day index of the wave start, or -1
	referent bool
	diarist  bool
	english  bool // writes the diary in English

	activity float64    // intranet activity multiplier, mean about 1
	mobile   float64    // share of intranet use from a phone
	homeMask [7]bool    // weekdays of the remote-work agreement (participants)
	homeBase float64    // probability of an occasional remote day
	diaryLvl float64    // diary entries per week, 1..3
	re       [3]float64 // diary random effects: productivity, balance, connection
	digital  float64    // unit and grade shift of digital traits, in SD

	envelope []byte // JSON fields tenant..employee_id, no braces
}

func (p *person) treated(d int) bool { return p.start >= 0 && d >= p.start }

// tenant is a generated tenant: its spec, people and cohort labels.
type tenant struct {
	idx     int
	spec    TenantSpec
	people  []person
	cohorts []string // index 0 is ComparisonCohort
	starts  []int    // day index per cohort, -1 for comparison
}

// buildTenant draws the tenant's population. It depends only on the seed,
// the tenant's position and its spec.
func buildTenant(seed uint64, idx int, spec TenantSpec, scale float64) (*tenant, error) {
	t := &tenant{idx: idx, spec: spec, cohorts: []string{ComparisonCohort}, starts: []int{-1}}
	for _, w := range spec.Waves {
		d, err := dayIndex(w.Start)
		if err != nil {
			return nil, err
		}
		t.cohorts = append(t.cohorts, w.Label)
		t.starts = append(t.starts, d)
	}
	r := newSource()
	r.reseed(seed, tagPopulation, uint64(idx))

	n := scaled(spec.Employees, scale, 10)
	unitW := make([]float64, len(spec.Units))
	for i, u := range spec.Units {
		unitW[i] = u.Weight
	}
	unitCum := cumulative(unitW)
	gradeCums := make([][]float64, len(spec.Units))
	for i, u := range spec.Units {
		gradeCums[i] = cumulative(u.GradeMix[:len(spec.Grades)])
	}

	t.people = make([]person, n)
	for i := range t.people {
		p := &t.people[i]
		p.idx = i
		p.id = spec.Prefix + "-" + pad6(i+1)
		p.unit = r.pick(unitCum)
		p.grade = r.pick(gradeCums[p.unit])
		p.start = -1
		p.referent = r.bern(0.02)
		p.english = r.bern(0.04)
		p.activity = math.Exp(0.55*r.NormFloat64() - 0.15)
		p.mobile = 0.03 + 0.12*r.Float64()
		p.homeBase = 0.01 + 0.04*r.Float64()
		p.diaryLvl = 1 + 2*r.Float64()
		for k := range p.re {
			p.re[k] = 0.5 * r.NormFloat64()
		}
		p.digital = spec.Units[p.unit].Digital + spec.Grades[p.grade].Digital
		// Remote-work agreement: two or three weekdays, Monday to Friday.
		days := r.Perm(5)[:2+r.IntN(2)]
		for _, wd := range days {
			p.homeMask[wd+1] = true
		}
	}
	if !slices.ContainsFunc(t.people, func(p person) bool { return p.referent }) {
		t.people[r.IntN(n)].referent = true
	}

	// Pilot waves: weighted sampling without replacement (Efraimidis-Spirakis
	// keys), so participants over-represent the units and grades that can
	// work remotely.
	assign := func(size int, cohort int) {
		type cand struct {
			key float64
			i   int
		}
		var cs []cand
		for i := range t.people {
			p := &t.people[i]
			if p.cohort != 0 || p.diarist {
				continue
			}
			w := spec.Units[p.unit].PilotAffinity * spec.Grades[p.grade].PilotAffinity
			if w <= 0 {
				continue
			}
			cs = append(cs, cand{math.Log(r.Float64()) / w, i})
		}
		slices.SortFunc(cs, func(a, b cand) int {
			if a.key != b.key {
				if a.key > b.key {
					return -1
				}
				return 1
			}
			return a.i - b.i
		})
		for _, c := range cs[:min(size, len(cs))] {
			p := &t.people[c.i]
			if cohort > 0 {
				p.cohort = cohort
				p.start = t.starts[cohort]
			}
			p.diarist = true
		}
	}
	for w, ws := range spec.Waves {
		assign(scaled(ws.Size, scale, 1), w+1)
	}
	// The comparison diarists are drawn with the same weights: a comparison
	// group that resembles the participants.
	assign(scaled(spec.ComparisonDiarists, scale, 1), 0)

	for i := range t.people {
		p := &t.people[i]
		p.envelope = envelopeJSON(spec.ID, spec.Units[p.unit].Name, spec.Grades[p.grade].Name, t.cohorts[p.cohort], p.id)
	}
	return t, nil
}

func pad6(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}

// envelopeJSON renders the envelope fields shared by every record of a
// person, without the event id: "tenant":...,"employee_id":"...".
func envelopeJSON(tenant, unit, grade, cohort, employeeID string) []byte {
	var b []byte
	field := func(name, v string) {
		if len(b) > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
		q, _ := json.Marshal(v)
		b = append(b, q...)
	}
	field("tenant", tenant)
	field("org_unit", unit)
	field("grade", grade)
	field("cohort", cohort)
	field("employee_id", employeeID)
	return b
}

// homeDay reports whether p works remotely on day d. Participants follow
// their agreement from their start, ramping up over about six weeks;
// everyone else (and participants before their start) only occasionally.
// Diary and intranet streams call it alike, so they agree.
func homeDay(seed uint64, t *tenant, p *person, d *day) bool {
	if !d.workday {
		return false
	}
	u := unit01(key(seed, tagHome, uint64(t.idx), uint64(p.idx), uint64(d.idx)))
	if p.treated(d.idx) && p.homeMask[d.weekday] {
		weeks := float64(d.idx-p.start) / 7
		return u < 0.15+0.8*math.Min(1, (weeks+1)/6)
	}
	return u < p.homeBase
}
