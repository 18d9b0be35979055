package scoring

import (
	"math"
	"testing"

	"github.com/bussola-pa/bussola/privacy"
)

func TestApplyDisclosure(t *testing.T) {
	none := math.NaN()
	fig := func(value float64, n int) privacy.Cell { return privacy.Cell{Value: value, N: n} }
	// disclose protects the tables with the lattice's reasons and
	// publishes them.
	disclose := func(groups map[string]string, total string) *Results {
		t := &tables{
			groups:     []cell{{Group: "A", Cell: fig(none, 12), sd: none}, {Group: "B", Cell: fig(none, 7), sd: none}},
			scores:     []cell{{Group: "A", Dimension: "d", Cell: fig(3.14159, 12), sd: 0.98765}, {Group: "B", Dimension: "d", Cell: fig(2.5, 7), sd: none}},
			index:      []cell{{Group: "A", Cell: fig(55.555, 12), sd: none}, {Group: "B", Cell: fig(40, 7), sd: none}},
			totals:     []cell{{Dimension: "d", Cell: fig(2.94444, 19), sd: none}},
			indexTotal: cell{Cell: fig(48.7, 19), sd: none},
			segments:   []cell{{Category: "x", Cell: fig(0.123456, 19), sd: none}},
		}
		t.disclose(groups, total)
		return t.results(nil, nil)
	}
	t.Run("OK a group the lattice hides is hidden in every table, with the lattice's reason", func(t *testing.T) {
		r := disclose(map[string]string{"B": "complementary"}, "")
		for _, cs := range [][]Row{r.Groups, r.Scores, r.Index} {
			if cs[0].Suppressed || !cs[1].Suppressed || cs[1].Reason != "complementary" || cs[1].N != nil || cs[1].Mean != nil {
				t.Fatalf("cells %+v %+v: want A published, B hidden as complementary", cs[0], cs[1])
			}
		}
	})
	t.Run("OK figures leave at the precision the reports show", func(t *testing.T) {
		r := disclose(nil, "")
		if *r.Scores[0].Mean != 3.14 || *r.Scores[0].SD != 0.99 || *r.Index[0].Mean != 55.56 || *r.Segments[0].Share != 0.123 {
			t.Fatalf("mean %v sd %v index %v share %v: want 3.14 0.99 55.56 0.123", *r.Scores[0].Mean, *r.Scores[0].SD, *r.Index[0].Mean, *r.Segments[0].Share)
		}
	})
	t.Run("OK a hidden wave total hides the whole results", func(t *testing.T) {
		r := disclose(map[string]string{}, "complementary")
		if !r.Suppressed || len(r.Groups)+len(r.Scores)+len(r.Index)+len(r.Totals)+len(r.Segments) != 0 {
			t.Fatalf("results %+v: want everything hidden", r)
		}
	})
}
