package main

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/reports"
)

// TestRefreshedVersionEqualsRecomputation is the golden comparison of the
// refresher (figures.Refresher, issue 14): on the demo data at scale 0.05,
// after a batch of new events, the pages keep answering from the old
// version until the new one is complete; the refreshed version's page
// data then equal, number for number, the pages computed from scratch
// from ClickHouse by a server without refresher or cache, for every page
// and a few filter combinations.
func TestRefreshedVersionEqualsRecomputation(t *testing.T) {
	m, _ := mustLoadedMain(t)
	ctx := context.Background()
	fresh, ref, err := newReportServer(m, clickhouse.ReportOptions{NoCache: true}, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := ref.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	pages := []reports.Page{reports.PageReadiness, reports.PageImpact, reports.PageExecutive, reports.PageCommunication}
	tenants := []string{aurelia, "comune-borgoverde"}
	queries := []reports.Query{{Tenant: aurelia}, {Tenant: "comune-borgoverde"}, {Tenant: aurelia, Cohort: "pilot-1"},
		{Tenant: aurelia, Grade: "Funzionari"}, {Tenant: aurelia, Lang: "en"}}
	opts, err := m.Store.WithReports(clickhouse.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o, err := opts.Options(ctx, aurelia)
	if err != nil || len(o.Units) == 0 {
		t.Fatalf("options %+v, %v", o, err)
	}
	// A unit nobody asked for before: computed on the request, then kept.
	queries = append(queries, reports.Query{Tenant: aurelia, Unit: o.Units[0], Grade: "Funzionari"})
	read := func(srv *reports.Server) (map[string]string, reports.Freshness) {
		t.Helper()
		out := map[string]string{}
		var f reports.Freshness
		for _, p := range pages {
			for _, q := range queries {
				q.Tenants = tenants
				d, fr, err := srv.PageData(ctx, p, q)
				if err != nil {
					t.Fatalf("%s %s: %v", p, q.Describe(), err)
				}
				b, err := json.Marshal(d)
				if err != nil {
					t.Fatal(err)
				}
				out[string(p)+" "+q.Values().Encode()] = string(b)
				f = fr
			}
		}
		return out, f
	}
	before, f0 := read(fresh)
	if f0.Version == "" || f0.AsOf.IsZero() {
		t.Fatalf("freshness %+v: want the version's time and name", f0)
	}

	// A batch of new events: copies, with new ids, of comune-aurelia's
	// latest intranet events and diary entries.
	for _, sql := range []string{
		`INSERT INTO bussola.intranet_events SELECT * REPLACE (generateUUIDv4() AS event_id) FROM bussola.intranet_events WHERE tenant = 'comune-aurelia' ORDER BY ts DESC LIMIT 3000`,
		`INSERT INTO bussola.diary_entries SELECT * REPLACE (generateUUIDv4() AS event_id) FROM bussola.diary_entries WHERE tenant = 'comune-aurelia' ORDER BY date DESC LIMIT 200`,
	} {
		if err := m.Store.Conn().Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	stale, f1 := read(fresh)
	if f1 != f0 {
		t.Errorf("before the refresh the pages answer from %+v, want the last complete version %+v", f1, f0)
	}
	for k, v := range before {
		if stale[k] != v {
			t.Errorf("%s changed before the new version was complete", k)
		}
	}

	if err := ref.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	after, f2 := read(fresh)
	if f2.Version == f0.Version || !f2.AsOf.After(f0.AsOf) {
		t.Errorf("after the refresh the freshness is %+v, want a newer version than %+v", f2, f0)
	}
	scratch, _, err := newReportServer(m, clickhouse.ReportOptions{NoCache: true}, false)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := read(scratch)
	// firstDiff shows where two page results first differ, with context.
	firstDiff := func(a, b string) string {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		from := max(0, i-300)
		return fmt.Sprintf("at byte %d:\nrefreshed …%.600s\nscratch   …%.600s", i, a[from:], b[from:])
	}
	changed := 0
	for k, w := range want {
		if after[k] != w {
			t.Errorf("%s: refreshed version differs from the recomputation %s", k, firstDiff(after[k], w))
		}
		if before[k] != w {
			changed++
		}
	}
	if changed == 0 {
		t.Fatal("the batch changed no page: the comparison proves nothing")
	}
	t.Logf("%d of %d page results changed with the batch; all equal to the recomputation", changed, len(want))
}
