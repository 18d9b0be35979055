package figures

import (
	"math"
	"testing"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/reports"
)

func TestReadinessFromSums(t *testing.T) {
	// Scores 2, 4, 4, 4, 5, 5, 7, 9 in unit A (mean 5, t(7) half-width
	// 1.78748, see analytics.TestMomentsEstimates) and 2, 2, 4, 4 before.
	a := analytics.Moments{N: 8, S: 40, SS: 232}
	b := analytics.Moments{N: 4, S: 12, SS: 40}
	d := readiness(ReadinessSums{Counts: reports.ReadinessData{Dimensions: []string{"d1", "d2"}}, Latest: "w2", Prev: "w1", Units: []string{"A"},
		Scores: []ScoreSums{{Wave: "w2", Unit: "A", Dimension: "d1", Moments: a, Below: 2}, {Wave: "w2", Dimension: "d1", Moments: a, Below: 2},
			{Wave: "w1", Dimension: "d1", Moments: b}}})
	if len(d.Heatmap) != 1 || len(d.Training) != 1 || len(d.DimensionTotals) != 1 || len(d.Waves) != 1 {
		t.Fatalf("a dimension without scores must have no cells: %+v", d)
	}
	if c := d.Heatmap[0].Cell; c.Value != 5 || c.N != 8 || math.Abs(c.Hi-5-1.78748) > 1e-4 {
		t.Errorf("heatmap cell %+v, want 5 ± 1.78748 of 8 people", c)
	}
	if c := d.Training[0].Cell; c.Value != 0.25 || c.N != 8 {
		t.Errorf("training cell %+v, want 2 of 8 below target", c)
	}
	if w := d.Waves[0]; w.Change.Value != 2 || w.Change.N != 4 || w.Before.Value != 3 || w.FromWave != "w1" {
		t.Errorf("wave change %+v, want 5-3 with N the smaller wave", w)
	}
}

func TestKPIsResponseRate(t *testing.T) {
	k := kpis(KPIPanels{Known: 100, Latest: "w2", Prev: "w1", Respondents: [2]int{60, 40}})
	rr := k[3]
	if rr.Key != "response_rate" || rr.Current.Value != 0.6 || rr.Previous.Value != 0.4 || math.Abs(rr.Change.Hi-rr.Change.Value-0.13579) > 1e-5 {
		t.Errorf("response rate %+v, want 0.6 against 0.4 ± 0.13579", rr)
	}
	one := kpis(KPIPanels{Known: 100, Latest: "w2", Respondents: [2]int{60, 0}})[3]
	if one.Previous != (reports.Cell{}) || one.Change.Lo != 0 || one.Change.Hi != 0 {
		t.Errorf("one wave: %+v, want no previous figure and no interval", one)
	}
	if idx := k[0]; idx.Key != "readiness_index" || idx.Current.N != 0 || idx.Current.Value != 0 {
		t.Errorf("readiness index without scored people: %+v", idx)
	}
}
