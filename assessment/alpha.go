package assessment

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Reliability describes how consistently the items of one scale measure, in
// psych::alpha's terms (see the package doc for the conventions).
type Reliability struct {
	Name string `json:"name"`
	// N is the number of respondents with at least one answered item.
	N int `json:"n"`
	// RawAlpha is Cronbach's alpha from the pairwise covariances,
	// StdAlpha the alpha of the standardized items (from cov2cor of them).
	RawAlpha float64 `json:"raw_alpha"`
	StdAlpha float64 `json:"std_alpha"`
	// G6 is Guttman's lambda 6 with squared multiple correlations.
	G6 float64 `json:"g6"`
	// AverageR and MedianR summarize the inter-item correlations.
	AverageR float64 `json:"average_r"`
	MedianR  float64 `json:"median_r"`
	// SignalNoise is k·r̄/(1-r̄); ASE the asymptotic standard error of alpha.
	SignalNoise float64 `json:"signal_noise"`
	ASE         float64 `json:"ase"`
	// OmegaTotal is McDonald's omega total from a one-factor minres solution
	// on the pairwise correlations (NaN for fewer than three items).
	OmegaTotal float64 `json:"omega_total"`
	// Mean and SD are of the person scores (mean of answered items).
	Mean  float64     `json:"mean"`
	SD    float64     `json:"sd"`
	Items []ItemStats `json:"items"`
}

// ItemStats are psych::alpha's item statistics plus alpha if the item is dropped.
type ItemStats struct {
	Item     string  `json:"item"`
	Reversed bool    `json:"reversed"`
	N        int     `json:"n"`
	Mean     float64 `json:"mean"`
	SD       float64 `json:"sd"`
	// RawR correlates the item with the person score (pairwise);
	// StdR is the same from standardized items; RCor corrects StdR for item
	// overlap with SMCs; RDrop correlates the item with the rest of the scale.
	RawR  float64 `json:"raw_r"`
	StdR  float64 `json:"std_r"`
	RCor  float64 `json:"r_cor"`
	RDrop float64 `json:"r_drop"`
	// AlphaIfDropped, StdAlphaIfDropped and AverageRIfDropped are the scale's
	// statistics without this item.
	AlphaIfDropped    float64 `json:"alpha_if_dropped"`
	StdAlphaIfDropped float64 `json:"std_alpha_if_dropped"`
	AverageRIfDropped float64 `json:"average_r_if_dropped"`
}

// Scale names a scale's items by column index in a response matrix.
type Scale struct {
	Name     string
	Items    []string // item names, for messages and output
	Columns  []int    // column index of each item in the matrix
	Reversed []bool   // reversed keying per item (min+max-x)
}

// alphaCore holds the coefficients psych's alpha.1 computes from C and R.
type alphaCore struct{ raw, std, g6, avr, sn, q float64 }

func alphaFrom(c, r *mat.SymDense) (alphaCore, error) {
	k := float64(c.SymmetricDim())
	sumC, sumR := symSum(c), symSum(r)
	out := alphaCore{
		raw: (1 - symTrace(c)/sumC) * k / (k - 1),
		std: (1 - k/sumR) * k / (k - 1),
		avr: (sumR - k) / (k * (k - 1)),
	}
	out.sn = k * out.avr / (1 - out.avr)
	s, err := smc(r)
	if err != nil {
		return out, err
	}
	ss := 0.0
	for _, v := range s {
		ss += v
	}
	out.g6 = 1 - (k-ss)/sumR
	var cc mat.Dense
	cc.Mul(c, c)
	trC, trCC, sumCC := symTrace(c), mat.Trace(&cc), mat.Sum(&cc)
	out.q = 2 * k * k / ((k - 1) * (k - 1) * math.Pow(sumC, 3)) * (sumC*(trCC+trC*trC) - 2*trC*sumCC)
	return out, nil
}

