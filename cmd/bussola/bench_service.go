package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"time"

	"github.com/bussola-pa/bussola/internal/bench"
	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
)

// runBench runs `bussola bench ...` (internal/bench) over the embedded
// service started here.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return bench.Run(ctx, args, stdout, stderr, openBenchService)
}

// openBenchService starts the embedded service a benchmark measures, with
// that benchmark's configuration, logging nowhere.
func openBenchService(ctx context.Context, s bench.Setup) (bench.Service, error) {
	embedded := Config{Embedded: true, DataDir: s.DataDir, HTTPAddr: "127.0.0.1:0", KafkaAddr: "127.0.0.1:0", ClickHouseHTTPAddr: "127.0.0.1:0",
		KafkaPartitions: 3, Database: "bussola", Consumers: true}
	var cfg Config
	switch s.Kind {
	case bench.KindIngest:
		cfg = embedded
		cfg.ConsumerGroup, cfg.BatchRows, cfg.BatchWait, cfg.MaxBodyBytes = "bench", 100_000, 500*time.Millisecond, 64<<20
	case bench.KindReports:
		cfg = embedded
		cfg.ConsumerGroup, cfg.BatchRows, cfg.BatchWait, cfg.MaxBodyBytes = "bussola-ingest", 50_000, time.Second, 32<<20
	case bench.KindIntake:
		// The service's defaults and --serve-flag values, on the embedded
		// components.
		fs := flag.NewFlagSet("bench intake service", flag.ContinueOnError)
		fs.SetOutput(s.Stderr)
		raw := configFlags(fs, &cfg)
		if err := fs.Parse(s.ServiceFlags); err != nil {
			return nil, err
		}
		cfg.Embedded, cfg.DataDir = true, s.DataDir
		cfg.HTTPAddr, cfg.KafkaAddr, cfg.ClickHouseHTTPAddr = "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
		cfg.ConsumerGroup, cfg.ScoringInterval = "bench", 0
		if err := cfg.finish(raw); err != nil {
			return nil, err
		}
	}
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := m.Open(ctx); err != nil {
		return nil, err
	}
	return benchService{m}, nil
}

// benchService is *Main as bench.Service.
type benchService struct{ *Main }

var _ bench.Service = benchService{}

func (b benchService) Store() *clickhouse.Store { return b.Main.Store }
func (b benchService) ClickHouseURL() string    { return b.ClickHouse().ServiceURL() }

func (b benchService) ExecDirect(ctx context.Context, sql string, settings map[string]any) error {
	return b.ClickHouse().ExecDirect(ctx, sql, settings)
}

func (b benchService) LoadDemo(ctx context.Context, cfg synth.Config, stdout, stderr io.Writer) error {
	return loadDemo(ctx, b.Main, cfg, "http://"+b.HTTPAddr(), stdout, stderr)
}

func (b benchService) ScoreStale(ctx context.Context, stdout io.Writer) error {
	return scoreStale(ctx, b.Main, stdout)
}

func (b benchService) ReportServer(opt clickhouse.ReportOptions, fresh bool) (*reports.Server, *figures.Refresher, error) {
	return newReportServer(b.Main, opt, fresh)
}
