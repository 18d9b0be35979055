package reports_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

// The differencing attack of issue 9 on the fixture, one step deep: every
// selection a viewer can make (unit x grade x cohort, each or all), every
// published cell with its n, then every published cell minus its
// published parts along one dimension. A remainder of 1..k-1 people is a
// group below the minimum whose figure the viewer has derived.

var (
	attackUnits   = []string{"Ragioneria", "Servizi sociali", "Urbanistica", "Polizia locale", reportstest.SmallUnit}
	attackGrades  = []string{"dirigente", "funzionario", "istruttore"}
	attackCohorts = []string{"onda-1", "onda-2", "confronto"}
)

// figKey is one released figure: the cell (labels, "" for all) and what.
type figKey struct{ unit, grade, cohort, what string }

type pubCell struct {
	Value      *float64 `json:"value"`
	N          *int     `json:"n"`
	Suppressed bool     `json:"suppressed"`
}

// released collects what one page publishes over every selection.
type released map[figKey]int

func (r released) add(k figKey, c pubCell) {
	if c.Suppressed || c.N == nil || *c.N == 0 {
		return
	}
	r[k] = *c.N
}

// leaks returns every published cell minus its published parts along one
// dimension that leaves 1..k-1 people.
func (r released) leaks(k int) []string {
	var out []string
	dims := [][]string{attackUnits, attackGrades, attackCohorts}
	for key, n := range r {
		coord := []string{key.unit, key.grade, key.cohort}
		for d, cats := range dims {
			if coord[d] != "" {
				continue
			}
			rem := n
			for _, c := range cats {
				child := append([]string(nil), coord...)
				child[d] = c
				rem -= r[figKey{child[0], child[1], child[2], key.what}]
			}
			if rem > 0 && rem < k {
				out = append(out, fmt.Sprintf("%+v minus its parts by dimension %d leaves %d people", key, d, rem))
			}
		}
	}
	return out
}

func eachSelection(f func(unit, grade, cohort string)) {
	for _, u := range append([]string{""}, attackUnits...) {
		for _, g := range append([]string{""}, attackGrades...) {
			for _, c := range append([]string{""}, attackCohorts...) {
				f(u, g, c)
			}
		}
	}
}

func dataJSON(t *testing.T, e *env, c *http.Client, page string, unit, grade, cohort string, into any) {
	t.Helper()
	v := url.Values{"tenant": {reportstest.TenantA}}
	for k, x := range map[string]string{"unit": unit, "grade": grade, "cohort": cohort} {
		if x != "" {
			v.Set(k, x)
		}
	}
	status, body := get(t, c, e.ts.URL+"/reports/"+page+"/data.json?"+v.Encode())
	if status != http.StatusOK {
		t.Fatalf("%s %v: status %d: %s", page, v, status, body)
	}
	var wrap struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &wrap); err != nil || len(wrap.Data) == 0 {
		if err := json.Unmarshal([]byte(body), into); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		return
	}
	if err := json.Unmarshal(wrap.Data, into); err != nil {
		t.Fatalf("%s: %v", page, err)
	}
}

func readinessReleases(t *testing.T, e *env) released {
	c := e.client(t, reportstest.HRA)
	r := released{}
	eachSelection(func(unit, grade, cohort string) {
		var d struct {
			Heatmap []struct {
				Unit, Dimension string
				Cell            pubCell
			} `json:"heatmap"`
			Totals []struct {
				Dimension string
				Cell      pubCell
			} `json:"dimension_totals"`
		}
		dataJSON(t, e, c, "readiness", unit, grade, cohort, &d)
		for _, h := range d.Heatmap {
			r.add(figKey{h.Unit, grade, cohort, h.Dimension}, h.Cell)
		}
		for _, x := range d.Totals {
			r.add(figKey{unit, grade, cohort, x.Dimension}, x.Cell)
		}
	})
	return r
}

func executiveReleases(t *testing.T, e *env) released {
	c := e.client(t, reportstest.ExecA)
	r := released{}
	eachSelection(func(unit, grade, cohort string) {
		var d struct {
			KPIs []struct {
				Key     string  `json:"key"`
				Current pubCell `json:"current"`
			} `json:"kpis"`
		}
		dataJSON(t, e, c, "executive", unit, grade, cohort, &d)
		for _, k := range d.KPIs {
			r.add(figKey{unit, grade, cohort, k.Key}, k.Current)
		}
	})
	return r
}

func TestDifferencingFindsNoSmallGroup(t *testing.T) {
	unsafe := mustStartWith(t, startOpts{config: func(c *reports.Config) { c.Privacy.UnsafeNoLatticeProtection = true }})
	safe := mustStart(t)
	for _, page := range []struct {
		name    string
		collect func(*testing.T, *env) released
	}{{"readiness", readinessReleases}, {"executive", executiveReleases}} {
		t.Run("With the lattice protection, the "+page.name+" page's releases leave no remainder below the minimum", func(t *testing.T) {
			if ls := page.collect(t, safe).leaks(reports.DefaultMinGroup); len(ls) > 0 {
				t.Fatalf("%d groups below the minimum derived, e.g. %s", len(ls), ls[0])
			}
		})
		t.Run("Without it (per-table rule only), the same attack on the "+page.name+" page finds small groups", func(t *testing.T) {
			if ls := page.collect(t, unsafe).leaks(reports.DefaultMinGroup); len(ls) == 0 {
				t.Fatal("the attack found nothing with the protection off: it cannot fail")
			}
		})
	}
}
