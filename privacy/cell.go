package privacy

import (
	"encoding/json"
	"math"
)

// Cell is one released aggregate: a mean, a share, a rate, a count or an
// estimate, with the number of distinct people behind it. It is the one
// published-cell type of the service: the report pages, their exports and
// data endpoints, and the scoring API all release Cells, and a hidden Cell
// carries only the fact and the reason of its suppression (Hide).
//
// A store fills Value, Lo, Hi and N and leaves Suppressed and Reason
// alone; the suppression layer sets them. A suppressed cell marshals to
// {"suppressed":true,"reason":...} and nothing else, so no value, bound or
// group size of a hidden cell ever reaches a client.
type Cell struct {
	// Value is the aggregate: a mean on the instrument's scale, a share in
	// [0,1], a rate, a count or an estimate, as the field's doc says. NaN
	// when there is none (nothing to average): MarshalJSON then writes 0,
	// the scoring API leaves the figure out.
	Value float64
	// Lo and Hi bound the 95% confidence interval of Value. Both zero (or
	// both NaN) means no interval.
	Lo, Hi float64
	// N is the number of distinct people (pseudonyms) behind Value: the
	// figure minimum group sizes are checked against. For a count of people
	// it equals Value.
	N int
	// Suppressed is set by the suppression layer when the cell is hidden.
	Suppressed bool
	// Reason says why a cell is hidden, one of the Reason* codes.
	Reason string
}

// Hide suppresses the cell for reason: it keeps the reason and loses its
// value, interval and head count.
func (c *Cell) Hide(reason string) {
	*c = Cell{Suppressed: true, Reason: reason}
}

// HasCI reports whether the cell carries a confidence interval.
func (c Cell) HasCI() bool {
	return !(c.Lo == 0 && c.Hi == 0) && !math.IsNaN(c.Lo) && !math.IsNaN(c.Hi)
}

// Round puts a published cell's value and interval at precision p; a
// hidden cell has nothing to round.
func (c *Cell) Round(p Precision) {
	if c.Suppressed {
		return
	}
	c.Value = p.Round(c.Value)
	if c.HasCI() {
		c.Lo, c.Hi = p.Round(c.Lo), p.Round(c.Hi)
	}
}

type cellJSON struct {
	Value *float64 `json:"value,omitempty"`
	Lo    *float64 `json:"lo,omitempty"`
	Hi    *float64 `json:"hi,omitempty"`
	N     *int     `json:"n,omitempty"`
	Supp  bool     `json:"suppressed,omitempty"`
	Why   string   `json:"reason,omitempty"`
}

// MarshalJSON writes a visible cell with its value, interval and n, and a
// hidden cell with only the fact and reason of its suppression.
func (c Cell) MarshalJSON() ([]byte, error) {
	if c.Suppressed {
		return json.Marshal(cellJSON{Supp: true, Why: c.Reason})
	}
	v, n := finite(c.Value), c.N
	out := cellJSON{Value: &v, N: &n}
	if c.HasCI() {
		lo, hi := finite(c.Lo), finite(c.Hi)
		out.Lo, out.Hi = &lo, &hi
	}
	return json.Marshal(out)
}

func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// Figure releases value as cell i of the pattern, whose head count is
// n[i]: rounded to prec when the cell is published, reduced to its reason
// when hidden. value must be computed from published cells only (the
// cell's own sums, or published margins); the pattern cannot check that.
func (p *Pattern) Figure(i int, n []int, value float64, prec Precision) Cell {
	if p.Hidden(i) {
		return Cell{Suppressed: true, Reason: p.Reason[i]}
	}
	return Cell{Value: prec.Round(value), N: n[i]}
}
