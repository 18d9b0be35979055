package attack

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is what one attack found.
type Report struct {
	// Requests is the number of GET requests made to the server.
	Requests int64 `json:"requests"`
	// Published is the number of visible values collected.
	Published int `json:"published"`
	// Leaks are the derived groups below the minimum whose value either
	// equals the stored one or could not be checked (no oracle).
	Leaks []Leak `json:"leaks"`
	// Findings are disclosures other than a derived value: a finer
	// second release of a figure, a person's membership of a small group.
	Findings []Finding `json:"findings"`
	// Unconfirmed are derivations the oracle contradicts: the published
	// numbers do not add up to the group's value (not a disclosure).
	Unconfirmed []Leak `json:"unconfirmed"`
	// Unread are the exports the server could not make (a PDF without
	// Chromium or past its time): not attacked.
	Unread []string `json:"unread"`
	// TruthReads is the number of oracle reads.
	TruthReads int           `json:"truth_reads"`
	Took       time.Duration `json:"took"`
	// Collect is the part of Took spent on the server's answers.
	Collect time.Duration `json:"collect"`
}

// membershipChecks is how many membership leaks per page and source are
// checked against the store.
const membershipChecks = 5

// Run attacks t: collects every published value its viewers can read and
// derives every group below the minimum it can.
func Run(ctx context.Context, t Target) (Report, error) {
	start := time.Now()
	var r Report
	all, found, unread, n, err := t.collect(ctx, t.plan())
	r.Requests, r.Published, r.Findings, r.Unread = n, len(all), found, unread
	r.Collect = time.Since(start)
	if err != nil {
		return r, err
	}
	// One pool per source (the page's data, its export, the API) and one
	// of everything together (page vs export vs API, pages vs pages).
	bySource := map[string][]obs{}
	for _, o := range all {
		bySource[o.Source] = append(bySource[o.Source], o)
	}
	pools := []map[key]obs{pool(all)}
	for _, s := range []string{"data.json", "csv", "xlsx", "api"} {
		pools = append(pools, pool(bySource[s]))
	}
	tc := &truthCache{t: t, m: map[string][]obs{}}
	seen := map[string]bool{}
	memberChecks := map[string]int{}
	for _, m := range pools {
		for _, d := range t.candidates(m) {
			l, ok := t.derive(d)
			if !ok {
				continue
			}
			id := l.Page + "|" + l.Sources + "|" + l.Measure + "|" + l.Group
			if seen[id] {
				continue
			}
			seen[id] = true
			// A membership is a count of nobody, exact by itself: a few
			// per page and source are read back from the store, not each
			// (every one reads the page for several small groups).
			checked := !l.Membership || memberChecks[l.Page+l.Sources] < membershipChecks
			if l.Membership && checked {
				memberChecks[l.Page+l.Sources]++
			}
			if t.Truth != nil && checked {
				if err := tc.check(ctx, d, &l); err != nil {
					return r, err
				}
				if l.Truth != nil && !l.Proven {
					r.Unconfirmed = append(r.Unconfirmed, l)
					continue
				}
			}
			r.Leaks = append(r.Leaks, l)
		}
	}
	order := func(a, b Leak) int {
		return cmp.Or(cmp.Compare(a.Page, b.Page), cmp.Compare(a.Sources, b.Sources), cmp.Compare(a.Measure, b.Measure), cmp.Compare(a.Group, b.Group))
	}
	slices.SortFunc(r.Leaks, order)
	slices.SortFunc(r.Unconfirmed, order)
	slices.SortFunc(r.Findings, func(a, b Finding) int { return cmp.Compare(a.String(), b.String()) })
	r.TruthReads, r.Took = tc.n, time.Since(start)
	return r, nil
}

// Proven counts the leaks equal to the stored value.
func (r Report) Proven() int {
	n := 0
	for _, l := range r.Leaks {
		if l.Proven {
			n++
		}
	}
	return n
}

// ByPage counts leaks per page and source.
func (r Report) ByPage() map[string]int {
	out := map[string]int{}
	for _, l := range r.Leaks {
		out[l.Page+" ["+l.Sources+"]"]++
	}
	return out
}

// Write prints the report: a summary by page, then up to examples leaks
// per page (all with examples < 0).
func (r Report) Write(w io.Writer, examples int) {
	fmt.Fprintf(w, "%d GET requests, %d published values, %d oracle reads, %s (%s collecting)\n", r.Requests, r.Published, r.TruthReads,
		r.Took.Round(time.Millisecond), r.Collect.Round(time.Millisecond))
	fmt.Fprintf(w, "%d groups below the minimum derived (%d equal to the stored value); %d derivations contradicted by the store; %d other findings\n\n",
		len(r.Leaks), r.Proven(), len(r.Unconfirmed), len(r.Findings))
	if len(r.Unread) > 0 {
		fmt.Fprintf(w, "not read (the server could not make them): %s\n\n", strings.Join(r.Unread, "; "))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "page [sources]\tleaks")
	bp := r.ByPage()
	keys := make([]string, 0, len(bp))
	for _, f := range r.Findings {
		bp[f.Page+" ["+f.Source+"] "+f.Kind]++
	}
	for k := range bp {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%d\n", k, bp[k])
	}
	tw.Flush()
	shown := map[string]int{}
	for _, f := range r.Findings {
		k := f.Page + " [" + f.Source + "] " + f.Kind
		if examples >= 0 && shown[k] >= examples {
			continue
		}
		if shown[k] == 0 {
			fmt.Fprintf(w, "\n%s\n", k)
		}
		shown[k]++
		fmt.Fprintln(w, "  "+f.Pop+": "+f.What)
	}
	for _, l := range r.Leaks {
		k := l.Page + " [" + l.Sources + "]"
		if examples >= 0 && shown[k] >= examples {
			continue
		}
		if shown[k] == 0 {
			fmt.Fprintf(w, "\n%s\n", k)
		}
		shown[k]++
		fmt.Fprintln(w, "  "+strings.TrimPrefix(l.String(), l.Page+" ["+l.Sources+"] "))
	}
}

func shiftDay(s string, n int) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// WriteUnconfirmed prints the derivations the store contradicts.
func (r Report) WriteUnconfirmed(w io.Writer) {
	for _, l := range r.Unconfirmed {
		fmt.Fprintln(w, "  "+l.String())
	}
}
