package attack

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// Leak is a group below the minimum whose value the published numbers
// give away: a published group minus one or more published parts of it.
type Leak struct {
	Page    string  `json:"page"`
	Measure string  `json:"measure"`
	Sources string  `json:"sources"` // where the values came from, e.g. "data.json+csv"
	From    string  `json:"from"`    // the published group subtracted from
	Minus   string  `json:"minus"`   // the published groups subtracted
	Group   string  `json:"group"`   // the derived group
	Size    int     `json:"size"`    // its people (headcount for text)
	Min     int     `json:"min"`     // the minimum it is below
	Value   float64 `json:"value"`   // the derived value
	Bound   float64 `json:"bound"`   // how far rounding can move it
	// Truth is the stored value of the group when an oracle was given;
	// Proven says the derived value equals it (within Bound).
	Truth  *float64 `json:"truth,omitempty"`
	TruthN int      `json:"truth_n,omitempty"`
	Proven bool     `json:"proven"`
	// Membership marks a derived group that nobody of Headcount people
	// (1 to Min-1 by the organisation chart) is in: a viewer learns that
	// each of them did not answer, write or publish (Size 0).
	Membership bool `json:"membership,omitempty"`
	Headcount  int  `json:"headcount,omitempty"`
}

func (l Leak) String() string {
	if l.Membership {
		s := fmt.Sprintf("%s [%s] %s: %s minus %s = %s: none of its %d people (min %d) is counted", l.Page, l.Sources, l.Measure, l.From, l.Minus, l.Group, l.Headcount, l.Min)
		if l.Truth != nil && l.Proven {
			s += ", stored n=0, equal"
		}
		return s
	}
	s := fmt.Sprintf("%s [%s] %s: %s minus %s = %s (%d people, min %d): %.4g", l.Page, l.Sources, l.Measure, l.From, l.Minus, l.Group, l.Size, l.Min, l.Value)
	if l.Bound > 1e-9 {
		s += fmt.Sprintf(" ±%.2g", l.Bound)
	}
	if l.Truth != nil {
		s += fmt.Sprintf(", stored %.4g (n=%d)", *l.Truth, l.TruthN)
		if l.Proven {
			s += ", equal"
		} else {
			s += ", NOT equal"
		}
	}
	return s
}

// derivation is one candidate: A minus the parts subs; the derived group
// is A's population restricted to dim in vals (population differencing)
// or A's group over the period [from, to] (period shift).
type derivation struct {
	a        obs
	subs     []obs
	dim      string
	vals     []string
	from, to string
	// writers bounds the people who wrote in each one-day population.
	writers map[Pop]int
}

func (t Target) minFor(o obs) int {
	if o.Text {
		return cmp.Or(t.MinText, 10)
	}
	return cmp.Or(t.MinGroup, 5)
}

type key struct {
	measure string
	pop     Pop
}

// pool indexes observations by measure and population, keeping the most
// precise one of each.
func pool(published []obs) map[key]obs {
	m := map[key]obs{}
	for _, o := range published {
		k := key{o.Measure, o.Pop}
		if old, ok := m[k]; !ok || o.Err < old.Err {
			m[k] = o
		}
	}
	return m
}

