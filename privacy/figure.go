package privacy

// Figure is one released figure of a cell: what a page, export, data
// endpoint or API may show. A hidden cell carries only its reason.
type Figure struct {
	// Value is the figure at its release precision; zero when Hidden.
	Value float64
	// N is the people behind the cell; zero when Hidden.
	N int
	// Hidden says the cell is suppressed, Reason why.
	Hidden bool
	Reason string
}

// Figure releases value as the figure of cell i, whose head count is
// n[i]: rounded to prec when the cell is published, reduced to its reason
// when hidden. value must be computed from published cells only (the
// cell's own sums, or published margins); the pattern cannot check that.
func (p *Pattern) Figure(i int, n []int, value float64, prec Precision) Figure {
	if p.Hidden(i) {
		return Figure{Hidden: true, Reason: p.Reason[i]}
	}
	return Figure{Value: prec.Round(value), N: n[i]}
}
