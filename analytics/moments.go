package analytics

import "math"

// Moments are the additive sums behind a mean: the count of observations,
// their sum and their sum of squares. A lattice cell of the reports carries
// them (they add up over its margins), and the estimates a page shows for
// a published cell are computed here from them.
type Moments struct{ N, S, SS float64 }

// Mean is S/N, or NaN for an empty cell.
func (m Moments) Mean() float64 {
	if m.N == 0 {
		return math.NaN()
	}
	return m.S / m.N
}

// SE is the standard error of the mean (sample SD over sqrt N); NaN below
// two observations.
func (m Moments) SE() float64 {
	if m.N < 2 {
		return math.NaN()
	}
	v := max(0, (m.SS-m.S*m.S/m.N)/(m.N-1))
	return math.Sqrt(v / m.N)
}

// MeanCI is the mean with its two-sided 95% Student t interval on N-1
// degrees of freedom (the normal value 1.959964 from 1000 on). ok is false
// below two observations: no interval then.
func MeanCI(m Moments) (mean, lo, hi float64, ok bool) {
	mean = m.Mean()
	se := m.SE()
	if math.IsNaN(se) {
		return mean, 0, 0, false
	}
	df := m.N - 1
	if df >= 1000 {
		df = math.Inf(1)
	}
	h := criticalValue(df, 0.95) * se
	return mean, mean - h, mean + h, true
}

// DiffCI is a.Mean()-b.Mean() with the 95% interval from the two
// independent standard errors (Welch, normal critical value). ok is false
// when either side has fewer than two observations.
func DiffCI(a, b Moments) (diff, lo, hi float64, ok bool) {
	diff = a.Mean() - b.Mean()
	sa, sb := a.SE(), b.SE()
	if math.IsNaN(sa) || math.IsNaN(sb) {
		return diff, 0, 0, false
	}
	h := 1.959964 * math.Sqrt(sa*sa+sb*sb)
	return diff, diff - h, diff + h, true
}

// WilsonCI is the share k/n with its Wilson 95% score interval; ok is
// false for n == 0.
func WilsonCI(k, n float64) (p, lo, hi float64, ok bool) {
	if n <= 0 {
		return 0, 0, 0, false
	}
	p = k / n
	z := 1.959964
	den := 1 + z*z/n
	mid := (p + z*z/(2*n)) / den
	h := z * math.Sqrt(p*(1-p)/n+z*z/(4*n*n)) / den
	return p, mid - h, mid + h, true
}

// Add counts one observation x.
func (m *Moments) Add(x float64) { m.N++; m.S += x; m.SS += x * x }

// Merge adds the observations of o.
func (m *Moments) Merge(o Moments) { m.N += o.N; m.S += o.S; m.SS += o.SS }

// ShareDiffCI is p1-p2 for two shares of the same n people with the 95%
// interval from their two binomial variances (normal critical value); ok
// is false for n == 0.
func ShareDiffCI(p1, p2 float64, n int) (diff, lo, hi float64, ok bool) {
	diff = p1 - p2
	if n <= 0 {
		return diff, 0, 0, false
	}
	v := func(p float64) float64 { return p * (1 - p) / float64(n) }
	h := 1.959964 * math.Sqrt(v(p1)+v(p2))
	return diff, diff - h, diff + h, true
}
