package attack

import (
	"math"
	"testing"
)

// A unit of 7: 5 Istruttori and 2 Dirigenti, all in one cohort.
var org = OrgChart{
	{Group{Unit: "U", Grade: "Istruttori", Cohort: "c"}, 5},
	{Group{Unit: "U", Grade: "Dirigenti", Cohort: "c"}, 2},
}

func mean(p Pop, v float64, n int) obs {
	return obs{Page: "readiness", Measure: "mean score", Kind: weighted, Pop: p, Value: v, N: n, Source: "data.json"}
}

func leaks(t *testing.T, tg Target, published ...obs) []Leak {
	t.Helper()
	var out []Leak
	for _, d := range tg.candidates(pool(published)) {
		if l, ok := tg.derive(d); ok {
			out = append(out, l)
		}
	}
	return out
}

func TestDerive(t *testing.T) {
	tg := Target{Org: org}
	u := Pop{Group: Group{Unit: "U"}}
	t.Run("OK a unit minus its visible grade gives the hidden grade's mean", func(t *testing.T) {
		ls := leaks(t, tg, mean(u, 3, 7), mean(u.with("grade", "Istruttori"), 2.8, 5))
		if len(ls) != 1 {
			t.Fatalf("%d leaks, want 1: %v", len(ls), ls)
		}
		// (7*3 - 5*2.8) / 2 = 3.5, of the 2 Dirigenti.
		if l := ls[0]; l.Size != 2 || math.Abs(l.Value-3.5) > 1e-12 || l.Group != "unit=U with grade in {Dirigenti}" {
			t.Errorf("leak %s", l)
		}
	})
	t.Run("OK rounding widens the bound by the people it multiplies", func(t *testing.T) {
		a, b := mean(u, 3, 7), mean(u.with("grade", "Istruttori"), 2.8, 5)
		a.Err, b.Err = 0.005, 0.005
		ls := leaks(t, tg, a, b)
		if len(ls) != 1 || math.Abs(ls[0].Bound-0.03) > 1e-12 { // (7+5)*0.005/2
			t.Fatalf("leaks %v", ls)
		}
	})
	t.Run("OK a remainder of at least the minimum is no leak", func(t *testing.T) {
		if ls := leaks(t, tg, mean(u, 3, 7), mean(u.with("grade", "Dirigenti"), 3.5, 2)); len(ls) != 0 {
			t.Errorf("leaks %v", ls)
		}
	})
	t.Run("OK nothing is derived when the parts are hidden", func(t *testing.T) {
		if ls := leaks(t, tg, mean(u, 3, 7)); len(ls) != 0 {
			t.Errorf("leaks %v", ls)
		}
	})
	t.Run("OK a count shifted by one day gives that day's count", func(t *testing.T) {
		a := obs{Page: "communication", Measure: "items", Kind: counted, Pop: Pop{From: "2025-11-03", To: "2025-11-14"}, Value: 30, N: 8}
		b := a
		b.Pop.To, b.Value, b.N = "2025-11-13", 27, 6
		ls := leaks(t, tg, a, b)
		if len(ls) != 1 || ls[0].Value != 3 || ls[0].Size != 2 || ls[0].Group != "from=2025-11-14&to=2025-11-14" {
			t.Fatalf("leaks %v", ls)
		}
	})
	t.Run("OK terms of a grade remainder are sized by its headcount and the text minimum", func(t *testing.T) {
		term := func(p Pop, v float64, n int) obs {
			return obs{Page: "impact", Measure: "term", Kind: counted, Text: true, Pop: p, Value: v, N: n}
		}
		// 7 people in the unit: any remainder is below 10.
		ls := leaks(t, tg, term(u, 40, 7), term(u.with("grade", "Istruttori"), 31, 5))
		if len(ls) != 1 || ls[0].Value != 9 || ls[0].Size != 2 || ls[0].Min != 10 {
			t.Fatalf("leaks %v", ls)
		}
	})
}
