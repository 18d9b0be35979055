package attack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// pagesOf are the pages each role may open (as the product documents
// them) and the attacker reads with that role.
var pagesOf = map[string][]string{
	RoleHR:          {"readiness", "communication"},
	RoleProjectLead: {"impact"},
	RoleExecutive:   {"executive"},
}

// request is one GET the attacker makes.
type request struct {
	role, page string
	pop        Pop
	kind       string // "json", "csv", "api", "exports", "pdf"
	by         string // api grouping
}

func (p Pop) values(tenant string) url.Values {
	v := url.Values{"tenant": {tenant}}
	for _, kv := range [][2]string{{"unit", p.Unit}, {"grade", p.Grade}, {"cohort", p.Cohort}, {"from", p.From}, {"to", p.To}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	return v
}

// populations are every group of the organisation chart with one or two
// dimensions fixed (and the entity), that has people.
func (o OrgChart) populations() []Pop {
	dims := []string{"unit", "grade", "cohort"}
	out := []Pop{{}}
	for i, d := range dims {
		for _, v := range o.values(d) {
			out = append(out, Pop{}.with(d, v))
		}
		for _, d2 := range dims[i+1:] {
			for _, v := range o.values(d) {
				for _, v2 := range o.values(d2) {
					p := Pop{}.with(d, v).with(d2, v2)
					if o.Count(p.Group) > 0 {
						out = append(out, p)
					}
				}
			}
		}
	}
	return out
}

// plan lists the requests: every page of every role for every population;
// the readiness heatmap's CSV for the entity and one-filter populations;
// the assessment API by each grouping; one-day periods on the impact page;
// and period shifts by one day, one week (one bin) on the pages with
// series.
func (t Target) plan() []request {
	pops := t.Org.populations()
	var out []request
	for _, vw := range t.Viewers {
		for _, page := range pagesOf[vw.Role] {
			for _, p := range pops {
				out = append(out, request{role: vw.Role, page: page, pop: p, kind: "json"})
				if page == "readiness" && p.dims() <= 1 {
					out = append(out, request{role: vw.Role, page: page, pop: p, kind: "csv"})
				}
				// Every table as CSV and the workbook, for the entity and
				// each one-dimension group; the PDF for the entity and one
				// grade (Chromium takes seconds a page: they are printed
				// one at a time, after the rest).
				if p.dims() <= 1 {
					out = append(out, request{role: vw.Role, page: page, pop: p, kind: "exports"})
				}
				if p.dims() == 0 || (p.dims() == 1 && p.Grade == t.Org.values("grade")[0]) {
					out = append(out, request{role: vw.Role, page: page, pop: p, kind: "pdf"})
				}
			}
		}
		if vw.APIToken != "" {
			for _, by := range []string{"org_unit", "grade", "cohort"} {
				out = append(out, request{role: vw.Role, page: "assessment-api", kind: "api", by: by})
			}
		}
	}
	var short []Pop // the entity and each one-dimension group
	for _, p := range pops {
		if p.dims() <= 1 {
			short = append(short, p)
		}
	}
	days := slices.Clone(t.Days)
	for _, w := range t.Weeks {
		// The first and last day of each shifted window below.
		if start, err := time.Parse(time.DateOnly, w); err == nil {
			days = append(days, start.Format(time.DateOnly), start.AddDate(0, 0, 11).Format(time.DateOnly))
		}
	}
	for _, day := range days {
		for _, p := range short {
			p.From, p.To = day, day
			out = append(out, request{role: RoleProjectLead, page: "impact", pop: p, kind: "json"})
		}
	}
	for _, w := range t.Weeks {
		start, err := time.Parse(time.DateOnly, w)
		if err != nil {
			continue
		}
		d := func(n int) string { return start.AddDate(0, 0, n).Format(time.DateOnly) }
		// A two-week window from a Monday to a Friday, then shifted: to a
		// day and a week (one bin) earlier, from a day later.
		// And two whole ISO weeks, one bin shorter at either end (the
		// diary terms over two windows differing by one week).
		windows := [][2]string{{d(0), d(11)}, {d(0), d(10)}, {d(0), d(4)}, {d(1), d(11)}, {d(0), d(13)}, {d(0), d(6)}, {d(7), d(13)}}
		for _, p := range short {
			if p.Unit != "" {
				continue
			}
			for _, win := range windows {
				q := p
				q.From, q.To = win[0], win[1]
				out = append(out, request{role: RoleHR, page: "communication", pop: q, kind: "json"},
					request{role: RoleProjectLead, page: "impact", pop: q, kind: "json"})
			}
		}
	}
	return out
}

func (p Pop) dims() int {
	n := 0
	for _, v := range []string{p.Unit, p.Grade, p.Cohort} {
		if v != "" {
			n++
		}
	}
	return n
}

// collect runs the plan with a few requests in flight and returns every
// visible published value.
func (t Target) collect(ctx context.Context, reqs []request) ([]obs, []Finding, []string, int64, error) {
	viewer := map[string]Viewer{}
	for _, vw := range t.Viewers {
		viewer[vw.Role] = vw
	}
	// The dimension labels and the latest wave, for the CSV and the API.
	var labels struct {
		Data struct {
			DimensionLabels map[string]string `json:"dimension_labels"`
			Waves           []struct {
				ToWave string `json:"to_wave"`
			} `json:"waves"`
		} `json:"data"`
	}
	var count atomic.Int64
	if vw, ok := viewer[RoleHR]; ok {
		count.Add(1)
		b, _, err := t.get(ctx, vw, "/reports/readiness/data.json", Pop{}.values(t.Tenant), false)
		if err != nil {
			return nil, nil, nil, 0, err
		}
		if err := json.Unmarshal(b, &labels); err != nil {
			return nil, nil, nil, 0, err
		}
	}
	wave, waveID := "", ""
	if len(labels.Data.Waves) > 0 {
		waveID = labels.Data.Waves[0].ToWave
		wave = " (wave " + waveID + ")"
	}
	var mu sync.Mutex
	var out []obs
	var found []Finding
	var unread []string
	var firstErr error
	jobs := make(chan request)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				f := fetcher{t: t, vw: viewer[r.role]}
				got, err := f.fetch(ctx, r, labels.Data.DimensionLabels, wave, waveID)
				count.Add(f.n)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				out = append(out, got...)
				found = append(found, f.found...)
				mu.Unlock()
			}
		}()
	}
	var pdfs []request
	for _, r := range reqs {
		if _, ok := viewer[r.role]; ok {
			if r.kind == "pdf" {
				pdfs = append(pdfs, r)
				continue
			}
			jobs <- r
		}
	}
	close(jobs)
	wg.Wait()
	for _, r := range pdfs {
		f := fetcher{t: t, vw: viewer[r.role]}
		if err := f.pdf(ctx, r); err != nil && firstErr == nil {
			firstErr = err
		}
		count.Add(f.n)
		found = append(found, f.found...)
		unread = append(unread, f.unread...)
	}
	return out, found, unread, count.Load(), firstErr
}

