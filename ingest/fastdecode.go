package ingest

import (
	"unicode/utf8"

	"github.com/bussola-pa/bussola/schemas"
)

// decodeIntranetFast decodes the common form of an intranet event: one
// flat JSON object whose keys are exactly the record's field names, with
// string values that need no unescaping and boolean flags. It reports
// false for anything else (an escape, a null, a number, an unknown or
// differently cased key, trailing data), and the caller then decodes the
// record with the general decoders; so it refuses nothing they accept, and
// what it accepts it decodes as encoding/json does. Intranet events are
// most of the traffic: this path decodes one in a fraction of the general
// decoder's time, with no allocation for the values it has seen before.
//
// On false, r may be partly filled and must be reset.
func decodeIntranetFast(data []byte, r *schemas.IntranetEvent, in interner) bool {
	s := flatScanner{b: data}
	s.space()
	if !s.take('{') {
		return false
	}
	s.space()
	if s.take('}') {
		return s.end()
	}
	for {
		key, ok := s.str()
		if !ok {
			return false
		}
		s.space()
		if !s.take(':') {
			return false
		}
		s.space()
		switch string(key) { // compiles to a comparison, no allocation
		case "remote":
			if r.Remote, ok = s.boolean(); !ok {
				return false
			}
		case "referent":
			if r.Referent, ok = s.boolean(); !ok {
				return false
			}
		case "ts":
			from := s.i
			if _, ok := s.str(); !ok || r.TS.UnmarshalJSON(data[from:s.i]) != nil {
				return false
			}
		default:
			v, ok := s.str()
			if !ok {
				return false
			}
			switch string(key) {
			case "event_id":
				r.EventID = string(v)
			case "tenant":
				r.Tenant = in.get(v)
			case "org_unit":
				r.OrgUnit = in.get(v)
			case "grade":
				r.Grade = in.get(v)
			case "cohort":
				r.Cohort = in.get(v)
			case "employee_id":
				r.EmployeeID = string(v)
			case "person":
				r.Person = in.get(v) // a few thousand people, seen again and again
			case "kind":
				r.Kind = in.get(v)
			case "section":
				r.Section = in.get(v)
			case "page":
				r.Page = in.get(v)
			case "device":
				r.Device = in.get(v)
			case "tool":
				r.Tool = in.get(v)
			default:
				return false
			}
		}
		s.space()
		if s.take('}') {
			return s.end()
		}
		if !s.take(',') {
			return false
		}
		s.space()
	}
}

// flatScanner reads the tokens of a flat JSON object.
type flatScanner struct {
	b []byte
	i int
}

func (s *flatScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *flatScanner) take(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// end reports whether only white space follows.
func (s *flatScanner) end() bool {
	s.space()
	return s.i == len(s.b)
}

// str reads a string that needs no unescaping and is valid UTF-8 (what
// encoding/json would change, the general decoders handle).
func (s *flatScanner) str() ([]byte, bool) {
	if !s.take('"') {
		return nil, false
	}
	start, ascii := s.i, true
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			v := s.b[start:j]
			if !ascii && !utf8.Valid(v) {
				return nil, false
			}
			s.i = j + 1
			return v, true
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

func (s *flatScanner) boolean() (bool, bool) {
	rest := s.b[s.i:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		s.i += 4
		return true, s.delimited()
	case len(rest) >= 5 && string(rest[:5]) == "false":
		s.i += 5
		return false, s.delimited()
	}
	return false, false
}

// delimited reports whether a literal ends here (truex is not true).
func (s *flatScanner) delimited() bool {
	if s.i == len(s.b) {
		return true
	}
	switch s.b[s.i] {
	case ' ', '\t', '\n', '\r', ',', '}':
		return true
	}
	return false
}

// interner shares one string among the records of a batch that carry the
// same value (tenants, units, kinds, sections, people), so decoding them
// allocates once per distinct value instead of once per record.
type interner map[string]string

// maxInterned bounds an interner: past it, values are copied as usual.
const maxInterned = 1 << 14

func (in interner) get(b []byte) string {
	if v, ok := in[string(b)]; ok { // no allocation for the lookup
		return v
	}
	v := string(b)
	if in != nil && len(in) < maxInterned {
		in[v] = v
	}
	return v
}
