// Command bussola is the Bussola service and its tools: the intake API,
// consumers and reports (serve), a consumer-only worker (ingest), schema
// migrations (migrate), synthetic data (generate), the embedded demo (demo),
// and the analysts' command-line statistics (assess, impact, bench).
//
// This package is the only one that imports everything: it reads flags and
// environment in one place (config.go) and wires the packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":     {"run the intake API, consumers and reports", runServe},
		"ingest":    {"run consumers only (scale out as a consumer group)", runIngest},
		"migrate":   {"apply the ClickHouse schema migrations (--print shows the DDL)", runMigrate},
		"demo":      {"embedded everything plus generated demo data, then serve", runDemo},
		"assess":    {"psychometrics of a CSV export (reliability, PCA, EFA)", runAssess},
		"impact":    {"pilot impact from a CSV (did, staggered)", runImpact},
		"generate":  {"synthetic demo data to NDJSON files or to an intake", runGenerate},
		"bench":     {"benchmarks that print figures (bench ingest)", runBench},
		"attack":    {"the differencing attacker of issue 9 against the demo data (GET requests only)", runAttack},
		"api-token": {"create, list or revoke report users' API tokens (assessment API)", runAPIToken},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bussola:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr, cmds)
		if len(args) == 0 {
			return errors.New("a subcommand is required")
		}
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		usage(stderr, cmds)
		return fmt.Errorf("unknown subcommand %q", args[0])
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "Bussola: change-management analytics and digital-readiness assessment for public administrations.")
	fmt.Fprintln(w, "\nUsage: bussola <subcommand> [flags]   (bussola <subcommand> --help for its flags)")
	fmt.Fprintln(w, "\nSubcommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cmds[n].summary)
	}
}

// newLogger builds the slog logger from the configuration.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %q must be debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q must be text or json", format)
}

// parseService parses the service flags of a subcommand.
func parseService(name string, args []string, stderr io.Writer, extra func(fs *flag.FlagSet)) (Config, *slog.Logger, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	raw := configFlags(fs, &cfg)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return cfg, nil, err
	}
	if fs.NArg() > 0 {
		return cfg, nil, fmt.Errorf("%s: unexpected arguments %v", name, fs.Args())
	}
	if err := cfg.finish(raw); err != nil {
		return cfg, nil, err
	}
	log, err := newLogger(stderr, cfg.LogLevel, cfg.LogFormat)
	return cfg, log, err
}

func runServe(ctx context.Context, args []string, _, stderr io.Writer) error {
	cfg, log, err := parseService("serve", args, stderr, nil)
	if err != nil {
		return err
	}
	m := NewMain(cfg, log)
	m.ExtraRoutes = mountReports
	if err := m.Open(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	log.Info("shutting down: finishing requests, flushing and committing consumers")
	return m.Close()
}

func runIngest(ctx context.Context, args []string, _, stderr io.Writer) error {
	cfg, log, err := parseService("ingest", args, stderr, nil)
	if err != nil {
		return err
	}
	cfg.Consumers = true
	m := NewMain(cfg, log)
	if err := m.Open(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	return m.Close()
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var print bool
	cfg, log, err := parseService("migrate", args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&print, "print", false, "print the DDL for the configured form (--clickhouse-cluster) instead of applying it")
	})
	if err != nil {
		return err
	}
	return migrate(ctx, cfg, log, print, stdout)
}
