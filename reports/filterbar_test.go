package reports_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/reports/reportstest"
)

// barOption is one option of the rendered filter bar.
type barOption struct {
	filter, value      string
	disabled, selected bool
	marked             bool // labelled "(nascosto)"
}

var (
	selectRE = regexp.MustCompile(`(?s)<select name="(unit|grade|cohort)"([^>]*)>(.*?)</select>`)
	optionRE = regexp.MustCompile(`<option value="([^"]*)"([^>]*)>([^<]*)</option>`)
)

// filterBar reads the unit, grade and cohort options of a rendered page.
func filterBar(t *testing.T, body string) []barOption {
	t.Helper()
	var out []barOption
	for _, s := range selectRE.FindAllStringSubmatch(body, -1) {
		for _, o := range optionRE.FindAllStringSubmatch(s[3], -1) {
			out = append(out, barOption{filter: s[1], value: html.UnescapeString(o[1]), disabled: strings.Contains(o[2], "disabled"),
				selected: strings.Contains(o[2], "selected"), marked: strings.HasSuffix(o[3], "(nascosto)")})
		}
	}
	if len(out) == 0 {
		t.Fatalf("no filter options in the page:\n%s", body)
	}
	return out
}

// readinessPublished reports whether the readiness page of v publishes a
// dimension total (the selection's own cell): false when the page is
// hidden or has nothing for the selection.
func readinessPublished(t *testing.T, e *env, c *http.Client, v url.Values) bool {
	t.Helper()
	var d struct {
		Totals []struct{ Cell pubCell } `json:"dimension_totals"`
	}
	dataJSON(t, e, c, "readiness", v.Get("unit"), v.Get("grade"), v.Get("cohort"), &d)
	for _, x := range d.Totals {
		if !x.Cell.Suppressed {
			return true
		}
	}
	return false
}

// TestFilterBarGreysOutHiddenSelections: for the entity and every
// one-filter selection, each option of the bar is marked hidden exactly
// when the page of the selection with that option publishes nothing,
// and a marked option is disabled unless it is the current selection.
func TestFilterBarGreysOutHiddenSelections(t *testing.T) {
	e := mustStart(t)
	c := e.client(t, reportstest.HRA)
	queries := []url.Values{{}}
	for _, u := range attackUnits {
		queries = append(queries, url.Values{"unit": {u}})
	}
	for _, g := range attackGrades {
		queries = append(queries, url.Values{"grade": {g}})
	}
	for _, co := range attackCohorts {
		queries = append(queries, url.Values{"cohort": {co}})
	}
	marked, open := 0, 0
	for _, q := range queries {
		q.Set("tenant", reportstest.TenantA)
		status, body := get(t, c, e.ts.URL+"/reports/readiness?"+q.Encode())
		if status != http.StatusOK {
			t.Fatalf("%v: status %d", q, status)
		}
		for _, o := range filterBar(t, body) {
			nq := url.Values{}
			for k, v := range q {
				nq[k] = v
			}
			nq.Set(o.filter, o.value)
			published := readinessPublished(t, e, c, nq)
			switch {
			case o.marked == published:
				t.Errorf("page %v, option %s=%q: marked hidden %v, but the page of %v publishes %v", q, o.filter, o.value, o.marked, nq, published)
			case o.marked && o.disabled == o.selected:
				t.Errorf("page %v, option %s=%q: hidden, selected %v, disabled %v (want disabled unless selected)", q, o.filter, o.value, o.selected, o.disabled)
			case !o.marked && o.disabled:
				t.Errorf("page %v, option %s=%q: published but disabled", q, o.filter, o.value)
			}
			if o.marked {
				marked++
			} else {
				open++
			}
		}
	}
	if marked == 0 || open == 0 {
		t.Fatalf("%d options marked hidden, %d published: the fixture must have both for the test to mean anything", marked, open)
	}
	t.Run("OK the marks come with their explanation, in Italian and in English", func(t *testing.T) {
		for _, tc := range []struct{ lang, want string }{
			{"", "gruppo sotto il minimo di 5 persone"},
			{"en", "a group below the minimum of 5 people"},
		} {
			u := e.ts.URL + "/reports/readiness?tenant=" + reportstest.TenantA + "&lang=" + tc.lang
			_, body := get(t, c, u)
			body = html.UnescapeString(body)
			if !strings.Contains(body, tc.want) || !strings.Contains(body, `aria-describedby="f-hidden-note"`) {
				t.Errorf("lang %q: no explanation %q tied to the selects", tc.lang, tc.want)
			}
		}
	})
	t.Run("OK a typed URL that selects a hidden option still hides the page with its reason", func(t *testing.T) {
		status, body := get(t, c, e.ts.URL+"/reports/readiness/data.json?tenant="+reportstest.TenantA+"&unit="+url.QueryEscape(reportstest.SmallUnit))
		if status != http.StatusOK || !strings.Contains(body, `"reason":"small_population"`) || strings.Contains(body, `"value"`) {
			t.Fatalf("status %d: %s", status, body)
		}
	})
}
