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

	"github.com/bussola-pa/bussola/assessment"
)

const assessUsage = `usage: bussola assess --csv FILE --scale NAME=ITEM,-ITEM,... [--scale ...]
                      [--efa K [--rotate oblimin|varimax]] [--format json|table]

Reliability and structure of questionnaire scales from a CSV export, with the
conventions of R's psych package: pairwise-complete correlations, reversed
items scored min+max-x (min and max over the scale's answers), alpha, lambda 6,
omega total (one-factor minres), item statistics; PCA eigenvalues of all the
items given; optionally a minres factor analysis with oblimin or varimax.

The CSV needs a header row; empty cells (or NA) are missing answers. A leading
minus in --scale marks a reversed item.

example:
  bussola assess --csv bfi.csv --scale C=C1,C2,C3,-C4,-C5 --scale N=N1,N2,N3,N4,N5 --efa 2

flags:
`

// scaleFlags collects repeated --scale flags.
type scaleFlags []assessment.ScaleSpec

func (s *scaleFlags) String() string { return fmt.Sprint(len(*s), " scales") }

func (s *scaleFlags) Set(v string) error {
	sp, err := assessment.ParseScaleSpec(v)
	if err != nil {
		return err
	}
	for _, old := range *s {
		if old.Name == sp.Name {
			return fmt.Errorf("scale %q is given twice", sp.Name)
		}
	}
	*s = append(*s, sp)
	return nil
}

// runAssess runs "bussola assess".
func runAssess(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("assess", flag.ContinueOnError)
	fs.SetOutput(stderr)
	csvPath := fs.String("csv", "", "CSV `file` with a header row (required)")
	var scales scaleFlags
	fs.Var(&scales, "scale", "a scale as `NAME=ITEM,-ITEM,...` (repeatable, at least one)")
	efa := fs.Int("efa", 0, "number of factors `K` for an exploratory factor analysis of all items (0 = none)")
	rotate := fs.String("rotate", assessment.RotateOblimin, "rotation of the factor analysis: oblimin or varimax")
	format := fs.String("format", "json", "output format: json or table")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), assessUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("assess: %w", err)
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("assess: unexpected argument %q", fs.Arg(0))
	case *csvPath == "":
		return errors.New("assess: --csv is required")
	case len(scales) == 0:
		return errors.New("assess: at least one --scale NAME=ITEM,... is required")
	case *format != "json" && *format != "table":
		return fmt.Errorf("assess: --format must be json or table, got %q", *format)
	case *rotate != assessment.RotateOblimin && *rotate != assessment.RotateVarimax:
		return fmt.Errorf("assess: --rotate must be oblimin or varimax, got %q", *rotate)
	case *efa < 0:
		return fmt.Errorf("assess: --efa must be 0 or more, got %d", *efa)
	}
	items := assessment.UnionItems(scales)
	if *efa >= len(items) {
		return fmt.Errorf("assess: --efa %d needs more items than factors; the scales have %d items", *efa, len(items))
	}
	f, err := os.Open(*csvPath)
	if err != nil {
		return fmt.Errorf("assess: %w", err)
	}
	defer f.Close()
	tab, err := assessment.ReadCSV(f, items)
	if err != nil {
		return fmt.Errorf("assess %s: %w", *csvPath, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := assessment.Analyze(tab, assessment.AnalysisOptions{Scales: scales, EFAFactors: *efa, Rotation: *rotate})
	if err != nil {
		return fmt.Errorf("assess %s: %w", *csvPath, err)
	}
	if *format == "table" {
		return writeAssessTable(stdout, res)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

func writeAssessTable(w io.Writer, a *assessment.Analysis) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	for _, s := range a.Scales {
		fmt.Fprintf(tw, "scale %s\tn\traw_alpha\tstd_alpha\tG6\taverage_r\tomega_total\tmean\tsd\t\n", s.Name)
		fmt.Fprintf(tw, "\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", s.N, f4(s.RawAlpha), f4(s.StdAlpha), f4(s.G6),
			f4(s.AverageR), f4(s.OmegaTotal), f4(s.Mean), f4(s.SD))
		fmt.Fprintln(tw, "item\tn\tmean\tsd\traw_r\tstd_r\tr_drop\talpha_if_dropped\t")
		for _, it := range s.Items {
			name := it.Item
			if it.Reversed {
				name += "-"
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", name, it.N, f4(it.Mean), f4(it.SD), f4(it.RawR),
				f4(it.StdR), f4(it.RDrop), f4(it.AlphaIfDropped))
		}
		fmt.Fprintln(tw, "\t")
	}
	ev := make([]string, len(a.PCAEigenvalues))
	for i, v := range a.PCAEigenvalues {
		ev[i] = f4(v)
	}
	fmt.Fprintf(tw, "PCA eigenvalues\t%s\t\n", strings.Join(ev, " "))
	if e := a.EFA; e != nil {
		fmt.Fprintln(tw, "\t")
		head := []string{fmt.Sprintf("EFA minres/%s", e.Rotation)}
		for k := 1; k <= e.Factors; k++ {
			head = append(head, fmt.Sprintf("F%d", k))
		}
		fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
		for _, it := range e.Items {
			row := []string{it}
			for _, v := range e.Loadings[it] {
				row = append(row, f4(v))
			}
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
		if e.Phi != nil {
			fmt.Fprintln(tw, "phi\t")
			for k, r := range e.Phi {
				row := []string{fmt.Sprintf("F%d", k+1)}
				for _, v := range r {
					row = append(row, f4(v))
				}
				fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
			}
		}
	}
	return tw.Flush()
}

func f4(v assessment.Num) string {
	b, _ := v.MarshalJSON()
	if string(b) == "null" {
		return "NA"
	}
	return fmt.Sprintf("%.4f", float64(v))
}
