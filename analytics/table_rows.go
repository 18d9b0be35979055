package analytics

import (
	"fmt"
	"math"
	"strconv"
)

// DiDSpec names the CSV columns of a 2x2 difference-in-differences.
type DiDSpec struct {
	Outcome string
	Treated string // 0/1 or true/false: pilot group
	Post    string // 0/1 or true/false: post period
	// Cluster, when set, clusters standard errors on this column (CR1);
	// when empty the standard errors are HC1.
	Cluster    string
	Covariates []string
	Level      float64
}

// DiDRowsFromTable turns the table into panel rows for DiD. Rows with a
// missing value in any used column are left out (listwise deletion, as R's
// lm does); the count left out is returned.
func DiDRowsFromTable(t *Table, s DiDSpec) (rows []PanelRow, dropped int, err error) {
	for _, c := range []struct{ flag, val string }{{"outcome", s.Outcome}, {"treated", s.Treated}, {"post", s.Post}} {
		if c.val == "" {
			return nil, 0, fmt.Errorf("the %s column must be named", c.flag)
		}
	}
	y, err := t.Floats(s.Outcome)
	if err != nil {
		return nil, 0, fmt.Errorf("outcome: %w", err)
	}
	tr, err := t.Binary(s.Treated)
	if err != nil {
		return nil, 0, fmt.Errorf("treated: %w", err)
	}
	post, err := t.Binary(s.Post)
	if err != nil {
		return nil, 0, fmt.Errorf("post: %w", err)
	}
	covs := make([][]float64, len(s.Covariates))
	for j, name := range s.Covariates {
		if covs[j], err = t.Floats(name); err != nil {
			return nil, 0, fmt.Errorf("covariate: %w", err)
		}
	}
	var cl []string
	if s.Cluster != "" {
		if cl, err = t.Strings(s.Cluster); err != nil {
			return nil, 0, fmt.Errorf("cluster: %w", err)
		}
	}
rowLoop:
	for i := range t.Records {
		if math.IsNaN(y[i]) || math.IsNaN(tr[i]) || math.IsNaN(post[i]) || (cl != nil && IsMissing(cl[i])) {
			dropped++
			continue
		}
		r := PanelRow{Y: y[i], Treated: tr[i] == 1, Post: post[i] == 1, Unit: strconv.Itoa(i)}
		if cl != nil {
			r.Cluster = cl[i]
		}
		if len(covs) > 0 {
			r.Covariates = make([]float64, len(covs))
			for j := range covs {
				if math.IsNaN(covs[j][i]) {
					dropped++
					continue rowLoop
				}
				r.Covariates[j] = covs[j][i]
			}
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil, dropped, fmt.Errorf("no complete rows: every row misses a value in one of the used columns")
	}
	if err := requireBothValues(rows, s.Treated, func(r PanelRow) bool { return r.Treated }); err != nil {
		return nil, dropped, err
	}
	if err := requireBothValues(rows, s.Post, func(r PanelRow) bool { return r.Post }); err != nil {
		return nil, dropped, err
	}
	return rows, dropped, nil
}

func requireBothValues(rows []PanelRow, col string, f func(PanelRow) bool) error {
	var n [2]int
	for _, r := range rows {
		n[b2i(f(r))]++
	}
	if n[0] == 0 || n[1] == 0 {
		v := 0
		if n[1] > 0 {
			v = 1
		}
		return fmt.Errorf("column %q has only the value %d in the complete rows; it must hold both 0 and 1", col, v)
	}
	return nil
}

// DiDFromTable runs DiD on the table's columns as named by s.
func DiDFromTable(t *Table, s DiDSpec) (Estimate, error) {
	rows, _, err := DiDRowsFromTable(t, s)
	if err != nil {
		return Estimate{}, err
	}
	opt := EffectOptions{Cluster: ClusterNone, Level: s.Level, CovariateNames: s.Covariates}
	if s.Cluster != "" {
		opt.Cluster = ClusterField
	}
	return DiD(rows, opt)
}

// StaggeredSpec names the CSV columns of a staggered-adoption panel.
type StaggeredSpec struct {
	Outcome string
	Unit    string
	Time    string // integer period
	// Cohort holds the first treated period in Time's scale; 0 or an empty
	// field means never treated.
	Cohort string
	// Cluster optionally clusters the influence functions on a column coarser
	// than the unit (constant within unit).
	Cluster string
	Level   float64
}

// StaggeredRowsFromTable turns the table into panel rows for Staggered. Rows
// with a missing outcome, unit or time are left out; the count is returned.
func StaggeredRowsFromTable(t *Table, s StaggeredSpec) (rows []PanelRow, dropped int, err error) {
	for _, c := range []struct{ flag, val string }{{"outcome", s.Outcome}, {"unit", s.Unit}, {"time", s.Time}, {"cohort", s.Cohort}} {
		if c.val == "" {
			return nil, 0, fmt.Errorf("the %s column must be named", c.flag)
		}
	}
	y, err := t.Floats(s.Outcome)
	if err != nil {
		return nil, 0, fmt.Errorf("outcome: %w", err)
	}
	units, err := t.Strings(s.Unit)
	if err != nil {
		return nil, 0, fmt.Errorf("unit: %w", err)
	}
	tm, err := t.Floats(s.Time)
	if err != nil {
		return nil, 0, fmt.Errorf("time: %w", err)
	}
	co, err := t.Floats(s.Cohort)
	if err != nil {
		return nil, 0, fmt.Errorf("cohort: %w", err)
	}
	var cl []string
	if s.Cluster != "" {
		if cl, err = t.Strings(s.Cluster); err != nil {
			return nil, 0, fmt.Errorf("cluster: %w", err)
		}
	}
	for i := range t.Records {
		if math.IsNaN(y[i]) || IsMissing(units[i]) || math.IsNaN(tm[i]) || (cl != nil && IsMissing(cl[i])) {
			dropped++
			continue
		}
		if tm[i] != math.Trunc(tm[i]) || math.Abs(tm[i]) > 1e9 {
			return nil, 0, fmt.Errorf("column %q row %d: time %v is not an integer period", s.Time, i+1, tm[i])
		}
		c := co[i]
		if math.IsNaN(c) {
			c = 0
		}
		if c != math.Trunc(c) || math.Abs(c) > 1e9 {
			return nil, 0, fmt.Errorf("column %q row %d: cohort %v is not an integer period (0 or empty = never treated)", s.Cohort, i+1, co[i])
		}
		r := PanelRow{Unit: units[i], Time: int(tm[i]), Cohort: int(c), Y: y[i]}
		if cl != nil {
			r.Cluster = cl[i]
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil, dropped, fmt.Errorf("no complete rows: every row misses the outcome, unit or time")
	}
	return rows, dropped, nil
}
