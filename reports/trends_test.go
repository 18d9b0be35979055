package reports_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

func executiveJSON(t *testing.T, e *env, query string) reports.ExecutiveData {
	t.Helper()
	_, body := get(t, e.client(t, reportstest.ExecA), e.ts.URL+"/reports/executive/data.json"+query)
	var r struct {
		Data reports.ExecutiveData `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("executive data: %v: %.300s", err, body)
	}
	return r.Data
}

func readinessJSON(t *testing.T, e *env, query string) reports.ReadinessData {
	t.Helper()
	_, body := get(t, e.client(t, reportstest.HRA), e.ts.URL+"/reports/readiness/data.json"+query)
	var r struct {
		Data reports.ReadinessData `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("readiness data: %v: %.300s", err, body)
	}
	return r.Data
}

func kpiOf(t *testing.T, d reports.ExecutiveData, key string) reports.KPI {
	t.Helper()
	for _, k := range d.KPIs {
		if k.Key == key {
			return k
		}
	}
	t.Fatalf("no KPI %s in %+v", key, d.KPIs)
	return reports.KPI{}
}

func TestKPITrendsAreReleasedLikeTheirCards(t *testing.T) {
	e := mustStart(t)
	t.Run("OK the small oldest window is a gap with its reason; the others are published, the last equals the card", func(t *testing.T) {
		for _, key := range []string{"adoption_rate", "wellbeing"} {
			k := kpiOf(t, executiveJSON(t, e, ""), key)
			if len(k.Series) != 4 {
				t.Fatalf("%s: %d points, want the fixture's 4 windows", key, len(k.Series))
			}
			if c := k.Series[0].Cell; !c.Suppressed || c.Reason != reports.ReasonSmallGroup || c.Value != 0 || c.N != 0 {
				t.Errorf("%s: the 3-person window was published: %+v", key, c)
			}
			last := k.Series[len(k.Series)-1]
			if last.Cell.Suppressed || last.Cell.Value != k.Current.Value || last.Cell.N != k.Current.N || last.Period.Wave != "" {
				t.Errorf("%s: last point %+v, card %+v", key, last, k.Current)
			}
		}
	})
	t.Run("OK under a filter the behavioural trends are entity-only, as their cards", func(t *testing.T) {
		// A published selection (since the readiness categories are on the
		// lattice, the fixture's grade and cohort margins are hidden).
		d := executiveJSON(t, e, "?unit="+url.QueryEscape("Ragioneria"))
		for _, key := range []string{"adoption_rate", "wellbeing", "response_rate"} {
			k := kpiOf(t, d, key)
			if len(k.Series) == 0 {
				t.Fatalf("%s: no trend", key)
			}
			for _, p := range k.Series {
				if !p.Cell.Suppressed || p.Cell.Reason != reports.ReasonEntityOnly || p.Cell.Value != 0 {
					t.Errorf("%s under a filter: point %s published: %+v", key, p.Label, p.Cell)
				}
			}
		}
	})
	t.Run("OK the readiness index trend is the selection's lattice cell of each wave: the last wave is the card, the one before its previous", func(t *testing.T) {
		for _, q := range []string{"", "?unit=" + url.QueryEscape("Ragioneria")} {
			k := kpiOf(t, executiveJSON(t, e, q), "readiness_index")
			if len(k.Series) != 2 || k.Series[1].Period.Wave != k.Period.Wave || k.Series[0].Period.Wave != k.PreviousPeriod.Wave {
				t.Fatalf("%q: series %+v for card periods %v %v", q, k.Series, k.Period, k.PreviousPeriod)
			}
			if k.Series[1].Cell != k.Current || k.Series[0].Cell != k.Previous {
				t.Errorf("%q: trend %+v, card %+v / %+v", q, k.Series, k.Current, k.Previous)
			}
			if k.Current.Suppressed || k.Current.N == 0 {
				t.Errorf("%q: the fixture's selection should be published: %+v", q, k.Current)
			}
		}
	})
	t.Run("OK a selection below the minimum hides every trend point", func(t *testing.T) {
		d := executiveJSON(t, e, "?grade=dirigente")
		for _, k := range d.KPIs {
			for _, p := range k.Series {
				if !p.Cell.Suppressed || p.Cell.Value != 0 || p.Cell.N != 0 {
					t.Errorf("%s: point %s of a 3-person selection published: %+v", k.Key, p.Label, p.Cell)
				}
			}
		}
	})
}

func TestReadinessTrendOverAllWaves(t *testing.T) {
	e := mustStart(t)
	t.Run("OK each dimension's last wave equals its total; the index is there too", func(t *testing.T) {
		for _, q := range []string{"", "?unit=Ragioneria"} {
			d := readinessJSON(t, e, q)
			totals := map[string]reports.Cell{}
			for _, c := range d.DimensionTotals {
				totals[c.Dimension] = c.Cell
			}
			index := false
			for _, tr := range d.Trend {
				if len(tr.Points) != 2 {
					t.Fatalf("%q %s: %d waves, want 2", q, tr.Dimension, len(tr.Points))
				}
				if tr.Dimension == "" {
					index = true
					continue
				}
				if got := tr.Points[1].Cell; got != totals[tr.Dimension] || got.N == 0 {
					t.Errorf("%q %s: last wave %+v, total %+v", q, tr.Dimension, got, totals[tr.Dimension])
				}
				for _, w := range d.Waves {
					if w.Dimension == tr.Dimension && tr.Points[0].Cell != w.Before {
						t.Errorf("%q %s: first wave %+v, the wave comparison's before %+v", q, tr.Dimension, tr.Points[0].Cell, w.Before)
					}
				}
			}
			if !index || len(d.Trend) != len(d.Dimensions)+1 {
				t.Errorf("%q: trend has %d series for %d dimensions (index %v)", q, len(d.Trend), len(d.Dimensions), index)
			}
		}
	})
	t.Run("OK a selection below the minimum hides every wave of every dimension", func(t *testing.T) {
		d := readinessJSON(t, e, "?grade=dirigente")
		if len(d.Trend) == 0 {
			t.Fatal("no trend at all: the hidden points must be there, as gaps")
		}
		for _, tr := range d.Trend {
			for _, p := range tr.Points {
				if !p.Cell.Suppressed || p.Cell.Value != 0 || p.Cell.N != 0 {
					t.Errorf("%s %s of a 3-person selection published: %+v", tr.Dimension, p.Label, p.Cell)
				}
			}
		}
	})
	t.Run("OK the heatmap's reference is the entity's mean under a unit filter too", func(t *testing.T) {
		all, one := readinessJSON(t, e, ""), readinessJSON(t, e, "?unit=Ragioneria")
		if len(one.EntityTotals) != len(all.DimensionTotals) || len(one.EntityTotals) == 0 {
			t.Fatalf("entity totals %+v, entity's dimension totals %+v", one.EntityTotals, all.DimensionTotals)
		}
		differ := false
		for i, c := range one.EntityTotals {
			if c != all.DimensionTotals[i] {
				t.Errorf("%s: reference %+v, entity's mean %+v", c.Dimension, c.Cell, all.DimensionTotals[i].Cell)
			}
			differ = differ || c.Cell.Value != one.DimensionTotals[i].Cell.Value
		}
		if !differ {
			t.Error("the unit's means equal the entity's: the fixture cannot tell the references apart")
		}
	})
}
