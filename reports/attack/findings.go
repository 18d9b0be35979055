package attack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// Finding is a disclosure that is not a value derived by subtraction: a
// figure one source gives at a finer precision (or at all) where the data
// endpoint hides it or rounds it, or a person's membership of a group
// below the minimum that the published cells tell.
type Finding struct {
	Page   string `json:"page"`
	Source string `json:"source"`
	Kind   string `json:"kind"` // "precision", "membership"
	Pop    string `json:"pop"`
	What   string `json:"what"`
}

func (f Finding) String() string {
	return fmt.Sprintf("%s [%s] %s %s: %s", f.Page, f.Source, f.Kind, f.Pop, f.What)
}

// releasedValues are every number the data endpoint's answer holds.
func releasedValues(b []byte) ([]released, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out []released
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("data.json: %w", err)
		}
		if n, ok := tok.(json.Number); ok {
			if v, err := n.Float64(); err == nil {
				out = append(out, released{v})
			}
		}
	}
}

// csvLinkRE finds the CSV exports a page links to.
var csvLinkRE = regexp.MustCompile(`/export/([a-z0-9-]+)\.csv`)

// csvWidgets are the widgets whose tables the page offers as CSV.
func csvWidgets(html []byte) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range csvLinkRE.FindAllSubmatch(html, -1) {
		if id := string(m[1]); !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// precisionFindings compares the decimal numbers a source shows (a PDF's
// text, in Italian) with the data endpoint's answer for the same filters.
func precisionFindings(page, source string, p Pop, text string, data []byte) ([]Finding, int, error) {
	vals, err := releasedValues(data)
	if err != nil {
		return nil, 0, err
	}
	got := decimals(text, true)
	var out []Finding
	for _, g := range finer(got, vals) {
		out = append(out, Finding{Page: page, Source: source, Kind: "precision", Pop: p.String(),
			What: strconv.Quote(g.text) + " is no value of data.json at " + strconv.Itoa(g.places) + " decimals"})
	}
	return out, len(got), nil
}
