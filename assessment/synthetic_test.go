package assessment

import (
	"math"
	"math/rand/v2"

	"github.com/bussola-pa/bussola/schemas"
	"gonum.org/v1/gonum/mat"
)

// syntheticMatrix draws n respondents × (factors·perFactor) Likert items
// (1..5) from a simple-structure factor model (loading 0.7), with the given
// share of cells missing at random. Odd items of each factor are reversed
// in the data (so scales need keying).
func syntheticMatrix(n, factors, perFactor int, missing float64, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 1))
	p := factors * perFactor
	data := make([]float64, n*p)
	f := make([]float64, factors)
	for i := 0; i < n; i++ {
		for k := range f {
			f[k] = rng.NormFloat64()
		}
		for j := 0; j < p; j++ {
			z := 0.7*f[j/perFactor] + math.Sqrt(1-0.49)*rng.NormFloat64()
			if j%2 == 1 {
				z = -z
			}
			v := math.Round(3 + 1.1*z)
			v = math.Min(math.Max(v, 1), 5)
			if rng.Float64() < missing {
				v = math.NaN()
			}
			data[i*p+j] = v
		}
	}
	return mat.NewDense(n, p, data)
}

// syntheticResponses answers an instrument's scale items from a model with
// one factor per dimension, honouring reverse keying, ~5% missing.
func syntheticResponses(in schemas.Instrument, n int, seed uint64) []Response {
	rng := rand.New(rand.NewPCG(seed, 2))
	out := make([]Response, n)
	for i := range out {
		lvl := rng.NormFloat64()
		f := map[string]float64{}
		for _, d := range in.Dimensions {
			f[d.ID] = 0.6*lvl + 0.8*rng.NormFloat64()
		}
		ans := map[string]float64{}
		for _, it := range in.Items {
			if it.ItemType() != schemas.ItemScale || rng.Float64() < 0.05 {
				continue
			}
			z := 0.75*f[it.Dimension] + 0.66*rng.NormFloat64()
			if it.Reversed {
				z = -z
			}
			ans[it.ID] = math.Min(math.Max(math.Round(3+1.2*z), 1), 5)
		}
		out[i] = Response{Tenant: "t" + string(rune('0'+i%2)), Person: uint64(i), OrgUnit: "u", Wave: "2025-10", Answers: ans}
	}
	return out
}