// candidates finds every derivation of a group below the minimum in one
// pool of observations.
func (t Target) candidates(m map[key]obs) []derivation {
	var out []derivation
	keys := make([]key, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Compare(a.measure+a.pop.String(), b.measure+b.pop.String()) })
	// Population differencing: a group minus its visible parts along one
	// dimension (leaves the hidden parts), and minus each part alone
	// (leaves that part's complement).
	for _, k := range keys {
		a := m[k]
		if k.measure == writersMeasure {
			continue // an upper bound where hidden, for sizing text only: not subtracted
		}
		for _, dim := range []string{"unit", "grade", "cohort"} {
			if a.Pop.get(dim) != "" {
				continue
			}
			var vals, hidden []string
			var parts []obs
			for _, v := range t.Org.values(dim) {
				if t.Org.Count(a.Pop.with(dim, v).Group) == 0 {
					continue
				}
				vals = append(vals, v)
				if p, ok := m[key{a.Measure, a.Pop.with(dim, v)}]; ok {
					parts = append(parts, p)
				} else {
					hidden = append(hidden, v)
				}
			}
			if len(parts) == 0 {
				continue
			}
			if len(hidden) > 0 {
				out = append(out, derivation{a: a, subs: parts, dim: dim, vals: hidden})
			}
			if len(vals) > 1 && !(len(parts) == 1 && len(hidden) > 0) {
				for _, p := range parts {
					rest := slices.DeleteFunc(slices.Clone(vals), func(v string) bool { return v == p.Pop.get(dim) })
					out = append(out, derivation{a: a, subs: []obs{p}, dim: dim, vals: rest})
				}
			}
		}
	}
	// Period shifts: a period minus a shorter one sharing an end.
	type gk struct {
		measure string
		g       Group
	}
	byGroup := map[gk][]obs{}
	for _, k := range keys {
		o := m[k]
		if o.Pop.From != "" && o.Pop.To != "" && o.Pop.From != o.Pop.To {
			byGroup[gk{o.Measure, o.Pop.Group}] = append(byGroup[gk{o.Measure, o.Pop.Group}], o)
		}
	}
	writers := map[Pop]int{}
	for k, o := range m {
		if k.measure == writersMeasure {
			writers[k.pop] = o.N
		}
	}
	for _, same := range byGroup {
		for _, a := range same {
			for _, b := range same {
				if a.Pop == b.Pop {
					continue
				}
				switch {
				case a.Pop.From == b.Pop.From && b.Pop.To < a.Pop.To:
					out = append(out, derivation{a: a, subs: []obs{b}, from: dayAfter(b.Pop.To), to: a.Pop.To, writers: writers})
				case a.Pop.To == b.Pop.To && b.Pop.From > a.Pop.From:
					out = append(out, derivation{a: a, subs: []obs{b}, from: a.Pop.From, to: dayBefore(b.Pop.From), writers: writers})
				}
			}
		}
	}
	return out
}

// derive computes a candidate's group size and value; ok is false when
// the group is not below the minimum (or empty).
func (t Target) derive(d derivation) (Leak, bool) {
	a := d.a
	n, sum, bound := a.N, float64(a.N)*a.Value, float64(a.N)*a.Err
	if a.Kind == counted {
		sum, bound = a.Value, a.Err
	}
	var minus, srcs []string
	srcs = append(srcs, a.Source)
	for _, s := range d.subs {
		n -= s.N
		if a.Kind == counted {
			sum -= s.Value
			bound += s.Err
		} else {
			sum -= float64(s.N) * s.Value
			bound += float64(s.N) * s.Err
		}
		minus = append(minus, s.Pop.String())
		if !slices.Contains(srcs, s.Source) {
			srcs = append(srcs, s.Source)
		}
	}
	l := Leak{Page: a.Page, Measure: a.Measure, Sources: strings.Join(srcs, "+"), From: a.Pop.String(), Min: t.minFor(a)}
	if len(minus) > 3 {
		l.Minus = fmt.Sprintf("%d parts by %s (%s, ...)", len(minus), d.dim, strings.Join(minus[:2], ", "))
	} else {
		l.Minus = strings.Join(minus, " and ")
	}
	size := n
	if d.dim != "" {
		l.Group = fmt.Sprintf("%s with %s in {%s}", a.Pop.String(), d.dim, strings.Join(d.vals, ", "))
		if a.Text {
			size = 0 // the text minimum is about the people who write: the group's headcount
			for _, v := range d.vals {
				size += t.Org.Count(a.Pop.with(d.dim, v).Group)
			}
		}
	} else {
		g := a.Pop
		g.From, g.To = d.from, d.to
		l.Group = g.String()
		if a.Text {
			// The people who wrote in the shifted days: the diary series
			// of that day says how many, at most.
			w, ok := d.writers[g]
			if !ok || n < 1 {
				return l, false
			}
			if math.Abs(sum) <= bound {
				return l, false // the shifted days add nobody's words
			}
			size = w
		}
	}
	l.Size = size
	if n == 0 && size == 0 && d.dim != "" && !a.Text {
		// Nobody counted in the remainder: by the organisation chart a
		// viewer knows who is in it, and now that none of them is counted.
		for _, v := range d.vals {
			l.Headcount += t.Org.Count(a.Pop.with(d.dim, v).Group)
		}
		l.Membership = l.Headcount > 0 && l.Headcount < l.Min
		return l, l.Membership
	}
	if size < 1 || size >= l.Min || n < 0 || (a.Kind == weighted && n < 1) {
		return l, false
	}
	if a.Kind == weighted {
		l.Value, l.Bound = sum/float64(n), bound/float64(n)
	} else {
		l.Value, l.Bound = sum, bound
	}
	return l, true
}

