package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// impactTestdata is $BUSSOLA_SHARED_DIR/testdata or
// <module root>/../shared/testdata.
func impactTestdata(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("BUSSOLA_SHARED_DIR"); d != "" {
		return filepath.Join(d, "testdata")
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "testdata")
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("go.mod not found; set BUSSOLA_SHARED_DIR")
		}
		dir = filepath.Dir(dir)
	}
}

func runImpactArgs(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runImpact(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func writeImpactCSV(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImpactDiD(t *testing.T) {
	ck := filepath.Join(impactTestdata(t), "card-krueger", "card-krueger-mhe.csv")
	t.Run("OK: Card and Krueger with store clusters prints the reference estimate and SE as JSON", func(t *testing.T) {
		out, _, err := runImpactArgs(t, "did", "--csv", ck, "--outcome", "fte", "--treated", "nj", "--post", "d", "--cluster", "id")
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out)
		}
		for _, k := range []string{"estimate", "se", "ci_low", "ci_high", "p_value", "df", "n_obs", "n_clusters", "method"} {
			if _, ok := got[k]; !ok {
				t.Errorf("JSON lacks %q", k)
			}
		}
		if e := got["estimate"].(float64); math.Abs(e-2.753606) > 5e-7 { // ck_reference.txt
			t.Errorf("estimate %v, want 2.753606", e)
		}
		if se := got["se"].(float64); math.Abs(se-1.3066) > 5e-5 { // ck_reference.txt, vcovCL HC1
			t.Errorf("se %v, want 1.3066", se)
		}
	})
	t.Run("OK: the table format prints a header and one row", func(t *testing.T) {
		out, _, err := runImpactArgs(t, "did", "--csv", ck, "--outcome", "fte", "--treated", "nj", "--post", "d", "--covariates", "bk,kfc", "--format", "table")
		if err != nil || !strings.Contains(out, "estimate") || !strings.Contains(out, "difference-in-differences") {
			t.Errorf("err %v, output:\n%s", err, out)
		}
	})
	t.Run("OK: --help prints the usage and is not an error", func(t *testing.T) {
		_, stderr, err := runImpactArgs(t, "did", "--help")
		if err != nil || !strings.Contains(stderr, "--outcome") {
			t.Errorf("err %v, stderr %q", err, stderr)
		}
	})
	oneCluster := writeImpactCSV(t, "y,t,p,c\n1,0,0,a\n2,1,0,a\n3,0,1,a\n5,1,1,a\n")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrMissingColumn: an unknown outcome column is named", []string{"--csv", ck, "--outcome", "nope", "--treated", "nj", "--post", "d"}, `column "nope" not found`},
		{"ErrNonBinary: a non-binary treatment names the column and row", []string{"--csv", ck, "--outcome", "fte", "--treated", "fte", "--post", "d"}, `column "fte" row 1`},
		{"ErrOneCluster: a single cluster is refused", []string{"--csv", oneCluster, "--outcome", "y", "--treated", "t", "--post", "p", "--cluster", "c"}, "at least 2 clusters"},
		{"ErrNoCSV: the csv flag is required", []string{"--outcome", "y"}, "--csv is required"},
		{"ErrFormat: an unknown format is refused", []string{"--csv", ck, "--outcome", "fte", "--treated", "nj", "--post", "d", "--format", "xml"}, "want json or table"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := runImpactArgs(t, append([]string{"did"}, c.args...)...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestImpactStaggered(t *testing.T) {
	var b strings.Builder
	b.WriteString("person,week,first,y\n")
	for i := 0; i < 40; i++ {
		cohort := []int{3, 5, 0, 0}[i%4]
		for w := 1; w <= 6; w++ {
			y := float64(i%7) + 0.1*float64(w)
			if cohort != 0 && w >= cohort {
				y += 1
			}
			b.WriteString(strings.Join([]string{"p" + strconv.Itoa(i), strconv.Itoa(w), strconv.Itoa(cohort), strconv.FormatFloat(y, 'g', -1, 64)}, ",") + "\n")
		}
	}
	path := writeImpactCSV(t, b.String())
	t.Run("OK: a staggered panel prints the overall effect, event study, pre-trend p-value and TWFE", func(t *testing.T) {
		out, _, err := runImpactArgs(t, "staggered", "--csv", path, "--outcome", "y", "--unit", "person", "--time", "week", "--cohort", "first")
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Overall struct {
				Estimate float64 `json:"estimate"`
			} `json:"overall"`
			EventStudy     []map[string]float64 `json:"event_study"`
			PretrendPValue *float64             `json:"pretrend_p_value"`
			TWFEEstimate   *float64             `json:"twfe_estimate"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out)
		}
		if math.Abs(got.Overall.Estimate-1) > 1e-9 || len(got.EventStudy) == 0 || got.TWFEEstimate == nil {
			t.Errorf("overall %v (want 1, noise-free data), event study %d points, twfe %v", got.Overall.Estimate, len(got.EventStudy), got.TWFEEstimate)
		}
	})
	t.Run("ErrMissingColumn: an unknown cohort column is named", func(t *testing.T) {
		_, _, err := runImpactArgs(t, "staggered", "--csv", path, "--outcome", "y", "--unit", "person", "--time", "week", "--cohort", "g")
		if err == nil || !strings.Contains(err.Error(), `column "g" not found`) {
			t.Errorf("error %v", err)
		}
	})
	t.Run("ErrUnknownCommand: an unknown subcommand is refused", func(t *testing.T) {
		if _, _, err := runImpactArgs(t, "regress"); err == nil || !strings.Contains(err.Error(), "unknown command") {
			t.Errorf("error %v", err)
		}
	})
}
