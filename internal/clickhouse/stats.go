package clickhouse

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/bussola-pa/bussola/reports"
)

// moments accumulates count, sum and sum of squares of a variable.
type moments struct{ n, s, ss float64 }

func (m *moments) add(x float64) { m.n++; m.s += x; m.ss += x * x }

func (m *moments) merge(o moments) { m.n += o.n; m.s += o.s; m.ss += o.ss }

func (m moments) mean() float64 {
	if m.n == 0 {
		return 0
	}
	return m.s / m.n
}

// se is the standard error of the mean (sample SD / sqrt n); NaN below 2.
func (m moments) se() float64 {
	if m.n < 2 {
		return math.NaN()
	}
	v := (m.ss - m.s*m.s/m.n) / (m.n - 1)
	if v < 0 {
		v = 0
	}
	return math.Sqrt(v / m.n)
}

// tcrit is the two-sided 95% Student t critical value on df degrees of
// freedom (1.96 for large df).
func tcrit(df float64) float64 {
	if df >= 1000 {
		return 1.959964
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.975)
}

// meanCell is the mean with its 95% t interval and N people. With fewer
// than two observations the interval is left out (Lo=Hi=0).
func meanCell(m moments, people int) reports.Cell {
	c := reports.Cell{Value: m.mean(), N: people}
	if se := m.se(); !math.IsNaN(se) {
		h := tcrit(m.n-1) * se
		c.Lo, c.Hi = c.Value-h, c.Value+h
	}
	return c
}

// diffCell is a-b with the interval from the two independent standard
// errors (Welch, normal critical value), N the smaller group.
func diffCell(a, b moments, na, nb int) reports.Cell {
	c := reports.Cell{Value: a.mean() - b.mean(), N: min(na, nb)}
	sa, sb := a.se(), b.se()
	if !math.IsNaN(sa) && !math.IsNaN(sb) {
		h := 1.959964 * math.Sqrt(sa*sa+sb*sb)
		c.Lo, c.Hi = c.Value-h, c.Value+h
	}
	return c
}

// shareCell is k of n with the Wilson 95% interval, N = n.
func shareCell(k, n int) reports.Cell {
	if n == 0 {
		return reports.Cell{}
	}
	p := float64(k) / float64(n)
	z := 1.959964
	den := 1 + z*z/float64(n)
	mid := (p + z*z/(2*float64(n))) / den
	h := z * math.Sqrt(p*(1-p)/float64(n)+z*z/(4*float64(n)*float64(n))) / den
	return reports.Cell{Value: p, Lo: mid - h, Hi: mid + h, N: n}
}

func count(n int) reports.Cell { return reports.Cell{Value: float64(n), N: n} }
