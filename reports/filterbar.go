package reports

import (
	"context"
	"fmt"

	"github.com/bussola-pa/bussola/privacy"
)

// The filter bar greys out what the page would refuse: an option of unit,
// grade or cohort whose selection (with the other filters of the query) is
// a hidden cell of the page's protected pattern, or a cell the population
// rule would hide, is marked hidden and cannot be chosen. It is the rule
// the page itself applies to that selection (readinessData,
// readinessIndexKPI, populationBlocked), read from the same cached
// pattern, so an option is disabled exactly when choosing it would show
// the page hidden (small_population).
//
// It leaks nothing the pages do not: whether a cell is hidden is released
// anyway (the page of that selection, and the heatmap row of that cell,
// say so), the pattern depends only on the lattice's head counts, which
// it protects, and the bar names no reason and no number beyond the
// tenant's minimum. A published option's size is not shown either.

// filterDims are the filters the bar can grey out, in lattice order.
var filterDims = [3]string{"unit", "grade", "cohort"}

// filterOption is one option of a filter of the bar.
type filterOption struct {
	// Dim is the filter: unit, grade or cohort.
	Dim string
	// Value is the option's identifier ("" for all); the label comes from
	// the filterLabel template func.
	Value string
	// Selected is the query's value; Hidden an option whose selection the
	// page hides; Disabled a hidden option other than the selected one
	// (the selected one stays enabled, so the form still submits it).
	Selected, Hidden, Disabled bool
}

// filterBar is the bar's unit, grade and cohort options, "" (all) first.
type filterBar struct {
	Units, Grades, Cohorts []filterOption
	// AnyHidden says an option is marked: the bar then explains the mark.
	AnyHidden bool
}

// newFilterBar returns the options of opts for q, hidden where hidden
// (by filter name, then value) says so.
func newFilterBar(opts FilterOptions, q Query, hidden map[string]map[string]bool) filterBar {
	var b filterBar
	build := func(dim, cur string, values []string) []filterOption {
		out := make([]filterOption, 0, len(values)+1)
		for _, v := range append([]string{""}, values...) {
			o := filterOption{Dim: dim, Value: v, Selected: v == cur, Hidden: hidden[dim][v]}
			o.Disabled = o.Hidden && !o.Selected
			b.AnyHidden = b.AnyHidden || o.Hidden
			out = append(out, o)
		}
		return out
	}
	b.Units = build("unit", q.Unit, opts.Units)
	b.Grades = build("grade", q.Grade, opts.Grades)
	b.Cohorts = build("cohort", q.Cohort, opts.Cohorts)
	return b
}

// hiddenOptions returns the selections among the neighbours of q's that
// pattern p hides or that the population rule would hide under the
// minimum k: for each filter (unit, grade, cohort) and each of its values
// ("" for all) that the lattice holds, whether q with that value selects
// such a cell. people are the cells' head counts behind the population
// rule (the page's Population). A value the lattice does not hold selects
// nothing (the page is empty, not hidden) and is left out.
func hiddenOptions(p *privacy.Pattern, people []int, q Query, k int) map[string]map[string]bool {
	l := p.Lattice
	total := l.Index(privacy.Total, privacy.Total, privacy.Total)
	sel, ok := selection(l, q)
	if !ok {
		return nil
	}
	coord := l.Coord(sel, nil)
	out := map[string]map[string]bool{}
	for d, name := range filterDims {
		out[name] = map[string]bool{}
		c := append([]int(nil), coord...)
		for ci := privacy.Total; ci < len(l.Dims()[d].Categories); ci++ {
			c[d] = ci
			i := l.Index(c...)
			value := ""
			if ci != privacy.Total {
				value = l.Dims()[d].Categories[ci]
			}
			nq := q
			switch name {
			case "unit":
				nq.Unit = value
			case "grade":
				nq.Grade = value
			case "cohort":
				nq.Cohort = value
			}
			pop := Population{N: people[i], EntityN: people[total]}
			if p.Hidden(i) {
				pop.N = 0
			}
			if populationBlocked(pop, nq, k) {
				out[name][value] = true
			}
		}
	}
	return out
}

// hiddenFilters returns the filter bar's hidden options for page and q
// (q as load returns it: period snapped): from the latest readiness
// wave's pattern on the readiness and executive pages, whose selection is
// a cell of that lattice. The other pages hide a selection by their
// store's population, which no lattice holds yet: nothing is marked there.
func (s *Server) hiddenFilters(ctx context.Context, page Page, q Query) (map[string]map[string]bool, error) {
	if page != PageReadiness && page != PageExecutive || s.cfg.Privacy.UnsafeNoLatticeProtection {
		return nil, nil
	}
	k := s.cfg.Privacy.For(q.Tenant).MinGroup
	c, err := s.store.ReadinessCells(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("filter bar: readiness cells: %w", err)
	}
	if len(c.Waves) == 0 {
		return nil, nil
	}
	pats, err := s.wavePatterns(q.Tenant, c, k)
	if err != nil {
		return nil, fmt.Errorf("filter bar: %w", err)
	}
	last := len(c.Waves) - 1
	return hiddenOptions(pats[last], c.Waves[last].People, q, k), nil
}

// filterOptionView is one option as the template renders it.
type filterOptionView struct {
	filterOption
	T     tr
	Label string
}

// filterOptionView returns o with its label and the page's language
// (template func filterOptionView).
func newFilterOptionView(d pageData, o filterOption) filterOptionView {
	return filterOptionView{filterOption: o, T: d.T, Label: filterLabel(d, o)}
}

// filterLabel is the label of a filter option: "all" for "", the
// option's display name otherwise (label). The one place option labels
// are made.
func filterLabel(d pageData, o filterOption) string {
	if o.Value == "" {
		return d.T.T("f.all")
	}
	return label(d, o.Dim, o.Value)
}
