package reports

import (
	"strings"
	"testing"
)

// A hidden DiD row says its reason once, in its first hidden cell, and its
// verdict says the estimate is not shown and why.
func TestImpactHiddenRowSaysWhyOnce(t *testing.T) {
	b := &builder{t: tr{"it"}, p: Privacy{MinGroup: 5, MinText: 10}}
	hidden := Cell{}
	hidden.Hide(ReasonSmallGroup)
	d := ImpactData{Pilot: &PilotInfo{Title: "Lavoro agile", From: "2025-01-06", To: "2025-03-30",
		Cohorts: []PilotCohortInfo{{ID: "pilot-1", Start: "2025-02-03"}}},
		DiD: []DiDRow{{Outcome: "giorni_attivi", Estimate: hidden}}}
	w := didWidget(b, d)
	said := 0
	for _, c := range w.Table.Rows[0][1:] {
		if !c.Hidden || c.Why == "" {
			t.Fatalf("cell %+v of a hidden row is not hidden with its reason (exports carry it)", c)
		}
		if !c.SameWhy {
			said++
		}
	}
	if said != 1 {
		t.Errorf("the row says its reason %d times on the page, want once", said)
	}
	v := impactVerdicts(b, d)
	if len(v) != 2 || !strings.Contains(v[0], "Sperimentazione 1 avviata il 03/02/2025") ||
		v[1] != "Giorni attivi a settimana: la stima non è mostrata (meno di 5 persone)." {
		t.Errorf("verdicts %q", v)
	}
}
