package schemas

import (
	"math"
	"time"
	"unicode/utf8"
)

// SurveyResponse is one completed questionnaire: every answer a person gave
// to one instrument (identified by id and version) in one wave.
//
// Numeric answers go in Answers (item id -> value on the instrument's scale).
// Items answered by choosing from a fixed list (the reason of a page
// feedback, say) go in Choices, free-text items in Texts. Context names what
// the response is about where that matters (the page of a page feedback, the
// channel of a communication-status questionnaire).
type SurveyResponse struct {
	Envelope
	InstrumentID      string             `json:"instrument_id"`
	InstrumentVersion int                `json:"instrument_version"`
	Wave              string             `json:"wave"`
	SubmittedAt       time.Time          `json:"submitted_at"`
	Context           string             `json:"context,omitempty"`
	Answers           map[string]float64 `json:"answers"`
	Choices           map[string]string  `json:"choices,omitempty"`
	Texts             map[string]string  `json:"texts,omitempty"`
}

// itemID checks the item id of an answer, a key of field, and reports
// whether it is well formed (a broken id is not repeated in field names).
func itemID(v *validator, field, item string) bool {
	if item == "" || utf8.RuneCountInString(item) > 100 {
		v.add(field, RuleFormat, "item ids must be 1 to 100 characters")
		return false
	}
	n := len(v.errs)
	textChars(v, field, item, false)
	return len(v.errs) == n
}

// MaxSurveyText is the longest free-text answer accepted, in characters.
const MaxSurveyText = 2000

// InstrumentChecker validates a response against its instrument definition.
// The intake and the consumers pass one built from the instrument catalogue;
// nil skips the instrument-specific checks.
type InstrumentChecker func(r *SurveyResponse) []FieldError

// Validate checks every field of the response and reports all violations.
func (r *SurveyResponse) Validate(stage Stage, check InstrumentChecker) error {
	var v validator
	r.Envelope.validate(&v, stage)
	if r.InstrumentID == "" {
		v.add("instrument_id", RuleRequired, "is required")
	} else if !isSlug(r.InstrumentID) {
		v.add("instrument_id", RuleFormat, "must be a lower-case slug")
	}
	if r.InstrumentVersion < 1 || r.InstrumentVersion > 65535 {
		v.add("instrument_version", RuleRange, "must be an integer from 1 to 65535")
	}
	requireText(&v, "wave", r.Wave, 50)
	if r.SubmittedAt.IsZero() {
		v.add("submitted_at", RuleRequired, "is required (RFC 3339 timestamp)")
	} else if r.SubmittedAt.Year() < 2000 || r.SubmittedAt.After(time.Now().Add(48*time.Hour)) {
		v.add("submitted_at", RuleRange, "must be between 2000 and now")
	}
	optionalText(&v, "context", r.Context, 500)
	if len(r.Answers)+len(r.Choices)+len(r.Texts) == 0 {
		v.add("answers", RuleRequired, "a response needs at least one answer")
	}
	for item, x := range r.Answers {
		if !itemID(&v, "answers", item) {
			continue
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			v.add("answers."+item, RuleRange, "must be a finite number")
		}
	}
	for item, s := range r.Choices {
		if !itemID(&v, "choices", item) {
			continue
		}
		optionalText(&v, "choices."+item, s, 100)
	}
	for item, s := range r.Texts {
		if !itemID(&v, "texts", item) {
			continue
		}
		freeText(&v, "texts."+item, s, MaxSurveyText)
	}
	if check != nil && len(v.errs) == 0 {
		v.errs = append(v.errs, check(r)...)
	}
	return v.err()
}