// fetcher makes one planned request's GETs as one viewer, counting them
// and keeping what is not an observation.
type fetcher struct {
	t      Target
	vw     Viewer
	n      int64
	found  []Finding
	unread []string // exports the server could not make
}

func (f *fetcher) get(ctx context.Context, path string, v url.Values, bearer bool) ([]byte, int, error) {
	f.n++
	return f.t.get(ctx, f.vw, path, v, bearer)
}

func (f *fetcher) fetch(ctx context.Context, r request, labels map[string]string, wave, waveID string) ([]obs, error) {
	t, vw := f.t, f.vw
	switch r.kind {
	case "exports":
		return f.exports(ctx, r)
	case "api":
		v := url.Values{"tenant": {t.Tenant}, "instrument_id": {"digital-readiness"}, "by": {r.by}, "wave": {waveID}}
		b, _, err := f.get(ctx, "/api/v1/assessment/results", v, true)
		if err != nil {
			return nil, err
		}
		dim := map[string]string{"org_unit": "unit", "grade": "grade", "cohort": "cohort"}[r.by]
		return observeAPI(dim, b, labels)
	case "csv":
		// RFC 4180 for a program; the default Italian dialect carries the
		// same numbers with a decimal comma.
		v := r.pop.values(t.Tenant)
		v.Set("dialect", "rfc4180")
		b, _, err := f.get(ctx, "/reports/readiness/export/readiness-heatmap.csv", v, false)
		if err != nil {
			return nil, err
		}
		return observeHeatmapCSV(r.pop, b, "Tutte", wave)
	}
	_ = vw
	b, _, err := f.get(ctx, "/reports/"+r.page+"/data.json", r.pop.values(t.Tenant), false)
	if err != nil {
		return nil, err
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, fmt.Errorf("%s data.json: %w", r.page, err)
	}
	found, err := t.seriesMembership(r.page, r.pop, env.Data)
	if err != nil {
		return nil, err
	}
	f.found = append(f.found, found...)
	return observeData(r.page, r.pop, env.Data, "data.json")
}
