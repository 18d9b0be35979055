package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
)

const benchReportsUsage = `usage: bussola bench reports [--data-dir DIR] [--rounds N]

Measures p50/p95/max of each report page's data endpoint (store, suppression
and widgets through the full handler) on the demo data, signed in as the demo
admin: with the result cache off (every request computes its page from
ClickHouse) and on, as before the refresher; then over the refresher (the
service's path: every request builds its page from the precomputed data
version, with no memo of page results), followed by the time to bring
every page up to date after a batch of new events. Prints the service's
peak Go heap and process RSS over the run. Queries: both
demo tenants unfiltered, and comune-aurelia filtered to one unit and to one
cohort. Without --data-dir, the full demo data is loaded into a temporary
directory first (a few minutes); a directory that already holds it (bussola
demo --exit --data-dir DIR) is reused; one loaded at another --scale is
refused.

Flags:
`

func runReports(ctx context.Context, args []string, stdout, stderr io.Writer, open Open) error {
	fs := flag.NewFlagSet("bench reports", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data-dir", "", "data directory with (or for) the demo data; default: a temporary one, removed afterwards")
	rounds := fs.Int("rounds", 10, "requests per query and page in each pass")
	scale := fs.Float64("scale", 1, "demo data volume when loading")
	onlyFresh := fs.Bool("refresher-only", false, "measure only the refresher pass (skip the two passes without it)")
	fs.Usage = func() { fmt.Fprint(stderr, benchReportsUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *rounds < 1 {
		return fmt.Errorf("bench reports: --rounds must be at least 1")
	}
	cleanup, err := orTempDir(dir, "bussola-bench-reports-")
	if err != nil {
		return err
	}
	defer cleanup()
	abs, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	if err := checkScaleMarker(abs, *scale); err != nil {
		return err
	}
	m, err := open(ctx, Setup{Kind: KindReports, DataDir: abs})
	if err != nil {
		return err
	}
	defer m.Close()
	marker := filepath.Join(abs, fmt.Sprintf("demo-loaded-seed%d-scale%g", 1, *scale))
	if _, err := os.Stat(marker); err != nil {
		if err := m.LoadDemo(ctx, synth.Config{Seed: 1, Scale: *scale}, stdout, stderr); err != nil {
			return err
		}
		if err := os.WriteFile(marker, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o600); err != nil {
			return err
		}
	}
	if err := m.ScoreStale(ctx, stdout); err != nil {
		return err
	}
	for _, t := range []string{"intranet_events", "diary_entries", "survey_answers", "readiness_persons"} {
		n, err := m.Store().Count(ctx, t)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-18s %10d rows\n", t, n)
	}
	queries := []reports.Query{{Tenant: "comune-aurelia"}, {Tenant: "comune-borgoverde"},
		{Tenant: "comune-aurelia", Unit: "Ragioneria"}, {Tenant: "comune-aurelia", Cohort: "pilot-1"}}
	mem := startMemoryWatch()
	for _, pass := range []struct {
		name  string
		opt   clickhouse.ReportOptions
		fresh bool
	}{{"before: no refresher, result cache off: every request computes its page from ClickHouse", clickhouse.ReportOptions{NoCache: true}, false},
		{"before: no refresher, result cache on: first request per query and data version computes, later ones reuse", clickhouse.ReportOptions{}, false},
		{"refresher, result cache off: every request builds its page from the precomputed data version", clickhouse.ReportOptions{NoCache: true}, true}} {
		if *onlyFresh && !pass.fresh {
			continue
		}
		srv, ref, err := m.ReportServer(pass.opt, pass.fresh)
		if err != nil {
			return err
		}
		if ref != nil {
			start := time.Now()
			if err := ref.Refresh(ctx); err != nil {
				return err
			}
			_, _, recipes := ref.Stats()
			fmt.Fprintf(stdout, "\nfirst data version precomputed in %s (%d selections kept)\n", time.Since(start).Round(time.Millisecond), recipes)
		}
		rs, err := srv.BenchEndpoints("admin", reports.Pages, queries, *rounds)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\n%s (%d queries x %d rounds)\n%s", pass.name, len(queries), *rounds, reports.FormatBench(rs))
		if ref != nil {
			if err := benchRefresh(ctx, m, ref, stdout); err != nil {
				return err
			}
			continue
		}
		if pass.opt.NoCache {
			continue
		}
		hs, err := srv.HiddenShares(ctx, []reports.Page{reports.PageReadiness, reports.PageExecutive, reports.PageImpact, reports.PageCommunication}, queries)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nhidden cells over the same queries (the cost of the protection)\n%s", reports.FormatHidden(hs))
	}
	fmt.Fprintf(stdout, "\n%s\n", mem.stop())
	return nil
}

// checkScaleMarker refuses a data directory loaded at another scale: the
// load would add a second data set on top of the first.
func checkScaleMarker(dir string, scale float64) error {
	ms, err := filepath.Glob(filepath.Join(dir, "demo-loaded-seed1-scale*"))
	if err != nil {
		return err
	}
	want := fmt.Sprintf("demo-loaded-seed1-scale%g", scale)
	for _, m := range ms {
		if name := filepath.Base(m); name != want {
			return fmt.Errorf("bench reports: --data-dir %s holds the demo data at scale %s (marker %s), not at --scale %g: run with --scale %s, or use another directory (loading would add a second data set on top of the first)",
				dir, strings.TrimPrefix(name, "demo-loaded-seed1-scale"), name, scale, strings.TrimPrefix(name, "demo-loaded-seed1-scale"))
		}
	}
	return nil
}

// benchRefresh adds a batch of new events (copies, with new ids, of the
// last diary entries and intranet events of comune-aurelia) and times the
// refresher bringing every precomputed page up to date.
func benchRefresh(ctx context.Context, m Service, ref *figures.Refresher, stdout io.Writer) error {
	for _, t := range []struct {
		table, day string
		n          int
	}{{"diary_entries", "date", 500}, {"intranet_events", "ts", 20000}} {
		sql := fmt.Sprintf("INSERT INTO bussola.%s SELECT * REPLACE (generateUUIDv4() AS event_id) FROM bussola.%s WHERE tenant = 'comune-aurelia' ORDER BY %s DESC LIMIT %d", t.table, t.table, t.day, t.n)
		if err := m.ExecDirect(ctx, sql, nil); err != nil {
			return fmt.Errorf("bench reports: add a batch to %s: %w", t.table, err)
		}
	}
	start := time.Now()
	if err := ref.Refresh(ctx); err != nil {
		return err
	}
	_, _, recipes := ref.Stats()
	fmt.Fprintf(stdout, "\nafter a batch of 500 diary entries and 20,000 intranet events: every page's estimates, lattices and patterns up to date in %s (%d selections)\n",
		time.Since(start).Round(time.Millisecond), recipes)
	return nil
}
