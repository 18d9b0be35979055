package schemas

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error codes a caller can act on. They are mapped to HTTP statuses in one
// place, HTTPStatus below, which the intake, the erasure API, the scoring
// API and the reports' API all answer with.
const (
	EINVALID      = "invalid"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ENOTFOUND     = "not_found"
	ETOOLARGE     = "too_large"
	EUNAVAILABLE  = "unavailable"
	EINTERNAL     = "internal"
)

// httpStatus is the HTTP status of each code; EINTERNAL and unknown codes
// answer 500.
var httpStatus = map[string]int{
	EINVALID:      http.StatusBadRequest,
	EUNAUTHORIZED: http.StatusUnauthorized,
	EFORBIDDEN:    http.StatusForbidden,
	ENOTFOUND:     http.StatusNotFound,
	ETOOLARGE:     http.StatusRequestEntityTooLarge,
	EUNAVAILABLE:  http.StatusServiceUnavailable,
	EINTERNAL:     http.StatusInternalServerError,
}

// HTTPStatus is the HTTP status an error code is answered with: 400
// invalid, 401 unauthorized, 403 forbidden, 404 not_found, 413 too_large,
// 503 unavailable, and 500 for internal and any other code (those are
// the service's faults: log them, answer without details).
func HTTPStatus(code string) int {
	if s, ok := httpStatus[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

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
