package attack

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
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
// The numbers in fixed (the page's own prose) are left out.
func precisionFindings(page, source string, p Pop, text string, data []byte, fixed ...string) ([]Finding, int, error) {
	vals, err := releasedValues(data)
	if err != nil {
		return nil, 0, err
	}
	got := slices.DeleteFunc(decimals(text, true), func(s shown) bool { return slices.Contains(fixed, s.text) })
	var out []Finding
	for _, g := range finer(got, vals) {
		out = append(out, Finding{Page: page, Source: source, Kind: "precision", Pop: p.String(),
			What: strconv.Quote(g.text) + " is no value of data.json at " + strconv.Itoa(g.places) + " decimals"})
	}
	return out, len(got), nil
}

// seriesMembership looks at the weekly series (diary, publishing) of a
// population of 1 to k-1 people by the organisation chart: a week listed
// (hidden or not) says that some of them wrote or published, a week left
// out between two listed ones that none did. Each such gap is a person's
// membership of a group below the minimum, week by week.
func (t Target) seriesMembership(page string, p Pop, raw []byte) ([]Finding, error) {
	h := t.Org.Count(p.Group)
	if p.dims() == 0 || h < 1 || h >= cmp.Or(t.MinGroup, 5) {
		return nil, nil
	}
	var d pageData
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("%s data.json: %w", page, err)
	}
	series := map[string][]string{}
	for _, c := range d.Diary {
		series["diary ("+c.Group+")"] = append(series["diary ("+c.Group+")"], c.Week)
	}
	for _, c := range d.Publishing {
		series["items published"] = append(series["items published"], c.Week)
	}
	var out []Finding
	for name, weeks := range series {
		slices.Sort(weeks)
		weeks = slices.Compact(weeks)
		var gaps []string
		for i := 1; i < len(weeks); i++ {
			for w := shiftDay(weeks[i-1], 7); w < weeks[i]; w = shiftDay(w, 7) {
				gaps = append(gaps, w)
			}
		}
		if len(gaps) == 0 {
			continue
		}
		out = append(out, Finding{Page: page, Source: "data.json", Kind: "membership", Pop: p.String(),
			What: fmt.Sprintf("%s: %d weeks listed, %d left out between them (e.g. %s): whether its %d people took part, week by week", name, len(weeks), len(gaps), gaps[0], h)})
	}
	slices.SortFunc(out, func(a, b Finding) int { return strings.Compare(a.What, b.What) })
	return out, nil
}
