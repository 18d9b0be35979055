package assessment

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestVarimaxKeepsCommunalitiesAndRaisesTheCriterion(t *testing.T) {
	tab := openBFI(t, bfiItems)
	r := PairwiseMoments(tab.Data).Cor
	un, err := FactorAnalysis(r, 5, RotateNone)
	if err != nil {
		t.Fatal(err)
	}
	vm, err := FactorAnalysis(r, 5, RotateVarimax)
	if err != nil {
		t.Fatal(err)
	}
	if vm.Phi != nil {
		t.Error("an orthogonal rotation returned factor correlations")
	}
	h0, h1 := rowSumSq(un.Loadings), rowSumSq(vm.Loadings)
	for i := range h0 {
		if math.Abs(h0[i]-h1[i]) > 1e-10 {
			t.Fatalf("communality of %s changed from %.6f to %.6f", bfiItems[i], h0[i], h1[i])
		}
	}
	crit := func(l *mat.Dense) float64 {
		p, q := l.Dims()
		s := 0.0
		for j := 0; j < q; j++ {
			var m, m2 float64
			for i := 0; i < p; i++ {
				v := l.At(i, j) * l.At(i, j)
				m += v
				m2 += v * v
			}
			s += m2/float64(p) - (m/float64(p))*(m/float64(p))
		}
		return s
	}
	if crit(vm.Loadings) <= crit(un.Loadings) {
		t.Errorf("varimax criterion %.4f not above unrotated %.4f", crit(vm.Loadings), crit(un.Loadings))
	}
}

func TestParallelAnalysisFindsTheSyntheticFactors(t *testing.T) {
	x := syntheticMatrix(2000, 4, 6, 0.05, 3)
	pw := PairwiseMoments(x)
	pa, err := ParallelAnalysis(pw.Cor, 2000, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	if pa.Components != 4 || pa.Factors != 4 {
		t.Errorf("components %d, factors %d; the data have 4 factors", pa.Components, pa.Factors)
	}
}

func TestBootstrapAlphaBracketsTheEstimate(t *testing.T) {
	tab := openBFI(t, bfiItems)
	sc := bfiScale(tab, "C", []string{"C4", "C5"})
	ci, err := BootstrapAlpha(tab.Data, sc, 200, 9)
	if err != nil {
		t.Fatal(err)
	}
	// psych raw_alpha C = 0.7267349729 with ase 0.008116697289; a 95%
	// interval should be roughly ±2 ase around it.
	if !(ci.Lower < 0.7267 && ci.Upper > 0.7267) || ci.Upper-ci.Lower > 6*0.0081 || ci.Upper-ci.Lower < 2*0.0081 {
		t.Errorf("interval [%.4f, %.4f] does not fit alpha 0.7267 with ase 0.0081", ci.Lower, ci.Upper)
	}
	again, _ := BootstrapAlpha(tab.Data, sc, 200, 9)
	if again != ci {
		t.Error("the same seed gave a different interval")
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"A missing column is named.", "a,b\n1,2\n", `item "c" is not a column`},
		{"A non-numeric cell is named by column and line.", "a,c\n1,2\n3,abc\n", `column "c", line 3: "abc" is not a number`},
		{"A short row is named.", "a,c\n1\n", `column "c", line 2: the row has 1 fields`},
		{"A header without rows is rejected.", "a,c\n", "no data rows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tc.body), []string{"a", "c"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
	tab, err := ReadCSV(strings.NewReader("a,c\n1,\nNA,2\n"), []string{"a", "c"})
	if err != nil || !math.IsNaN(tab.Data.At(0, 1)) || !math.IsNaN(tab.Data.At(1, 0)) {
		t.Fatalf("empty and NA cells should be missing: %v", err)
	}
}
