package reports

import (
	"context"
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
	pop := everPopulated(l, [][]int{w1, w2}, nil)
	t.Run("OK the population adds up and counts the person in every margin", func(t *testing.T) {
		if err := l.CheckCounts(pop); err != nil {
			t.Fatal(err)
		}
		if pop[cell] != 1 || pop[l.Index(privacy.Total, privacy.Total, privacy.Total)] != w1[l.Index(privacy.Total, privacy.Total, privacy.Total)] {
			t.Fatalf("population %d of the person's cell, %v", pop[cell], pop)
		}
	})
	s := &Server{patterns: newPatternCache(), store: knownStore{}}
	pp, _, err := s.populationPattern(context.Background(), "test", "t", "", l, 5, [][]int{w1, w2})
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

// knownStore is a Store whose only read is KnownPopulation: cells (nil:
// nobody known).
type knownStore struct {
	Store
	cells []KnownCell
}

func (k knownStore) KnownPopulation(context.Context, string) (KnownPopulation, error) {
	return KnownPopulation{Cells: k.cells}, nil
}

// The 2 people of cell (uA, gA, cA) never write; every other interior
// cell has 6 writers both weeks. A viewer who knows the chart would learn
// from an empty published cell that those two never wrote: the cell is
// hidden every week because Bussola knows its 2 people from other streams.
func TestPopulationPatternHidesKnownNonWriters(t *testing.T) {
	l, n := testLattice(t, 3, 2, 2, func(u, g, c int) int {
		if u == 0 && g == 0 && c == 0 {
			return 0
		}
		return 6
	})
	cell := l.Index(0, 0, 0)
	weeks := [][]int{n, n}
	known := []KnownCell{{Unit: "uA", Grade: "gA", Cohort: "cA", People: 2}, {Unit: "uB", Grade: "gA", Cohort: "cA", People: 3}}
	s := &Server{patterns: newPatternCache(), store: knownStore{cells: known}}
	pp, pop, err := s.populationPattern(context.Background(), "test", "t", "", l, 5, weeks)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.CheckCounts(pop); err != nil {
		t.Fatal(err)
	}
	if pop[cell] != 2 || pop[l.Index(1, 0, 0)] != 6 {
		t.Errorf("population %d of the non-writers' cell, %d of a cell of 6 writers and 3 known", pop[cell], pop[l.Index(1, 0, 0)])
	}
	if total := l.Index(privacy.Total, privacy.Total, privacy.Total); pop[total] != n[total]+2 {
		t.Errorf("total population %d, want the writers' %d and the 2 known", pop[total], n[total])
	}
	for wk, w := range weeks {
		p, err := s.protect("test/week", "t", "", l, 5, w)
		if err != nil {
			t.Fatal(err)
		}
		if p.Hidden(cell) {
			t.Fatal("the week's own pattern hides the empty cell: the test shows nothing")
		}
		u := withPopulation(p, pp)
		if !u.Hidden(cell) {
			t.Errorf("week %d: the cell of 2 known people who never wrote is published (empty)", wk+1)
		}
		if leaks := privacy.Audit(u, pop); len(leaks) != 0 {
			t.Errorf("week %d: the population's audit finds %v", wk+1, leaks)
		}
	}
}
