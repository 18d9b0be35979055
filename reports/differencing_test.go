package reports_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
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

func dataJSON(t *testing.T, e *env, c *http.Client, page string, unit, grade, cohort string, into any, extra ...string) {
	t.Helper()
	v := url.Values{"tenant": {reportstest.TenantA}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
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
			categoryFigures
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

// categoryFigures are the readiness page's counts by score level, segment
// and barrier stage.
type categoryFigures struct {
	Distribution []struct {
		Dimension, Level string
		Cell             pubCell
	} `json:"distribution"`
	Segments []struct {
		Category string
		Cell     pubCell
	} `json:"segments"`
	Stages []struct {
		Category string
		Cell     pubCell
	} `json:"stages"`
}

// categoryReleases collects the readiness page's counts by category over
// every selection, each category a figure of its own (what), and each
// dimension's scored people (the n of its total) next to its levels.
func categoryReleases(t *testing.T, e *env) released {
	c := e.client(t, reportstest.HRA)
	r := released{}
	eachSelection(func(unit, grade, cohort string) {
		var d struct {
			Totals []struct {
				Dimension string
				Cell      pubCell
			} `json:"dimension_totals"`
			categoryFigures
		}
		dataJSON(t, e, c, "readiness", unit, grade, cohort, &d)
		for _, x := range d.Totals {
			r.add(figKey{unit, grade, cohort, "scored/" + x.Dimension}, x.Cell)
		}
		for _, x := range d.Distribution {
			r.add(figKey{unit, grade, cohort, "level/" + x.Dimension + "/" + x.Level}, x.Cell)
		}
		for _, x := range d.Segments {
			r.add(figKey{unit, grade, cohort, "segment/" + x.Category}, x.Cell)
		}
		for _, x := range d.Stages {
			r.add(figKey{unit, grade, cohort, "stage/" + x.Category}, x.Cell)
		}
	})
	return r
}

// levelLeaks returns every selection whose published scored people of a
// dimension minus its published levels leaves 1..k-1 people: the
// differencing along the categories themselves.
func (r released) levelLeaks(k int) []string {
	var out []string
	for key, n := range r {
		dim, ok := strings.CutPrefix(key.what, "scored/")
		if !ok {
			continue
		}
		rem := n
		for l := 1; l <= 5; l++ {
			rem -= r[figKey{key.unit, key.grade, key.cohort, fmt.Sprintf("level/%s/%d", dim, l)}]
		}
		if rem > 0 && rem < k {
			out = append(out, fmt.Sprintf("%+v minus its published levels leaves %d people", key, rem))
		}
	}
	return out
}

// categoryLeaks is leaks and levelLeaks together.
func (r released) categoryLeaks(k int) []string { return append(r.leaks(k), r.levelLeaks(k)...) }

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

// oneDay is a Wednesday of the fixture's weeks: from=to=oneDay asks for
// one day's points.
const oneDay = "2025-01-22"

func diaryReleases(t *testing.T, e *env) released {
	c := e.client(t, reportstest.LeadA)
	r := released{}
	eachSelection(func(unit, grade, cohort string) {
		for _, period := range [][]string{nil, {"from", oneDay, "to", oneDay}} {
			var d struct {
				Diary []struct {
					Week, Group, Rating string
					Cell                pubCell
				} `json:"diary"`
			}
			dataJSON(t, e, c, "impact", unit, grade, cohort, &d, period...)
			for _, x := range d.Diary {
				r.add(figKey{unit, grade, cohort, fmt.Sprint(len(period), x.Week, x.Group, x.Rating)}, x.Cell)
			}
		}
	})
	return r
}

func publishingReleases(t *testing.T, e *env) released {
	c := e.client(t, reportstest.AdminA)
	r := released{}
	eachSelection(func(unit, grade, cohort string) {
		for _, period := range [][]string{nil, {"from", oneDay, "to", oneDay}} {
			var d struct {
				Publishing []struct {
					Week string
					Cell pubCell
				} `json:"publishing"`
			}
			dataJSON(t, e, c, "communication", unit, grade, cohort, &d, period...)
			for _, x := range d.Publishing {
				r.add(figKey{unit, grade, cohort, fmt.Sprint(len(period), x.Week)}, x.Cell)
			}
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
	}{{"readiness", readinessReleases}, {"readiness levels, segments and stages", categoryReleases}, {"executive", executiveReleases}, {"impact diary", diaryReleases}, {"communication publishing", publishingReleases}} {
		t.Run("With the lattice protection, the "+page.name+" page's releases leave no remainder below the minimum", func(t *testing.T) {
			if ls := page.collect(t, safe).categoryLeaks(reports.DefaultMinGroup); len(ls) > 0 {
				t.Fatalf("%d groups below the minimum derived, e.g. %s", len(ls), ls[0])
			}
		})
		t.Run("Without it (per-table rule only), the same attack on the "+page.name+" page finds small groups", func(t *testing.T) {
			if ls := page.collect(t, unsafe).categoryLeaks(reports.DefaultMinGroup); len(ls) == 0 {
				t.Fatal("the attack found nothing with the protection off: it cannot fail")
			}
		})
	}
}

func TestCategoryFiguresUnderFilters(t *testing.T) {
	r := categoryReleases(t, mustStart(t))
	filtered := map[string]bool{}
	for k := range r {
		if k.unit != "" || k.grade != "" || k.cohort != "" {
			filtered[strings.SplitN(k.what, "/", 2)[0]] = true
		}
	}
	for _, what := range []string{"level", "segment", "stage"} {
		if !filtered[what] {
			t.Errorf("no %s count published under any filter: the lattice should publish the large cells", what)
		}
	}
}

func TestDiaryTermsAndPeriodsUnderFilters(t *testing.T) {
	safe, unsafe := mustStart(t), mustStartWith(t, startOpts{config: func(c *reports.Config) { c.Privacy.UnsafeNoLatticeProtection = true }})
	terms := func(e *env, grade string) int {
		var d struct {
			Terms []json.RawMessage `json:"terms"`
		}
		dataJSON(t, e, e.client(t, reportstest.LeadA), "impact", "", grade, "", &d)
		return len(d.Terms)
	}
	t.Run("OK the entity's terms are published and no grade's are, so all grades minus four subtracts nothing", func(t *testing.T) {
		if terms(safe, "") == 0 {
			t.Fatal("the unfiltered impact page must publish its terms")
		}
		for _, g := range attackGrades {
			if n := terms(safe, g); n != 0 {
				t.Errorf("grade %s: %d terms published under a filter", g, n)
			}
		}
	})
	t.Run("Err without the protection a grade's terms are published (the attack's input)", func(t *testing.T) {
		found := 0
		for _, g := range attackGrades {
			found += terms(unsafe, g)
		}
		if found == 0 {
			t.Fatal("no grade's terms with the protection off: the check above could not fail")
		}
	})
	t.Run("OK a one-day period is its whole ISO week, and the page says so", func(t *testing.T) {
		status, body := get(t, safe.client(t, reportstest.LeadA), safe.ts.URL+"/reports/impact/data.json?tenant="+reportstest.TenantA+"&from="+oneDay+"&to="+oneDay)
		var d struct {
			Filters map[string][]string `json:"filters"`
		}
		if err := json.Unmarshal([]byte(body), &d); status != http.StatusOK || err != nil {
			t.Fatalf("status %d: %v", status, err)
		}
		if got := fmt.Sprint(d.Filters["from"], d.Filters["to"]); got != "[2025-01-20] [2025-01-26]" {
			t.Fatalf("from=to=%s snapped to %s, want the week 2025-01-20..2025-01-26", oneDay, got)
		}
	})
}
