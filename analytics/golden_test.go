package analytics

import (
	"fmt"
	"math"
	"testing"
)

// ckLong stacks Card & Krueger's store file into two waves the way
// ck_did.R and ck_extra.R do: the store id is SHEET with STATE (SHEET alone
// is not unique). balanced keeps stores with FTE in both waves.
func ckLong(tb testing.TB, balanced bool) []PanelRow {
	tb.Helper()
	t := mustReadTable(tb, "card-krueger/njmin_public.csv")
	sheet, state := mustCol(tb, t, "SHEET"), mustCol(tb, t, "STATE")
	fte, fte2 := mustCol(tb, t, "FTE"), mustCol(tb, t, "FTE2")
	var rows []PanelRow
	for i := range sheet {
		if balanced && (math.IsNaN(fte[i]) || math.IsNaN(fte2[i])) {
			continue
		}
		id := fmt.Sprintf("%v-%v", sheet[i], state[i])
		for post, y := range []float64{fte[i], fte2[i]} {
			if math.IsNaN(y) {
				continue
			}
			rows = append(rows, PanelRow{Unit: id, Treated: state[i] == 1, Post: post == 1, Y: y})
		}
	}
	return rows
}

func TestCardKruegerDiD(t *testing.T) {
	t.Run("All available stores give Table 3 row 3 with the store-clustered HC1 SE from ck_extra.R", func(t *testing.T) {
		e, err := DiD(ckLong(t, false), EffectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		near(t, "estimate", e.Estimate, 2.753606, 5e-7) // ck_reference.txt: 2.753606
		near(t, "clustered SE", e.SE, 1.3066, 5e-5)     // ck_reference.txt: 1.3066 (vcovCL HC1)
		if e.NObs != 794 || e.NClusters != 410 || e.DF != 409 {
			t.Errorf("n_obs %d, clusters %d, df %v; want 794, 410, 409", e.NObs, e.NClusters, e.DF)
		}
	})
	t.Run("The balanced sample gives 2.75 with store-clustered SE 1.3386 and R's t and p on N-K df", func(t *testing.T) {
		rows := ckLong(t, true)
		e, err := DiD(rows, EffectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		near(t, "estimate", e.Estimate, 2.75, 1e-9)                          // ck_reference.txt: 2.75000000
		near(t, "clustered SE", e.SE, 1.33859822, 5e-8)                      // ck_reference.txt: 1.33859822
		near(t, "t", e.Estimate/e.SE, 2.05438792, 5e-8)                      // ck_reference.txt: 2.05438792
		near(t, "p on 764 df", twoSidedP(2.05438792, 764), 0.04027783, 5e-9) // coeftest uses N-K = 764 df
		if e.NObs != 768 || e.NClusters != 384 || e.DF != 383 {
			t.Errorf("n_obs %d, clusters %d, df %v; want 768, 384, 383", e.NObs, e.NClusters, e.DF)
		}
	})
	t.Run("Classic OLS standard errors match lm on both samples", func(t *testing.T) {
		for _, c := range []struct {
			balanced bool
			se       float64
		}{{true, 1.7315}, {false, 1.6884}} { // ck_reference.txt coeftest(m) and m2
			rows := ckLong(t, c.balanced)
			d, err := buildDesign(rows, []string{"(Intercept)", "treated", "post", "treated:post"}, nil, func(r *PanelRow, x []float64) {
				tr, p := float64(b2i(r.Treated)), float64(b2i(r.Post))
				x[0], x[1], x[2], x[3] = 1, tr, p, tr*p
			})
			if err != nil {
				t.Fatal(err)
			}
			reg, err := FitOLS(d, VCovClassic)
			if err != nil {
				t.Fatal(err)
			}
			near(t, fmt.Sprintf("classic SE (balanced=%v)", c.balanced), reg.SE(3), c.se, 5e-5)
		}
	})
	t.Run("The long MHE file through the CSV route gives the same all-stores estimate", func(t *testing.T) {
		tab := mustReadTable(t, "card-krueger/card-krueger-mhe.csv")
		e, err := DiDFromTable(tab, DiDSpec{Outcome: "fte", Treated: "nj", Post: "d", Cluster: "id"})
		if err != nil {
			t.Fatal(err)
		}
		near(t, "estimate", e.Estimate, 2.753606, 5e-7) // ck_reference.txt: 2.753606
		near(t, "clustered SE", e.SE, 1.3066, 5e-5)     // ck_reference.txt: 1.3066
	})
}