// truthCache memoises the oracle's pages per filters.
type truthCache struct {
	t  Target
	mu sync.Mutex
	m  map[string][]obs
	n  int
}

func (c *truthCache) get(ctx context.Context, page string, p Pop) ([]obs, error) {
	k := page + "?" + p.values(c.t.Tenant).Encode()
	c.mu.Lock()
	defer c.mu.Unlock()
	if got, ok := c.m[k]; ok {
		return got, nil
	}
	raw, err := c.t.Truth(ctx, page, p.values(c.t.Tenant))
	if err != nil {
		return nil, err
	}
	got, err := observeData(page, p, raw, "truth")
	if err != nil {
		return nil, err
	}
	c.m[k] = got
	c.n++
	return got, nil
}

// check compares a leak with the stored value of its group: the union of
// its parts (population differencing) or its shifted period.
func (c *truthCache) check(ctx context.Context, d derivation, l *Leak) error {
	if d.a.Table {
		return nil // an exported table's own figure: nothing to read it from
	}
	page := d.a.Page
	if page == "assessment-api" { // the pages that publish the same measures
		page = "readiness"
		if d.a.Measure == indexMeasure {
			page = "executive"
		}
	}
	var pops []Pop
	if d.dim != "" {
		for _, v := range d.vals {
			pops = append(pops, d.a.Pop.with(d.dim, v))
		}
	} else {
		p := d.a.Pop
		p.From, p.To = d.from, d.to
		pops = append(pops, p)
	}
	n, sum, found := 0, 0.0, false
	for _, p := range pops {
		got, err := c.get(ctx, page, p)
		if err != nil {
			return err
		}
		for _, o := range got {
			// One value per population (the heatmap's row of a unit and
			// the unit's total are the same value).
			if o.Measure == d.a.Measure && o.Pop == p {
				found = true
				n += o.N
				if o.Kind == counted {
					sum += o.Value
				} else {
					sum += float64(o.N) * o.Value
				}
				break
			}
		}
	}
	// Membership: the store counts nobody of the group either (no part
	// in its answer is nobody too).
	if l.Membership {
		zero := 0.0
		l.Truth, l.TruthN, l.Proven = &zero, n, n == 0
		return nil
	}
	// No part in the store's answer: the store does not publish this
	// measure for the group at all (a term outside its top list, a week
	// without a cell), so there is nothing to check against.
	if !found {
		return nil
	}
	truth := sum
	if d.a.Kind == weighted {
		if n == 0 {
			return nil
		}
		truth = sum / float64(n)
	}
	l.Truth, l.TruthN = &truth, n
	// Equal value, and (but for text, sized by headcount) the same people.
	l.Proven = math.Abs(truth-l.Value) <= l.Bound+1e-6*math.Max(1, math.Abs(truth)) && (d.a.Text || n == l.Size)
	return nil
}

func dayAfter(s string) string  { return shiftDay(s, 1) }
func dayBefore(s string) string { return shiftDay(s, -1) }
