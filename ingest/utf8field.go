package ingest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/bussola-pa/bussola/schemas"
)

// invalidUTF8 returns the error of a line that is not valid UTF-8, naming
// the field whose string holds the first invalid byte. encoding/json
// would decode such a string with U+FFFD in place of the bytes, so the
// check runs on the raw line, before decoding; nil when the line is valid.
func invalidUTF8(data []byte) *schemas.FieldError {
	if utf8.Valid(data) {
		return nil
	}
	fe := schemas.InvalidUTF8Error(fieldAt(data, firstInvalidUTF8(data)))
	return &fe
}

// firstInvalidUTF8 is the offset of the first byte of data that does not
// begin a valid UTF-8 sequence, or len(data).
func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(data)
}

// fieldAt names the field of the JSON object in data whose key or value
// holds byte offset at, as a path such as "texts.q3" or "extra[2].note";
// a byte inside a key names the object holding the key. It walks the
// tokens of encoding/json, which report where each one ends; "" when the
// byte is at the top level or the JSON breaks before reaching it.
func fieldAt(data []byte, at int) string {
	type frame struct {
		path      string
		object    bool
		expectKey bool
		key       string
		index     int
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []*frame
	// valuePath is the path of the value about to be read.
	valuePath := func() string {
		if len(stack) == 0 {
			return ""
		}
		f := stack[len(stack)-1]
		if f.object {
			if f.path == "" {
				return f.key
			}
			return f.path + "." + f.key
		}
		return f.path + "[" + strconv.Itoa(f.index) + "]"
	}
	// done records that the value at the top of the stack was read.
	done := func() {
		if len(stack) == 0 {
			return
		}
		if f := stack[len(stack)-1]; f.object {
			f.expectKey = true
		} else {
			f.index++
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		end := int(dec.InputOffset())
		top := (*frame)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if end > at {
			if top != nil && top.object && top.expectKey {
				return top.path
			}
			return valuePath()
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, &frame{path: valuePath(), object: t == '{', expectKey: t == '{'})
			default:
				stack = stack[:len(stack)-1]
				done()
			}
		case string:
			if top != nil && top.object && top.expectKey {
				top.key, top.expectKey = t, false
				continue
			}
			done()
		default:
			done()
		}
	}
}
