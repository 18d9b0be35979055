package privacy

import (
	"cmp"
	"testing"
)

// differencingAttack is the attacker on a lattice: it knows every
// published cell and every empty one, and repeats "a total minus its known
// parts gives the one unknown part" (or "the parts give their total")
// along every relation until nothing new follows. It returns the hidden
// cells below the minimum it derived. It is weaker than the exact audit
// (no combinations across equations at once) and independent of it.
func differencingAttack(p *Pattern, n []int) []int {
	l := p.Lattice
	known := make([]bool, l.Len())
	for i := range known {
		known[i] = !p.Hidden(i) || n[i] == 0
	}
	rels := l.relations()
	var kids []int
	for changed := true; changed; {
		changed = false
		for _, r := range rels {
			kids = append(l.children(r, kids), r.parent)
			unknown, last := 0, -1
			for _, c := range kids {
				if !known[c] {
					unknown, last = unknown+1, c
				}
			}
			if unknown == 1 {
				known[last], changed = true, true
			}
		}
	}
	var derived []int
	for i := range known {
		if p.Hidden(i) && known[i] && Small(p.K, n[i]) {
			derived = append(derived, i)
		}
	}
	return derived
}

// perTable is the rule the pages apply today: primary suppression, then
// HideMargin's complement along every margin of the lattice separately.
func perTable(t testing.TB, l *Lattice, n []int, k int) *Pattern {
	p, err := Primary(l, n, k)
	if err != nil {
		t.Fatal(err)
	}
	p.remainders(n, l.relations(), func(a, b int) int { return cmp.Or(cmp.Compare(n[a], n[b]), cmp.Compare(a, b)) })
	return p
}

func TestDifferencingAttacker(t *testing.T) {
	cases := map[string]func() (*Lattice, []int){
		"2x2":       func() (*Lattice, []int) { return twoWay(t, [][]int{{2, 10}, {12, 20}}) },
		"3x3":       func() (*Lattice, []int) { return twoWay(t, [][]int{{2, 9, 11}, {8, 15, 12}, {10, 7, 20}}) },
		"realistic": func() (*Lattice, []int) { return realisticLattice(t, 3) },
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			l, n := mk()
			// The per-table rule holds for each margin on its own, yet
			// differencing across margins finds small groups.
			if got := differencingAttack(perTable(t, l, n, 5), n); len(got) == 0 {
				t.Error("the attacker finds nothing against the per-table rule")
			}
			p, err := Protect(l, n, 5)
			if err != nil {
				t.Fatal(err)
			}
			for _, i := range differencingAttack(p, n) {
				t.Errorf("%s (%d people) derived by differencing", l.Label(i), n[i])
			}
		})
	}
}
