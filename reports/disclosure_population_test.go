package reports

import (
	"testing"

	"github.com/bussola-pa/bussola/privacy"
)

// One person (unit uA, grade gA, cohort cA) writes in the first week and
// not in the second; every other interior cell has 6 writers both weeks.
func TestPopulationPatternHidesAPersonEveryWeek(t *testing.T) {
	one := func(week int) func(u, g, c int) int {
		return func(u, g, c int) int {
			if u == 0 && g == 0 && c == 0 {
				return 1 - week
			}
			return 6
		}
	}
	l, w1 := testLattice(t, 3, 2, 2, one(0))
	_, w2 := testLattice(t, 3, 2, 2, one(1))
	// testLattice builds a new lattice each call; the counts share its layout.
	cell := l.Index(0, 0, 0)
	pop := everPopulated(l, [][]int{w1, w2})
	t.Run("OK the population adds up and counts the person in every margin", func(t *testing.T) {
		if err := l.CheckCounts(pop); err != nil {
			t.Fatal(err)
		}
		if pop[cell] != 1 || pop[l.Index(privacy.Total, privacy.Total, privacy.Total)] != w1[l.Index(privacy.Total, privacy.Total, privacy.Total)] {
			t.Fatalf("population %d of the person's cell, %v", pop[cell], pop)
		}
	})
	s := &Server{patterns: newPatternCache()}
	pp, _, err := s.populationPattern("test", "t", "", l, 5, [][]int{w1, w2})
	if err != nil {
		t.Fatal(err)
	}
	for wk, n := range [][]int{w1, w2} {
		p, err := s.protect("test/week", "t", "", l, 5, n)
		if err != nil {
			t.Fatal(err)
		}
		u := withPopulation(p, pp)
		if !u.Hidden(cell) {
			t.Errorf("week %d: the person's cell is published", wk+1)
		}
		if leaks := privacy.Audit(u, pop); len(leaks) != 0 {
			t.Errorf("week %d: the population's audit finds %v", wk+1, leaks)
		}
		if wk == 1 && p.Hidden(cell) {
			t.Error("the week's own pattern hides the empty cell: the test shows nothing")
		}
	}
}
