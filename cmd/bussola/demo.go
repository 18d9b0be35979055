package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/bussola-pa/bussola/internal/bench"
	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/schemas"
)

// runDemo starts the embedded components and the service, loads the
// generated demo data through the real path (HTTP intake -> Kafka ->
// ClickHouse) with a progress bar, and serves until interrupted.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var seed uint64
	var scale float64
	var reload, exit bool
	cfg, log, err := parseService("demo", args, stderr, func(fs *flag.FlagSet) {
		fs.Uint64Var(&seed, "seed", 1, "random seed of the demo data")
		fs.Float64Var(&scale, "scale", 1, "volume of the demo data (1: about 4,300 employees and over a million intranet events)")
		fs.BoolVar(&reload, "reload", false, "load the demo data again even if this data directory already has it")
		fs.BoolVar(&exit, "exit", false, "exit once the data is loaded instead of serving")
	})
	if err != nil {
		return err
	}
	if !cfg.Embedded {
		return fmt.Errorf("demo runs on the embedded components; drop --kafka-brokers and --clickhouse-url")
	}
	m := NewMain(cfg, log)
	m.ExtraRoutes = mountReports
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	base := "http://" + m.HTTPAddr()
	marker := filepath.Join(cfg.DataDir, fmt.Sprintf("demo-loaded-seed%d-scale%g", seed, scale))
	if _, err := os.Stat(marker); err == nil && !reload {
		fmt.Fprintf(stdout, "demo data already loaded in %s (use --reload to load it again)\n", cfg.DataDir)
	} else {
		if err := loadDemo(ctx, m, synth.Config{Seed: seed, Scale: scale}, base, stdout, stderr); err != nil {
			return err
		}
		if err := os.WriteFile(marker, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o600); err != nil {
			return err
		}
	}
	if err := scoreStale(ctx, m, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nBussola demo ready:\n  pipeline     %s/\n  reports      %s/reports/\n  clickhouse   %s/?query=SELECT+count()+FROM+bussola.intranet_events\n               (read-only user %s, password in %s)\n  kafka        %v\n               (SASL SCRAM; accounts of the service and of each entity in %s)\n  data dir     %s\nPress Ctrl-C to stop.\n",
		base, base, m.ClickHouse().URL(), m.ClickHouse().Credentials().Operator.User, m.ClickHouse().CredentialsFile(), m.Brokers(), m.Kafka().CredentialsFile(), cfg.DataDir)
	if exit {
		return nil
	}
	<-ctx.Done()
	log.Info("shutting down")
	return nil
}

// loadDemo posts the generated data to the intake and waits until every
// record is queryable in ClickHouse.
func loadDemo(ctx context.Context, m *Main, cfg synth.Config, base string, stdout, stderr io.Writer) error {
	start := time.Now()
	totals, err := synth.Count(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "loading demo data through %s/api/v1 (intake -> Kafka -> ClickHouse)\n", base)
	p := &synth.Poster{BaseURL: base, Tokens: m.Tokens(), BatchLines: 5000, Concurrency: 4, Totals: totals,
		Client: &http.Client{Timeout: 2 * time.Minute}}
	bar := synth.NewProgressBar(stderr, totals)
	p.Progress = bar.Update
	counts, err := synth.PostGenerated(ctx, cfg, p)
	bar.Finish()
	if err != nil {
		return fmt.Errorf("post demo data: %w", err)
	}
	posted := time.Since(start)
	fmt.Fprintf(stdout, "posted %d diary entries, %d survey responses, %d intranet events in %s; waiting for ClickHouse\n",
		counts[schemas.StreamDiary], counts[schemas.StreamSurvey], counts[schemas.StreamIntranet], posted.Round(time.Millisecond))
	if err := waitQueryable(ctx, m, counts, 10*time.Minute); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "all records queryable after %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// waitQueryable waits until each stream's table holds the expected number
// of distinct records.
func waitQueryable(ctx context.Context, m *Main, want map[schemas.Stream]int, timeout time.Duration) error {
	for s, n := range want {
		if err := bench.WaitDistinct(ctx, m.Store, s.Table(), n, timeout); err != nil {
			return err
		}
	}
	return nil
}
