package synth

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/bussola-pa/bussola/schemas"
)

// Built-in diary effects of starting the pilot, on the 1-5 scale before
// rounding and clipping.
const (
	EffectWorkLifeBalance = 0.6
	EffectProductivity    = 0.3
	EffectConnection      = -0.2
)

// Probability of a technical problem on a diary day: baseline, during the
// first three weeks after a participant's start, and afterwards.
const (
	techBaseline = 0.12
	techEarly    = 0.35
	techLater    = 0.07
)

// genDiary emits the diary entries of one tenant: its participants and its
// comparison diarists write one to three entries per working week, week by
// week, person by person, day by day.
func genDiary(seed uint64, t *tenant, days []day, emit func([]byte) error) error {
	r := newSource()
	nweeks := (len(days) + 6) / 7
	var workdays []int
	for w := 0; w < nweeks; w++ {
		workdays = workdays[:0]
		for d := w * 7; d < min(len(days), w*7+7); d++ {
			if days[d].workday {
				workdays = append(workdays, d)
			}
		}
		if len(workdays) == 0 {
			continue
		}
		progress := float64(w) / float64(nweeks)
		for i := range t.people {
			p := &t.people[i]
			if !p.diarist {
				continue
			}
			r.reseed(seed, tagDiary, uint64(t.idx), uint64(p.idx), uint64(w))
			if r.bern(0.08 + 0.1*progress) { // skipped weeks grow as the novelty fades
				continue
			}
			k := clampRound(p.diaryLvl*(1-0.25*progress)+0.6*r.NormFloat64(), 1, 3)
			k = min(k, len(workdays))
			// Choose k distinct working days, kept in calendar order.
			var chosen [7]bool
			for picked := 0; picked < k; {
				j := r.IntN(len(workdays))
				if !chosen[j] {
					chosen[j] = true
					picked++
				}
			}
			for j, d := range workdays {
				if !chosen[j] {
					continue
				}
				line, err := diaryLine(seed, t, p, &days[d], r)
				if err != nil {
					return err
				}
				if err := emit(line); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func diaryLine(seed uint64, t *tenant, p *person, d *day, r *source) ([]byte, error) {
	treated := p.treated(d.idx)
	home := homeDay(seed, t, p, d)
	tech := techBaseline
	if treated {
		tech = techLater
		if d.idx-p.start < 21 {
			tech = techEarly
		}
	}
	if home && !treated {
		tech += 0.05 // occasional remote days without the pilot's support
	}
	winter := 0.0
	if m := d.date[5:7]; m == "12" || m == "01" || m == "02" {
		winter = -0.12 // a dip everyone shares; the comparison group absorbs it
	}
	eff := 0.0
	if treated {
		eff = 1
	}
	e := schemas.DiaryEntry{
		Envelope:        envelopeOf(t, p, uuidString(seed, tagDiary, uint64(t.idx), uint64(p.idx), uint64(d.idx))),
		Date:            d.date,
		Lang:            "it",
		Productivity:    clampRound(3.4+p.re[0]+EffectProductivity*eff+winter+0.8*r.NormFloat64(), 1, 5),
		WorkLifeBalance: clampRound(3.0+p.re[1]+EffectWorkLifeBalance*eff+winter+0.8*r.NormFloat64(), 1, 5),
		Connection:      clampRound(3.6+p.re[2]+EffectConnection*eff+winter+0.8*r.NormFloat64(), 1, 5),
		TechProblems:    r.bern(tech),
		Location:        "office",
	}
	if home {
		e.Location = "home"
		if r.bern(0.03) {
			e.Location = "coworking"
		}
	} else if r.bern(0.015) {
		e.Location = "other"
	}
	book := &italian
	if p.english {
		book, e.Lang = &english, "en"
	}
	e.Text = diaryText(book, r, &e, home)
	line, err := json.Marshal(&e)
	if err != nil {
		return nil, fmt.Errorf("encode diary entry: %w", err)
	}
	return line, nil
}

// envelopeOf builds the envelope of a record of person p.
func envelopeOf(t *tenant, p *person, eventID string) schemas.Envelope {
	return schemas.Envelope{
		EventID: eventID, Tenant: t.spec.ID, OrgUnit: t.spec.Units[p.unit].Name,
		Grade: t.spec.Grades[p.grade].Name, Cohort: t.cohorts[p.cohort], EmployeeID: p.id,
	}
}

func diaryText(b *phrasebook, r *source, e *schemas.DiaryEntry, home bool) string {
	var sb strings.Builder
	add := func(pool []string) {
		s := choose(r, pool)
		if i := strings.Index(s, "%d"); i >= 0 {
			n := 2 + r.IntN(5)
			if strings.Contains(s, "minut") {
				n = 15 + 5*r.IntN(12)
			}
			s = s[:i] + strconv.Itoa(n) + s[i+2:]
		}
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(s)
	}
	if home {
		add(b.home)
		if r.bern(0.55) {
			add(b.commuteSaved)
		}
	} else {
		add(b.office)
		if r.bern(0.3) {
			add(b.commuteOffice)
		}
	}
	if r.bern(0.35) {
		add(b.tasks)
	}
	switch {
	case e.Productivity >= 4 && r.bern(0.55):
		add(b.focusGood)
	case e.Productivity <= 2 && r.bern(0.6):
		add(b.focusBad)
	}
	if r.bern(0.3) {
		if home {
			add(b.meetingsRemote)
		} else {
			add(b.meetingsLocal)
		}
	}
	if e.TechProblems && r.bern(0.9) {
		add(b.techBad)
	} else if home && r.bern(0.15) {
		add(b.techFine)
	}
	switch {
	case e.Connection >= 4 && r.bern(0.35):
		add(b.colleaguesGood)
	case e.Connection <= 2 && r.bern(0.6):
		add(b.colleaguesBad)
	}
	family := 0.2
	if home {
		family = 0.5
	}
	switch {
	case e.WorkLifeBalance >= 4 && r.bern(family):
		add(b.familyGood)
	case e.WorkLifeBalance <= 2 && r.bern(0.5):
		add(b.familyBad)
	}
	return sb.String()
}
