package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/reports"
)

const benchReportsUsage = `usage: bussola bench reports [--data-dir DIR] [--rounds N]

Measures p50/p95/max of each report page's data endpoint (store, suppression
and widgets through the full handler) on the demo data, signed in as the demo
admin: once with the result cache off (every request computes its page from
ClickHouse) and once with it on (the service's normal path). Queries: both
demo tenants unfiltered, and comune-aurelia filtered to one unit and to one
cohort. Without --data-dir, the full demo data is loaded into a temporary
directory first (a few minutes); a directory that already holds it (bussola
demo --exit --data-dir DIR) is reused.

Flags:
`

func runReports(ctx context.Context, args []string, stdout, stderr io.Writer, open Open) error {
	fs := flag.NewFlagSet("bench reports", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data-dir", "", "data directory with (or for) the demo data; default: a temporary one, removed afterwards")
	rounds := fs.Int("rounds", 10, "requests per query and page in each pass")
	scale := fs.Float64("scale", 1, "demo data volume when loading")
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
	for _, pass := range []struct {
		name string
		opt  clickhouse.ReportOptions
	}{{"cache off: every request computes its page from ClickHouse", clickhouse.ReportOptions{NoCache: true}},
		{"cache on (the service): first request per query computes, later ones reuse until new data", clickhouse.ReportOptions{}}} {
		srv, err := m.ReportServer(pass.opt)
		if err != nil {
			return err
		}
		rs, err := srv.BenchEndpoints("admin", reports.Pages, queries, *rounds)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\n%s (%d queries x %d rounds)\n%s", pass.name, len(queries), *rounds, reports.FormatBench(rs))
		if pass.opt.NoCache {
			continue
		}
		hs, err := srv.HiddenShares(ctx, []reports.Page{reports.PageReadiness, reports.PageExecutive, reports.PageImpact, reports.PageCommunication}, queries)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nhidden cells over the same queries (the cost of the protection)\n%s", reports.FormatHidden(hs))
	}
	return nil
}
