package schemas

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes a caller can act on. They are mapped to HTTP statuses in one
// place (ingest's intake) and to dead-letter reasons in the consumers.
const (
	EINVALID      = "invalid"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ENOTFOUND     = "not_found"
	ETOOLARGE     = "too_large"
	EUNAVAILABLE  = "unavailable"
	EINTERNAL     = "internal"
)

// Error is an application error with a code a caller can act on.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf builds an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and
// EINTERNAL otherwise.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Validation rules, used in FieldError.Rule. They are stable strings that
// clients may match on.
const (
	RuleRequired  = "required"
	RuleFormat    = "format"
	RuleRange     = "range"
	RuleEnum      = "enum"
	RuleMaxLength = "max_length"
	RuleUnknown   = "unknown_field"
	RuleSyntax    = "json_syntax"
	RuleForbidden = "forbidden"
	RuleRawID     = "raw_identifier"
	RuleRetention = "retention"
	RuleUTF8      = "utf8"
	RuleControl   = "control_character"
)

// FieldError says which field of a record broke which rule. Message is in
// English; MessageIT, in Italian, is set by the rules that have it.
type FieldError struct {
	Field     string `json:"field"`
	Rule      string `json:"rule"`
	Message   string `json:"message"`
	MessageIT string `json:"message_it,omitempty"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message + " (" + e.Rule + ")" }

// ValidationError collects every FieldError of one record.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return strings.Join(parts, "; ")
}

// validator accumulates field errors.
type validator struct{ errs []FieldError }

func (v *validator) add(field, rule, format string, args ...any) {
	v.errs = append(v.errs, FieldError{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// addIT adds a field error with its Italian and English messages.
func (v *validator) addIT(field, rule, it, en string) {
	v.errs = append(v.errs, FieldError{Field: field, Rule: rule, Message: en, MessageIT: it})
}

func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: v.errs}
}
