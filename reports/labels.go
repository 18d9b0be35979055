package reports

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Labels are the display names of a deployment, per tenant: what the
// pages, charts, tables, filter labels and exports' label columns show
// for an identifier. Identifiers stay in URLs, query values and the
// exports' key columns. Read from the labels file (ReadLabelsFile):
//
//	{"comune-aurelia": {"entity": "Comune di Aurelia",
//	  "units": {"ragioneria": "Ragioneria"}, "cohorts": {"onda-1": "Prima onda"},
//	  "waves": {...}, "pages": {...}, "instruments": {...}}}
//
// An identifier without a name reads in a readable form of itself
// (Readable).
type Labels map[string]TenantLabels

// TenantLabels are one tenant's display names by kind of identifier.
type TenantLabels struct {
	Entity      string            `json:"entity,omitempty"`
	Units       map[string]string `json:"units,omitempty"`
	Grades      map[string]string `json:"grades,omitempty"`
	Cohorts     map[string]string `json:"cohorts,omitempty"`
	Waves       map[string]string `json:"waves,omitempty"`
	Pages       map[string]string `json:"pages,omitempty"`
	Instruments map[string]string `json:"instruments,omitempty"`
}

// The kinds of identifier a display name can be given for.
const (
	KindEntity     = "entity"
	KindUnit       = "unit"
	KindGrade      = "grade"
	KindCohort     = "cohort"
	KindWave       = "wave"
	KindPage       = "page"
	KindInstrument = "instrument"
)

// maxLabel is the longest display name, in characters.
const maxLabel = 120

func (t TenantLabels) of(kind string) map[string]string {
	return map[string]map[string]string{KindUnit: t.Units, KindGrade: t.Grades, KindCohort: t.Cohorts, KindWave: t.Waves,
		KindPage: t.Pages, KindInstrument: t.Instruments}[kind]
}

// Name is the display name of id, of kind, in tenant: the configured
// one, else (for the entity, id is the tenant) the readable form of id.
func (l Labels) Name(tenant, kind, id string) string {
	t := l[tenant]
	if kind == KindEntity {
		t = l[id]
		if t.Entity != "" {
			return t.Entity
		}
		return Readable(id)
	}
	if n := t.of(kind)[id]; n != "" {
		return n
	}
	return Readable(id)
}

// Readable is an identifier made readable: "comune-aurelia" reads
// "Comune aurelia", "onda_1" "Onda 1"; an identifier that already has
// capitals or spaces is kept.
func Readable(id string) string {
	if id == "" || strings.ContainsFunc(id, func(r rune) bool { return unicode.IsUpper(r) || r == ' ' }) {
		return id
	}
	s := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return ' '
		}
		return r
	}, id)
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// Validate checks every name: not blank, at most maxLabel characters, no
// control characters. The error names the field and the rule, in Italian
// and in English.
func (l Labels) Validate() error {
	check := func(field, name string) error {
		switch {
		case strings.TrimSpace(name) == "":
			return fmt.Errorf("%s: il nome non può essere vuoto / the name must not be blank", field)
		case utf8.RuneCountInString(name) > maxLabel:
			return fmt.Errorf("%s: il nome supera %d caratteri / the name is longer than %d characters", field, maxLabel, maxLabel)
		case strings.ContainsFunc(name, unicode.IsControl):
			return fmt.Errorf("%s: il nome contiene caratteri di controllo / the name contains control characters", field)
		}
		return nil
	}
	for tenant, t := range l {
		if t.Entity != "" {
			if err := check(tenant+".entity", t.Entity); err != nil {
				return err
			}
		}
		for _, kind := range []string{KindUnit, KindGrade, KindCohort, KindWave, KindPage, KindInstrument} {
			for id, name := range t.of(kind) {
				if err := check(tenant+"."+kind+"s."+id, name); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// ReadLabelsFile reads and checks a labels file (JSON, see Labels).
func ReadLabelsFile(path string) (Labels, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("labels file: %w", err)
	}
	var l Labels
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("labels file %s: non è un file di nomi valido / not a valid labels file: %w", path, err)
	}
	if err := l.Validate(); err != nil {
		return nil, fmt.Errorf("labels file %s: %w", path, err)
	}
	return l, nil
}
