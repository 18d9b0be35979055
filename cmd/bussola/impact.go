package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/bussola-pa/bussola/analytics"
)

const impactUsage = `usage: bussola impact <command> [flags]

Impact estimates from a CSV file, for evaluators.

commands:
  did        2x2 difference-in-differences (OLS; CR1 clustered with --cluster, else HC1)
  staggered  staggered adoption: Callaway & Sant'Anna with not-yet-treated comparisons,
             event study, pre-trend test and the naive two-way fixed-effects estimate

Run "bussola impact <command> --help" for the flags of a command.
`

// runImpact runs "bussola impact did|staggered".
func runImpact(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, impactUsage)
		return errors.New("impact: a command is required: did or staggered")
	}
	switch args[0] {
	case "did":
		return runImpactDiD(ctx, args[1:], stdout, stderr)
	case "staggered":
		return runImpactStaggered(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, impactUsage)
		return nil
	}
	fmt.Fprint(stderr, impactUsage)
	return fmt.Errorf("impact: unknown command %q; want did or staggered", args[0])
}

func runImpactDiD(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bussola impact did", flag.ContinueOnError)
	fs.SetOutput(stderr)
	csvPath := fs.String("csv", "", "CSV file with a header row (required)")
	spec := analytics.DiDSpec{}
	fs.StringVar(&spec.Outcome, "outcome", "", "outcome column (required)")
	fs.StringVar(&spec.Treated, "treated", "", "0/1 pilot-group column (required)")
	fs.StringVar(&spec.Post, "post", "", "0/1 post-period column (required)")
	fs.StringVar(&spec.Cluster, "cluster", "", "column to cluster standard errors on (CR1, t with G-1 df); default: HC1")
	covs := fs.String("covariates", "", "comma-separated covariate columns")
	fs.Float64Var(&spec.Level, "level", 0.95, "confidence level of the interval")
	format := fs.String("format", "json", "output format: json or table")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bussola impact did --csv FILE --outcome COL --treated COL --post COL [--cluster COL] [--covariates A,B] [--format json|table]")
		fmt.Fprintln(fs.Output(), "\nRows with a missing value in a used column are left out. Output fields: estimate, se, ci_low, ci_high, p_value, df, n_obs, n_clusters, method.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("impact did: %w", err)
	}
	if err := checkImpactFormat(*format, fs.Args()); err != nil {
		return fmt.Errorf("impact did: %w", err)
	}
	if *covs != "" {
		for _, c := range strings.Split(*covs, ",") {
			if c = strings.TrimSpace(c); c != "" {
				spec.Covariates = append(spec.Covariates, c)
			}
		}
	}
	tab, err := readImpactCSV(*csvPath)
	if err != nil {
		return fmt.Errorf("impact did: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	est, err := analytics.DiDFromTable(tab, spec)
	if err != nil {
		return fmt.Errorf("impact did: %w", err)
	}
	if *format == "table" {
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		writeImpactEstimateRow(tw, "difference-in-differences", est)
		return tw.Flush()
	}
	return writeImpactJSON(stdout, est)
}

func runImpactStaggered(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bussola impact staggered", flag.ContinueOnError)
	fs.SetOutput(stderr)
	csvPath := fs.String("csv", "", "CSV file with a header row, one row per unit and period (required)")
	spec := analytics.StaggeredSpec{}
	fs.StringVar(&spec.Outcome, "outcome", "", "outcome column (required)")
	fs.StringVar(&spec.Unit, "unit", "", "unit (person) column (required)")
	fs.StringVar(&spec.Time, "time", "", "integer period column (required)")
	fs.StringVar(&spec.Cohort, "cohort", "", "first treated period column; 0 or empty = never treated (required)")
	fs.StringVar(&spec.Cluster, "cluster", "", "column to cluster on, constant within unit; default: the unit")
	fs.Float64Var(&spec.Level, "level", 0.95, "confidence level of the intervals")
	format := fs.String("format", "json", "output format: json or table")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bussola impact staggered --csv FILE --outcome COL --unit COL --time COL --cohort COL [--cluster COL] [--format json|table]")
		fmt.Fprintln(fs.Output(), "\nCallaway & Sant'Anna group-time effects with not-yet-treated comparisons, influence-function standard errors.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("impact staggered: %w", err)
	}
	if err := checkImpactFormat(*format, fs.Args()); err != nil {
		return fmt.Errorf("impact staggered: %w", err)
	}
	tab, err := readImpactCSV(*csvPath)
	if err != nil {
		return fmt.Errorf("impact staggered: %w", err)
	}
	rows, _, err := analytics.StaggeredRowsFromTable(tab, spec)
	if err != nil {
		return fmt.Errorf("impact staggered: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	opt := analytics.StaggeredOptions{Level: spec.Level}
	if spec.Cluster != "" {
		opt.Cluster = analytics.ClusterField
	}
	res, err := analytics.Staggered(rows, opt)
	if err != nil {
		return fmt.Errorf("impact staggered: %w", err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	if *format == "table" {
		return writeStaggeredTable(stdout, res)
	}
	return writeImpactJSON(stdout, res)
}

func checkImpactFormat(format string, rest []string) error {
	if len(rest) > 0 {
		return fmt.Errorf("unexpected arguments %q; all inputs are flags", rest)
	}
	if format != "json" && format != "table" {
		return fmt.Errorf("--format %q: want json or table", format)
	}
	return nil
}

func readImpactCSV(path string) (*analytics.Table, error) {
	if path == "" {
		return nil, errors.New("--csv is required")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open csv: %w", err)
	}
	defer f.Close()
	return analytics.ReadTable(f)
}

func writeImpactJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

func writeImpactEstimateRow(tw *tabwriter.Writer, label string, e analytics.Estimate) {
	fmt.Fprintf(tw, "%s\testimate\tse\tci_low\tci_high\tp_value\tdf\tn_obs\tn_clusters\tmethod\n", "")
	fmt.Fprintf(tw, "%s\t%.6g\t%.6g\t%.6g\t%.6g\t%.4g\t%g\t%d\t%d\t%s\n",
		label, e.Estimate, e.SE, e.CILow, e.CIHigh, e.PValue, e.DF, e.NObs, e.NClusters, e.Method)
}

func writeStaggeredTable(w io.Writer, r *analytics.StaggeredResult) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	writeImpactEstimateRow(tw, "overall (C&S)", r.Overall)
	writeImpactEstimateRow(tw, "naive TWFE", r.TWFE)
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "rel_time\testimate\tse\tci_low\tci_high")
	for _, e := range r.EventStudy {
		fmt.Fprintf(tw, "%d\t%.6g\t%.6g\t%.6g\t%.6g\n", e.RelTime, e.Estimate, e.SE, e.CILow, e.CIHigh)
	}
	fmt.Fprintln(tw)
	if r.PretrendPValue != nil {
		fmt.Fprintf(tw, "pre-trend test\tchi2 %.4g\tdf %d\tp %.4g\n", r.PretrendChi2, r.PretrendDF, *r.PretrendPValue)
	} else {
		fmt.Fprintln(tw, "pre-trend test\tnot available")
	}
	return tw.Flush()
}
