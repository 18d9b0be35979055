package scoring

import "testing"

func TestApplyDisclosure(t *testing.T) {
	results := func() *Results {
		return &Results{
			Groups:   []Cell{{Group: "A", N: intp(12)}, {Group: "B", N: intp(7)}},
			Scores:   []Cell{{Group: "A", Dimension: "d", N: intp(12), Mean: num(3.14159), SD: num(0.98765)}, {Group: "B", Dimension: "d", N: intp(7), Mean: num(2.5)}},
			Index:    []Cell{{Group: "A", N: intp(12), Mean: num(55.555)}, {Group: "B", N: intp(7), Mean: num(40)}},
			Totals:   []Cell{{Dimension: "d", N: intp(19), Mean: num(2.94444)}},
			Segments: []Cell{{Category: "x", N: intp(19), Share: num(0.123456)}},
		}
	}
	t.Run("OK a group the lattice hides is hidden in every table, with the lattice's reason", func(t *testing.T) {
		r := results()
		applyDisclosure(r, map[string]string{"B": "complementary"}, "")
		for _, cs := range [][]Cell{r.Groups, r.Scores, r.Index} {
			if cs[0].Suppressed || !cs[1].Suppressed || cs[1].Reason != "complementary" || cs[1].N != nil || cs[1].Mean != nil {
				t.Fatalf("cells %+v %+v: want A published, B hidden as complementary", cs[0], cs[1])
			}
		}
	})
	t.Run("OK figures leave at the precision the reports show", func(t *testing.T) {
		r := results()
		applyDisclosure(r, nil, "")
		if *r.Scores[0].Mean != 3.14 || *r.Scores[0].SD != 0.99 || *r.Index[0].Mean != 55.56 || *r.Segments[0].Share != 0.123 {
			t.Fatalf("mean %v sd %v index %v share %v: want 3.14 0.99 55.56 0.123", *r.Scores[0].Mean, *r.Scores[0].SD, *r.Index[0].Mean, *r.Segments[0].Share)
		}
	})
	t.Run("OK a hidden wave total hides the whole results", func(t *testing.T) {
		r := results()
		applyDisclosure(r, map[string]string{}, "complementary")
		if !r.Suppressed || len(r.Groups)+len(r.Scores)+len(r.Index)+len(r.Totals)+len(r.Segments) != 0 {
			t.Fatalf("results %+v: want everything hidden", r)
		}
	})
}
