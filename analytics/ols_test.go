package analytics

import (
	"errors"
	"strings"
	"testing"
)

func TestFitOLSErrors(t *testing.T) {
	t.Run("ErrCollinear: a duplicated regressor is reported as collinear", func(t *testing.T) {
		d := Design{Names: []string{"a", "b"}, X: []float64{1, 1, 1, 1, 1, 1}, Y: []float64{1, 2, 3}}
		if _, err := FitOLS(d, VCovClassic); !errors.Is(err, ErrCollinear) {
			t.Errorf("error %v, want ErrCollinear", err)
		}
	})
	t.Run("ErrTooFewRows: as many rows as coefficients is refused", func(t *testing.T) {
		d := Design{Names: []string{"a", "b"}, X: []float64{1, 0, 1, 1}, Y: []float64{1, 2}}
		if _, err := FitOLS(d, VCovClassic); err == nil || !strings.Contains(err.Error(), "more observations") {
			t.Errorf("error %v", err)
		}
	})
}

func TestDiDErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		rows []PanelRow
		opt  EffectOptions
		want string
	}{
		{"ErrEmptyCell: a missing pilot post-period is named", []PanelRow{{Unit: "a"}, {Unit: "b", Treated: true}, {Unit: "c", Post: true}}, EffectOptions{}, "no rows with pilot in the post period"},
		{"ErrOneCluster: a single org unit is refused", []PanelRow{{Unit: "a", Cluster: "x"}, {Unit: "b", Treated: true, Cluster: "x"}, {Unit: "c", Post: true, Cluster: "x"}, {Unit: "d", Treated: true, Post: true, Cluster: "x"}, {Unit: "e", Cluster: "x"}}, EffectOptions{Cluster: ClusterField}, "at least 2 clusters"},
		{"ErrEmptyUnit: person clustering needs a unit on every row", []PanelRow{{}, {Treated: true}, {Post: true}, {Treated: true, Post: true}, {}}, EffectOptions{}, "unit is empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := DiD(c.rows, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestReadTable(t *testing.T) {
	for _, c := range []struct {
		name, csv, col, want string
	}{
		{"ErrNotNumber: text in a numeric column names the row", "y,t\n1,0\nabc,1\n", "y", `row 2: "abc" is not a number`},
		{"ErrNotBinary: a 2 in a treatment column is refused", "y,t\n1,0\n2,2\n", "t", "not binary"},
		{"ErrMissingColumn: the existing columns are listed", "y,t\n1,0\n", "z", "has columns y, t"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tab, err := ReadTable(strings.NewReader(c.csv))
			if err != nil {
				t.Fatal(err)
			}
			_, err = tab.Binary(c.col)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	t.Run("OK: NA, empty and dot are missing; TRUE and FALSE are binary", func(t *testing.T) {
		tab, _ := ReadTable(strings.NewReader("a,b\nNA,TRUE\n,FALSE\n.,1\n"))
		a, _ := tab.Floats("a")
		b, err := tab.Binary("b")
		if err != nil || a[0] == a[0] || a[1] == a[1] || a[2] == a[2] || b[0] != 1 || b[1] != 0 {
			t.Errorf("a %v b %v err %v", a, b, err)
		}
	})
}