// ScaleReliability computes psych::alpha's statistics for one scale of the
// response matrix x, whose pairwise moments pw were computed beforehand
// (PairwiseMoments(x)); adjust is min+max of the response scale, used to
// reverse items. The scale needs at least two items with variance.
func ScaleReliability(x *mat.Dense, pw *Pairwise, sc Scale, adjust float64) (Reliability, error) {
	k := len(sc.Columns)
	op := fmt.Sprintf("reliability of scale %q", sc.Name)
	if k < 2 {
		return Reliability{}, fmt.Errorf("%s: needs at least 2 items, has %d", op, k)
	}
	sign := make([]float64, k)
	for a := range sign {
		sign[a] = 1
		if sc.Reversed != nil && sc.Reversed[a] {
			sign[a] = -1
		}
	}
	sub := pw.Sub(sc.Columns, sign, adjust)
	if err := checkFinite(sub.Cov, sc.Items, op); err != nil {
		return Reliability{}, err
	}
	c := sub.Cov
	r := cov2cor(c)
	tot, err := alphaFrom(c, r)
	if err != nil {
		return Reliability{}, fmt.Errorf("%s: %w", op, err)
	}
	n, _ := x.Dims()
	rel := Reliability{
		Name: sc.Name, RawAlpha: tot.raw, StdAlpha: tot.std, G6: tot.g6, AverageR: tot.avr,
		SignalNoise: tot.sn, ASE: math.Sqrt(tot.q / float64(n)), MedianR: medianOffDiag(r),
		OmegaTotal: math.NaN(),
	}
	if k >= 3 {
		if om, err := OmegaTotal(sub.Cor); err == nil {
			rel.OmegaTotal = om
		}
	}

	// Person scores and raw item-total correlations need one pass over rows.
	totals := scaleTotals(x, sc.Columns, sign, adjust)
	raw := rawItemTotal(x, sc.Columns, sign, adjust, totals)
	var ts, tss float64
	for _, t := range totals {
		if !math.IsNaN(t) {
			rel.N++
			ts += t
		}
	}
	rel.Mean = ts / float64(rel.N)
	for _, t := range totals {
		if !math.IsNaN(t) {
			tss += (t - rel.Mean) * (t - rel.Mean)
		}
	}
	rel.SD = math.Sqrt(tss / float64(rel.N-1))

	sumR := symSum(r)
	smcR, _ := smc(r)
	rc := mat.NewSymDense(k, nil)
	rc.CopySym(r)
	for a := 0; a < k; a++ {
		rc.SetSym(a, a, smcR[a])
	}
	sumRC := symSum(rc)
	sumC := symSum(c)
	for a := 0; a < k; a++ {
		colR, colRC, colC := 0.0, 0.0, 0.0
		for b := 0; b < k; b++ {
			colR += r.At(a, b)
			colRC += rc.At(a, b)
			colC += c.At(a, b)
		}
		vDrop := sumC - 2*colC + c.At(a, a)
		it := ItemStats{
			Item: sc.Items[a], Reversed: sign[a] < 0, N: int(sub.N.At(a, a)),
			Mean: sub.Mean[a], SD: sub.SD[a], RawR: raw[a],
			StdR:  colR / math.Sqrt(sumR),
			RCor:  colRC / math.Sqrt(sumRC),
			RDrop: (colC - c.At(a, a)) / math.Sqrt(c.At(a, a)*vDrop),
		}
		if k > 2 {
			d, err := alphaFrom(dropIndex(c, a), dropIndex(r, a))
			if err != nil {
				return Reliability{}, fmt.Errorf("%s without %q: %w", op, sc.Items[a], err)
			}
			it.AlphaIfDropped, it.StdAlphaIfDropped, it.AverageRIfDropped = d.raw, d.std, d.avr
		} else {
			it.AlphaIfDropped, it.StdAlphaIfDropped, it.AverageRIfDropped = r.At(0, 1), r.At(0, 1), r.At(0, 1)
		}
		rel.Items = append(rel.Items, it)
	}
	return rel, nil
}

// scaleTotals returns each row's mean of its answered (keyed) items of the
// scale, NaN when none was answered (psych's rowMeans(x, na.rm=TRUE)).
func scaleTotals(x *mat.Dense, cols []int, sign []float64, adjust float64) []float64 {
	n, _ := x.Dims()
	raw := x.RawMatrix()
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		row := raw.Data[i*raw.Stride:]
		s, c := 0.0, 0
		for a, j := range cols {
			v := row[j]
			if math.IsNaN(v) {
				continue
			}
			if sign[a] < 0 {
				v = adjust - v
			}
			s += v
			c++
		}
		if c == 0 {
			out[i] = math.NaN()
		} else {
			out[i] = s / float64(c)
		}
	}
	return out
}

// rawItemTotal is cor(total, x_a, use="pairwise") for each item a.
func rawItemTotal(x *mat.Dense, cols []int, sign []float64, adjust float64, totals []float64) []float64 {
	raw := x.RawMatrix()
	out := make([]float64, len(cols))
	for a, j := range cols {
		var n, st, sx, stt, sxx, stx float64
		for i, t := range totals {
			v := raw.Data[i*raw.Stride+j]
			if math.IsNaN(v) || math.IsNaN(t) {
				continue
			}
			if sign[a] < 0 {
				v = adjust - v
			}
			n++
			st += t
			sx += v
		}
		mt, mx := st/n, sx/n
		for i, t := range totals {
			v := raw.Data[i*raw.Stride+j]
			if math.IsNaN(v) || math.IsNaN(t) {
				continue
			}
			if sign[a] < 0 {
				v = adjust - v
			}
			dt, dx := t-mt, v-mx
			stt += dt * dt
			sxx += dx * dx
			stx += dt * dx
		}
		out[a] = stx / math.Sqrt(stt*sxx)
	}
	return out
}

func medianOffDiag(r *mat.SymDense) float64 {
	k := r.SymmetricDim()
	var v []float64
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			v = append(v, r.At(i, j))
		}
	}
	sort.Float64s(v)
	m := len(v)
	if m%2 == 1 {
		return v[m/2]
	}
	return (v[m/2-1] + v[m/2]) / 2
}
