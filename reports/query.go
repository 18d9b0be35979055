package reports

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Query is a report request: which tenant, which slice of its people, which
// period, in which language. It is parsed from the URL so a view can be
// shared as a link, and checked against the user's entitlements by
// Server.scope before any store sees it.
type Query struct {
	// Tenant is the entity (public body) the page is about.
	Tenant string
	// Tenants lists every tenant the user may see on this page (set by the
	// server, never by the URL); used for cross-entity benchmarks.
	Tenants []string
	// Unit, Grade and Cohort filter the population ("" means all).
	Unit, Grade, Cohort string
	// From and To bound the period, inclusive, as dates (zero means open).
	From, To time.Time
	// Lang is "it" (default) or "en".
	Lang string
	// MinText is the tenant's text minimum (set by the server, never by
	// the URL): the store counts diary terms only over the weeks in which
	// at least MinText people of the selection wrote.
	MinText int
}

// QueryError names the URL parameter that broke a rule.
type QueryError struct {
	Param, Rule string
	// Code names the rule for the page's message in the user's language
	// ("date", "order", "label"; "" for the others).
	Code string
	// Value is the value given (set by ParseFilters, for the form).
	Value string
}

func (e *QueryError) Error() string { return "parameter " + e.Param + ": " + e.Rule }

var tenantRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// knownParams are the parameters a report URL may carry.
var knownParams = []string{"tenant", "unit", "grade", "cohort", "from", "to", "lang", "format", "dialect"}

// ParseQuery reads and validates the filter parameters. Unknown parameters
// are rejected, so a mistyped filter never silently widens a view.
func ParseQuery(v url.Values) (Query, error) {
	for k := range v {
		if !slices.Contains(knownParams, k) {
			return Query{}, &QueryError{Param: k, Rule: "is not a known parameter"}
		}
		if len(v[k]) > 1 {
			return Query{}, &QueryError{Param: k, Rule: "must be given once"}
		}
	}
	q := Query{
		Tenant: v.Get("tenant"), Unit: v.Get("unit"), Grade: v.Get("grade"),
		Cohort: v.Get("cohort"), Lang: v.Get("lang"),
	}
	if q.Tenant != "" && !tenantRE.MatchString(q.Tenant) {
		return Query{}, &QueryError{Param: "tenant", Rule: "must be a lower-case slug"}
	}
	for _, p := range []struct{ name, val string }{{"unit", q.Unit}, {"grade", q.Grade}, {"cohort", q.Cohort}} {
		if err := checkLabel(p.name, p.val); err != nil {
			return Query{}, err
		}
	}
	var err error
	if q.From, err = parseDay("from", v.Get("from")); err != nil {
		return Query{}, err
	}
	if q.To, err = parseDay("to", v.Get("to")); err != nil {
		return Query{}, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return Query{}, &QueryError{Param: "to", Rule: "must not be before from", Code: "order"}
	}
	switch q.Lang {
	case "":
		q.Lang = "it"
	case "it", "en":
	default:
		return Query{}, &QueryError{Param: "lang", Rule: "must be it or en"}
	}
	return q, nil
}

func checkLabel(name, s string) error {
	if utf8.RuneCountInString(s) > 100 {
		return &QueryError{Param: name, Rule: "must be at most 100 characters", Code: "label"}
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return &QueryError{Param: name, Rule: "must be printable text", Code: "label"}
	}
	return nil
}

// parseDay reads a date as the filter form gives it, dd/mm/yyyy (the
// Italian way, whatever the browser's locale), or as links carry it,
// yyyy-mm-dd.
func parseDay(name, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t, err = time.Parse("2/1/2006", s)
	}
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, &QueryError{Param: name, Rule: "must be a date dd/mm/yyyy or YYYY-MM-DD between 2000 and 2100", Code: "date"}
	}
	return t, nil
}

// filterParams are the parameters the filter form sets: a bad one is left
// out of a page's query, not refused with the whole request.
var filterParams = []string{"unit", "grade", "cohort", "from", "to"}

// ParseFilters is ParseQuery for a page opened from the filter form: a bad
// unit, grade, cohort or date is left out and returned, with the value
// given, the rest of the query kept, so that the page shows the message
// next to the field with the other filters applied. Other errors are
// ParseQuery's.
func ParseFilters(v url.Values) (Query, []*QueryError, error) {
	v = maps.Clone(v)
	var bad []*QueryError
	for {
		q, err := ParseQuery(v)
		var qe *QueryError
		if err == nil || !errors.As(err, &qe) || !slices.Contains(filterParams, qe.Param) || len(v[qe.Param]) != 1 {
			return q, bad, err
		}
		qe.Value = v.Get(qe.Param)
		bad = append(bad, qe)
		delete(v, qe.Param)
	}
}

// Values encodes the query's URL parameters (not Tenants), omitting empty
// ones and the default language, so links stay short and stable.
func (q Query) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("tenant", q.Tenant)
	set("unit", q.Unit)
	set("grade", q.Grade)
	set("cohort", q.Cohort)
	if !q.From.IsZero() {
		v.Set("from", q.From.Format(time.DateOnly))
	}
	if !q.To.IsZero() {
		v.Set("to", q.To.Format(time.DateOnly))
	}
	if q.Lang != "" && q.Lang != "it" {
		v.Set("lang", q.Lang)
	}
	return v
}

// With returns the query's URL with one parameter changed ("" removes it).
func (q Query) With(key, val string) string {
	v := q.Values()
	if val == "" {
		v.Del(key)
	} else {
		v.Set(key, val)
	}
	return v.Encode()
}

// Filtered reports whether any population filter is set.
func (q Query) Filtered() bool { return q.Unit != "" || q.Grade != "" || q.Cohort != "" }

// Describe is a one-line description of the filters, for audit records.
func (q Query) Describe() string {
	return fmt.Sprintf("unit=%q grade=%q cohort=%q from=%s to=%s", q.Unit, q.Grade, q.Cohort, day(q.From), day(q.To))
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
