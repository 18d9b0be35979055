package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bussola-pa/bussola/reports/attack"
)

const attackUsage = `usage: bussola attack [--scale 0.05] [--examples 5]

Runs the differencing attacker of issue 9 (package reports/attack) against
the demo data: starts the embedded service in a temporary directory, loads
the demo data at --scale through the intake, signs in as the HR officer,
project lead and executive of comune-aurelia, and with GET requests only
subtracts published groups (pages' data, every table's CSV, the page's
XLSX, assessment API) from one another, and reads the printed PDF. Prints
every group below the minimum it derives (checked against the stored
values), every person's membership of such a group it learns, and any PDF
number finer than data.json. Needs the ECharts assets and, for the PDF,
Chromium (scripts/setup.sh).

Flags:
`

// runAttack runs "bussola attack".
func runAttack(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("attack", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scale := fs.Float64("scale", 0.05, "demo data volume (0.05: about 200 people in comune-aurelia)")
	seed := fs.Uint64("seed", 3, "random seed of the demo data")
	protect := fs.Bool("protect", true, "run the service with the lattice protection of package privacy (false: the per-table rule only; until the pages go through privacy.Protect both are the per-table rule)")
	examples := fs.Int("examples", 5, "leaks printed per page and source (-1: all)")
	fs.Usage = func() { fmt.Fprint(stderr, attackUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	dir, err := os.MkdirTemp("", "bussola-attack-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	m, tg, err := openAttackTarget(ctx, dir, *seed, *scale, *protect, stdout, io.Discard)
	if err != nil {
		return fmt.Errorf("attack: %w", err)
	}
	defer m.Close()
	r, err := attack.Run(ctx, tg)
	if err != nil {
		return fmt.Errorf("attack: %w", err)
	}
	r.Write(stdout, *examples)
	return nil
}
