package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/internal/testenv"
)

func writeAssessCSV(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "answers.csv")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const assessCSV = `id,q1,q2,q3,q4
1,1,2,5,1
2,2,2,4,2
3,3,4,3,3
4,4,4,2,5
5,5,5,1,4
6,,3,3,3
7,2,1,4,2
8,4,5,,4
`

func TestRunAssess(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		body    string
		wantErr string
	}{
		{"A scale with a reversed item gives JSON with alpha and items.", []string{"--scale", "S=q1,q2,-q3,q4"}, assessCSV, ""},
		{"An item not in the header is named.", []string{"--scale", "S=q1,q9"}, assessCSV, `item "q9" is not a column of the header`},
		{"A non-numeric cell is named by column and line.", []string{"--scale", "S=q1,q2"}, strings.Replace(assessCSV, "3,4,3,3", "3,x,3,3", 1), `column "q2", line 4: "x" is not a number`},
		{"A constant item is named.", []string{"--scale", "S=q1,q5"}, "q1,q5\n1,2\n2,2\n3,2\n", `column "q5" is constant`},
		{"A scale without items is rejected.", []string{"--scale", "S="}, assessCSV, "want NAME=ITEM"},
		{"An unknown rotation is rejected.", []string{"--scale", "S=q1,q2,q3", "--efa", "1", "--rotate", "promax"}, assessCSV, "--rotate must be oblimin or varimax"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeAssessCSV(t, tc.body)
			var out, errb bytes.Buffer
			err := runAssess(context.Background(), append([]string{"--csv", path}, tc.args...), &out, &errb)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Scales []struct {
					Name     string   `json:"name"`
					N        int      `json:"n"`
					RawAlpha *float64 `json:"raw_alpha"`
					Items    []struct {
						Item     string `json:"item"`
						Reversed bool   `json:"reversed"`
					} `json:"items"`
				} `json:"scales"`
				PCA []float64 `json:"pca_eigenvalues"`
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out.String())
			}
			if len(got.Scales) != 1 || got.Scales[0].N != 8 || got.Scales[0].RawAlpha == nil || len(got.Scales[0].Items) != 4 || !got.Scales[0].Items[2].Reversed {
				t.Fatalf("unexpected output: %s", out.String())
			}
			sum := 0.0
			for _, v := range got.PCA {
				sum += v
			}
			if len(got.PCA) != 4 || math.Abs(sum-4) > 1e-9 {
				t.Errorf("PCA eigenvalues %v should be 4 and sum to 4", got.PCA)
			}
		})
	}
}

func TestRunAssessOnBFI(t *testing.T) {
	bfi := filepath.Join("..", "..", "..", "shared", "testdata", "psych", "bfi.csv")
	if d := os.Getenv("BUSSOLA_SHARED_DIR"); d != "" {
		bfi = filepath.Join(d, "psych", "bfi.csv")
	}
	if _, err := os.Stat(bfi); err != nil {
		testenv.SkipOrFail(t, fmt.Sprintf("reference data absent (%v); set BUSSOLA_SHARED_DIR", err))
	}
	args := []string{"--csv", bfi, "--scale", "C=C1,C2,C3,-C4,-C5", "--scale", "N=N1,N2,N3,N4,N5", "--efa", "2", "--format", "table"}
	var out, errb bytes.Buffer
	if err := runAssess(context.Background(), args, &out, &errb); err != nil {
		t.Fatal(err)
	}
	// psych::alpha raw_alpha C = 0.7267349729, N = 0.8139629499 (4 decimals in the table).
	for _, want := range []string{"0.7267", "0.8140", "EFA minres/oblimin", "phi"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
	var help bytes.Buffer
	if err := runAssess(context.Background(), []string{"--help"}, &help, &help); err != nil || !strings.Contains(help.String(), "usage: bussola assess") {
		t.Errorf("--help: err %v, output %q", err, help.String())
	}
}
