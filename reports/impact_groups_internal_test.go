package reports

import "testing"

// TestSuppressGroups: a group's effect is published only when the group's
// pilot and comparison parts and the rest of the entity's each hold at
// least k people; otherwise the entity's row minus the group's would be
// the effect of a few people.
func TestSuppressGroups(t *testing.T) {
	const k = 5
	entity := []DiDRow{{Outcome: "o", Estimate: Cell{Value: 0.3, Lo: 0.1, Hi: 0.5}, NTreated: 40, NControl: 30}}
	group := func(tr, co int) []GroupEffectRow {
		return []GroupEffectRow{{Group: "g", DiDRow: DiDRow{Outcome: "o", Estimate: Cell{Value: 0.4, Lo: 0.1, Hi: 0.7}, PValue: 0.01, NTreated: tr, NControl: co}}}
	}
	tests := []struct {
		name   string
		tr, co int
		reason string // "" when published
	}{
		{"OK a group with 20 and 15 people, the rest 20 and 15, is published.", 20, 15, ""},
		{"ErrSmall a group with 4 comparison people is hidden.", 20, 4, ReasonSmallGroup},
		{"ErrComplement a group of all but 3 pilot people is hidden (the entity minus it is 3 people).", 37, 15, ReasonComplementary},
		{"ErrComplement a group of all but 1 comparison person is hidden.", 20, 29, ReasonComplementary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := group(tt.tr, tt.co)
			suppressGroups(g, entity, k)
			e := g[0].Estimate
			if tt.reason == "" {
				if e.Suppressed || e.N != min(tt.tr, tt.co) || g[0].NTreated != tt.tr {
					t.Fatalf("hidden or miscounted: %+v", g[0])
				}
				return
			}
			if !e.Suppressed || e.Reason != tt.reason || e.Value != 0 || g[0].NTreated != 0 || g[0].NControl != 0 || g[0].PValue != 0 {
				t.Fatalf("got %+v, want hidden (%s) with no counts", g[0], tt.reason)
			}
		})
	}
	t.Run("ErrEntityOnly a group hidden under a filter keeps its reason.", func(t *testing.T) {
		d := ImpactData{DiD: entity, Groups: group(20, 15)}
		entityOnlyImpact(&d, true)
		suppressGroups(d.Groups, entity, k)
		if e := d.Groups[0].Estimate; !e.Suppressed || e.Reason != ReasonEntityOnly {
			t.Fatalf("filtered group: %+v", d.Groups[0])
		}
	})
	t.Run("ErrEntityHidden a group of an entity whose row is hidden is hidden.", func(t *testing.T) {
		hidden := []DiDRow{{Outcome: "o", NTreated: 40, NControl: 4}}
		g := group(20, 2)
		g[0].NControl = 5
		suppressGroups(g, hidden, k)
		if !g[0].Estimate.Suppressed {
			t.Fatalf("published a group of a hidden entity row: %+v", g[0])
		}
	})
}
