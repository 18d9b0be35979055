package figures

import (
	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/reports"
)

// meanCell is the mean of m with its 95% interval (analytics.MeanCI) and
// N people; an empty cell is zero, and below two observations the
// interval is left out (Lo=Hi=0).
func meanCell(m analytics.Moments, people int) reports.Cell {
	c := reports.Cell{N: people}
	if m.N == 0 {
		return c
	}
	mean, lo, hi, ok := analytics.MeanCI(m)
	c.Value = mean
	if ok {
		c.Lo, c.Hi = lo, hi
	}
	return c
}

// peopleCell is meanCell with N the observations.
func peopleCell(m analytics.Moments) reports.Cell { return meanCell(m, int(m.N)) }

// diffCell is a-b with its 95% interval (analytics.DiffCI), N the
// smaller side; an empty side counts as zero.
func diffCell(a, b analytics.Moments) reports.Cell {
	c := reports.Cell{Value: peopleCell(a).Value - peopleCell(b).Value, N: int(min(a.N, b.N))}
	if _, lo, hi, ok := analytics.DiffCI(a, b); ok {
		c.Lo, c.Hi = lo, hi
	}
	return c
}

// shareCell is k of n with its Wilson 95% interval (analytics.WilsonCI),
// N = n; zero for n == 0.
func shareCell(k, n int) reports.Cell {
	p, lo, hi, ok := analytics.WilsonCI(float64(k), float64(n))
	if !ok {
		return reports.Cell{}
	}
	return reports.Cell{Value: p, Lo: lo, Hi: hi, N: n}
}
