package main

import (
	"context"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/internal/testenv"
	"github.com/bussola-pa/bussola/reports/attack"
)

// mustAttackTarget runs the service on the demo data at scale 0.05 (about
// 200 people in comune-aurelia, most unit x grade groups below 5) with the
// lattice protection on or off, and returns the attacker's target.
func mustAttackTarget(t *testing.T, protect bool) attack.Target {
	t.Helper()
	testenv.RequireClickHouseLibrary(t)
	withEChartsAssets(t)
	cheapDemoHashes(t)
	m, tg, err := openAttackTarget(context.Background(), t.TempDir(), 3, 0.05, protect, &strings.Builder{}, &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return tg
}

// attackReport attacks tg and logs the report (every leak with -v).
func attackReport(t *testing.T, tg attack.Target) attack.Report {
	t.Helper()
	r, err := attack.Run(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	examples := 3
	if testing.Verbose() {
		examples = -1
	}
	r.Write(&b, examples)
	if testing.Verbose() {
		r.WriteUnconfirmed(&b)
	}
	t.Log("\n" + b.String())
	return r
}

func TestAttackWithoutProtection(t *testing.T) {
	tg := mustAttackTarget(t, false)
	r := attackReport(t, tg)
	t.Run("OK the attacker derives groups below the minimum from today's per-table rule", func(t *testing.T) {
		if len(r.Leaks) == 0 {
			t.Fatalf("no leak found in %d requests", r.Requests)
		}
	})
	t.Run("OK on every page the attacker can read, some derived values equal the stored ones", func(t *testing.T) {
		proven := map[string]int{}
		for _, l := range r.Leaks {
			if l.Truth != nil && l.Proven {
				proven[l.Page]++
			}
		}
		for _, page := range []string{"readiness", "impact", "executive", "communication"} {
			if proven[page] == 0 {
				t.Errorf("%s: no derived value equals the store's", page)
			}
		}
	})
	t.Run("OK every page's CSV tables and workbook give away groups below the minimum too", func(t *testing.T) {
		for _, src := range []string{"csv", "xlsx"} {
			pages := map[string]int{}
			for _, l := range r.Leaks {
				if l.Sources == src {
					pages[l.Page]++
				}
			}
			for _, page := range []string{"readiness", "impact", "executive", "communication"} {
				if pages[page] == 0 {
					t.Errorf("%s: no leak from its %s export alone (%v)", page, src, pages)
				}
			}
		}
	})
	t.Run("OK the published head counts tell that a person of a group below the minimum did not answer", func(t *testing.T) {
		n := 0
		for _, l := range r.Leaks {
			if l.Membership && l.Proven {
				n++
			}
		}
		if n == 0 {
			t.Error("no membership derived")
		}
	})
	t.Run("OK the readiness heatmap gives away unit x grade means, as the issue found", func(t *testing.T) {
		n := 0
		for _, l := range r.Leaks {
			if l.Page == "readiness" && l.Proven && strings.HasPrefix(l.Measure, "mean score:") && strings.Contains(l.Group, "with grade in") {
				n++
			}
		}
		if n == 0 {
			t.Error("no grade remainder of a readiness mean")
		}
	})
}

func TestAttackWithProtection(t *testing.T) {
	tg := mustAttackTarget(t, true)
	r := attackReport(t, tg)
	if len(r.Leaks) != 0 {
		t.Errorf("%d groups below the minimum derived with the protection on", len(r.Leaks))
	}
	if len(r.Findings) != 0 {
		t.Errorf("%d findings with the protection on", len(r.Findings))
	}
}
