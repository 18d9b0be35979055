package attack

import (
	"math"
	"testing"
)

func TestObserveTable(t *testing.T) {
	tb := table{widget: "readiness-heatmap",
		cols: []string{"Unit", "Dimension", "Mean", colLo, colHi, colPeople},
		rows: [][]string{
			{"U", "Data", "3.5", "3.1", "3.9", "7"},
			{"All", "Data", "3.25", "3", "3.5", "12"},
			{"V", "Data", "not shown (fewer than 5 people)", "not shown", "not shown", "not shown"},
		}}
	org := OrgChart{{Group{Unit: "U", Grade: "g"}, 7}, {Group{Unit: "V", Grade: "g"}, 5}}
	got := org.observeTable("readiness", Pop{}, tb, "csv")
	t.Run("OK a unit's row is the unit, the total row the population asked, a hidden row nothing", func(t *testing.T) {
		if len(got) != 2 {
			t.Fatalf("%d observations: %+v", len(got), got)
		}
		u, all := got[0], got[1]
		if u.Pop.Unit != "U" || u.Value != 3.5 || u.N != 7 || u.Kind != weighted || u.Measure != "readiness-heatmap: Data / Mean" {
			t.Errorf("unit row %+v", u)
		}
		if all.Pop != (Pop{}) || all.N != 12 || math.Abs(all.Err-0.005) > 1e-12 {
			t.Errorf("total row %+v", all)
		}
	})
	t.Run("OK the total minus the unit's row leaves the hidden unit's 5 people: not below the minimum", func(t *testing.T) {
		if ls := leaks(t, Target{Org: org}, got...); len(ls) != 0 {
			t.Fatalf("%v", ls)
		}
	})
	t.Run("OK a count column is counted; each People column weighs the values before it", func(t *testing.T) {
		tr := table{widget: "readiness-training",
			cols: []string{"Unit", "Dimension", "Share below threshold", "People below threshold", colPeople},
			rows: [][]string{{"U", "Data", "0.5", "3", "6"}}}
		obs := org.observeTable("readiness", Pop{}, tr, "xlsx")
		if len(obs) != 2 || obs[0].Kind != weighted || obs[1].Kind != counted || obs[1].Value != 3 || obs[1].N != 6 {
			t.Fatalf("%+v", obs)
		}
	})
	t.Run("OK the diary gives the people who wrote, not its means over entries", func(t *testing.T) {
		tr := table{widget: "impact-diary",
			cols: []string{"Week", "Group", "Rating", "Mean", colLo, colHi, colPeople},
			rows: [][]string{{"2025-11-03", "Pilot", "Wellbeing", "3.5", "3", "4", "6"}}}
		obs := org.observeTable("impact", Pop{}, tr, "csv")
		if len(obs) != 1 || obs[0].Kind != counted || obs[0].Value != 6 || obs[0].Measure != "impact-diary: people who wrote / 2025-11-03 / Pilot" {
			t.Fatalf("%+v", obs)
		}
	})
}

func TestExportDifferencing(t *testing.T) {
	// A unit of 7: 5 Istruttori and 2 Dirigenti; the unit's row and the
	// Istruttori's row from two CSV exports give the Dirigenti's mean.
	tg := Target{Org: org}
	cols := []string{"Unit", "Dimension", "Mean", colLo, colHi, colPeople}
	unit := tg.Org.observeTable("readiness", Pop{}, table{cols: cols, rows: [][]string{{"U", "Data", "3", "", "", "7"}}}, "csv")
	istr := tg.Org.observeTable("readiness", Pop{}.with("grade", "Istruttori"), table{cols: cols, rows: [][]string{{"U", "Data", "2.8", "", "", "5"}}}, "csv")
	ls := leaks(t, tg, append(unit, istr...)...)
	if len(ls) != 1 || ls[0].Size != 2 || math.Abs(ls[0].Value-3.5) > ls[0].Bound+1e-9 || ls[0].Sources != "csv" {
		t.Fatalf("%v", ls)
	}
}

func TestPrecisionFindings(t *testing.T) {
	data := []byte(`{"data":{"kpis":[{"current":{"value":4.67,"n":12}},{"current":{"value":0.674,"n":40}}]}}`)
	for _, tc := range []struct {
		name, text string
		want       int
	}{
		{"OK values at the precision released, in per cent too", "Media 4,67 (12 persone), quota 67,4%, 12", 0},
		{"OK a value with padded zeros is the same value", "4,670", 0},
		{"OK a bound is not a value", "p < 0,001", 0},
		{"Err a value at finer precision than data.json", "Media 4,667", 1},
		{"Err a value data.json does not give", "Media 3,21 e -0,5", 2},
		{"OK a number of the page's notes is prose, not a figure", "oltre 0,1, 0,25 e 0,5 punti", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _, err := precisionFindings("executive", "pdf", Pop{}, tc.text, data, "0,1", "0,25", "0,5")
			if err != nil {
				t.Fatal(err)
			}
			if len(f) != tc.want {
				t.Fatalf("%d findings, want %d: %v", len(f), tc.want, f)
			}
		})
	}
}

func TestMembership(t *testing.T) {
	// The unit counts 5 answers and so do its 5 Istruttori: its 2
	// Dirigenti (by the organisation chart) did not answer.
	tg := Target{Org: org}
	u := Pop{Group: Group{Unit: "U"}}
	ls := leaks(t, tg, mean(u, 3, 5), mean(u.with("grade", "Istruttori"), 3, 5))
	if len(ls) != 1 || !ls[0].Membership || ls[0].Headcount != 2 || ls[0].Size != 0 {
		t.Fatalf("%v", ls)
	}
	// Had one Dirigente answered, the remainder is a value of one person.
	ls = leaks(t, tg, mean(u, 3, 6), mean(u.with("grade", "Istruttori"), 3, 5))
	if len(ls) != 1 || ls[0].Membership || ls[0].Size != 1 {
		t.Fatalf("%v", ls)
	}
}
