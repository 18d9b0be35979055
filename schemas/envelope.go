package schemas

import "unicode/utf8"

// Envelope holds the fields every record carries: who it belongs to
// (tenant, the public body), which organisational slice the person sits in,
// and the record's own identity.
//
// On the intake API a producer sends EmployeeID, the raw identifier from its
// HR system. The intake replaces it with Person, a keyed pseudonym, before
// anything reaches Kafka: messages on the topics carry Person and never
// EmployeeID.
type Envelope struct {
	EventID    string `json:"event_id"`
	Tenant     string `json:"tenant"`
	OrgUnit    string `json:"org_unit"`
	Grade      string `json:"grade"`
	Cohort     string `json:"cohort"`
	EmployeeID string `json:"employee_id,omitempty"`
	Person     string `json:"person,omitempty"`
}

// Stage says where a record is being validated: at the intake edge (raw
// employee identifier expected) or on a topic (pseudonym expected, raw
// identifier forbidden).
type Stage int

const (
	// AtIntake validates a record posted to the HTTP intake.
	AtIntake Stage = iota
	// OnTopic validates a message read from a Kafka topic.
	OnTopic
)

func (e *Envelope) validate(v *validator, stage Stage) {
	if e.EventID == "" {
		v.add("event_id", RuleRequired, "is required")
	} else if !isUUID(e.EventID) {
		v.add("event_id", RuleFormat, "must be a UUID")
	}
	if e.Tenant == "" {
		v.add("tenant", RuleRequired, "is required")
	} else if !isSlug(e.Tenant) {
		v.add("tenant", RuleFormat, "must be a lower-case slug of letters, digits, '-' or '_' (at most 63)")
	}
	requireText(v, "org_unit", e.OrgUnit, 100)
	requireText(v, "grade", e.Grade, 50)
	requireText(v, "cohort", e.Cohort, 50)
	switch stage {
	case AtIntake:
		if e.Person != "" {
			v.add("person", RuleForbidden, "is set by the intake; send employee_id instead")
		}
		if e.EmployeeID == "" {
			v.add("employee_id", RuleRequired, "is required")
		} else if utf8.RuneCountInString(e.EmployeeID) > 200 {
			v.add("employee_id", RuleMaxLength, "must be at most 200 characters")
		} else {
			textChars(v, "employee_id", e.EmployeeID, false)
		}
	case OnTopic:
		if e.EmployeeID != "" {
			v.add("employee_id", RuleRawID, "raw employee identifiers are not allowed on topics; send the keyed pseudonym in person")
		}
		if e.Person == "" {
			v.add("person", RuleRequired, "is required")
		} else if !isPerson(e.Person) {
			v.add("person", RuleFormat, "must be 16 lower-case hex digits (a keyed pseudonym)")
		}
	}
}

func requireText(v *validator, field, s string, max int) {
	if s == "" {
		v.add(field, RuleRequired, "is required")
		return
	}
	optionalText(v, field, s, max)
}

// optionalText checks a one-line text: its length and its characters.
func optionalText(v *validator, field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		v.add(field, RuleMaxLength, "must be at most %d characters", max)
	}
	textChars(v, field, s, false)
}

// freeText checks a free text, which may span lines.
func freeText(v *validator, field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		v.add(field, RuleMaxLength, "must be at most %d characters", max)
	}
	textChars(v, field, s, true)
}

func oneOf(v *validator, field, s string, allowed []string, required bool) {
	if s == "" {
		if required {
			v.add(field, RuleRequired, "is required (one of %v)", allowed)
		}
		return
	}
	for _, a := range allowed {
		if s == a {
			return
		}
	}
	v.add(field, RuleEnum, "must be one of %v", allowed)
}
