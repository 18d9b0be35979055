package assessment

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ScaleSpec is a scale as an analyst names it on the command line.
type ScaleSpec struct {
	Name     string
	Items    []string
	Reversed []bool
}

// ParseScaleSpec parses "NAME=ITEM,-ITEM,..."; a leading minus marks a
// reversed item.
func ParseScaleSpec(s string) (ScaleSpec, error) {
	name, list, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.TrimSpace(list) == "" {
		return ScaleSpec{}, fmt.Errorf("scale %q: want NAME=ITEM,-ITEM,... (a leading minus reverses an item)", s)
	}
	sp := ScaleSpec{Name: name}
	seen := map[string]bool{}
	for _, raw := range strings.Split(list, ",") {
		it := strings.TrimSpace(raw)
		rev := strings.HasPrefix(it, "-")
		it = strings.TrimSpace(strings.TrimPrefix(it, "-"))
		if it == "" {
			return ScaleSpec{}, fmt.Errorf("scale %q: empty item name", name)
		}
		if seen[it] {
			return ScaleSpec{}, fmt.Errorf("scale %q: item %q is listed twice", name, it)
		}
		seen[it] = true
		sp.Items = append(sp.Items, it)
		sp.Reversed = append(sp.Reversed, rev)
	}
	if len(sp.Items) < 2 {
		return ScaleSpec{}, fmt.Errorf("scale %q: needs at least 2 items", name)
	}
	return sp, nil
}

// AnalysisOptions say what Analyze computes.
type AnalysisOptions struct {
	Scales []ScaleSpec
	// EFAFactors > 0 asks for an exploratory factor analysis of all items.
	EFAFactors int
	Rotation   string // RotateOblimin (default) or RotateVarimax
}

// Num is a float64 that encodes NaN and infinities as JSON null.
type Num float64

// MarshalJSON implements json.Marshaler.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// ScaleReport is one scale of the analysis, as the CLI prints it.
type ScaleReport struct {
	Name       string       `json:"name"`
	N          int          `json:"n"`
	RawAlpha   Num          `json:"raw_alpha"`
	StdAlpha   Num          `json:"std_alpha"`
	G6         Num          `json:"g6"`
	AverageR   Num          `json:"average_r"`
	OmegaTotal Num          `json:"omega_total"`
	Mean       Num          `json:"mean"`
	SD         Num          `json:"sd"`
	Items      []ItemReport `json:"items"`
}

// ItemReport is one item of a ScaleReport.
type ItemReport struct {
	Item           string `json:"item"`
	Reversed       bool   `json:"reversed"`
	N              int    `json:"n"`
	Mean           Num    `json:"mean"`
	SD             Num    `json:"sd"`
	RawR           Num    `json:"raw_r"`
	StdR           Num    `json:"std_r"`
	RDrop          Num    `json:"r_drop"`
	AlphaIfDropped Num    `json:"alpha_if_dropped"`
}

// EFAReport is the factor solution of the analysis.
type EFAReport struct {
	Factors  int              `json:"factors"`
	Rotation string           `json:"rotation"`
	Loadings map[string][]Num `json:"loadings"`
	Items    []string         `json:"items"` // item order, for tables
	Phi      [][]Num          `json:"phi,omitempty"`
}

// Analysis is the result of Analyze.
type Analysis struct {
	Scales         []ScaleReport `json:"scales"`
	Items          []string      `json:"items"`
	PCAEigenvalues []Num         `json:"pca_eigenvalues"`
	EFA            *EFAReport    `json:"efa,omitempty"`
}

// MarshalJSON keeps the JSON to the documented fields.
func (a *Analysis) MarshalJSON() ([]byte, error) {
	type out struct {
		Scales         []ScaleReport `json:"scales"`
		PCAEigenvalues []Num         `json:"pca_eigenvalues"`
		EFA            *EFAReport    `json:"efa,omitempty"`
	}
	return json.Marshal(out{a.Scales, a.PCAEigenvalues, a.EFA})
}

// Analyze computes, from a table whose columns are the union of the scales'
// items, each scale's reliability (psych::alpha conventions; reversal is
// min+max-x with min and max over the scale's data, as psych does), the PCA
// eigenvalues of all items and, when asked, an EFA. An item without
// variance is an error naming its column.
func Analyze(t *Table, opt AnalysisOptions) (*Analysis, error) {
	n, p := t.Data.Dims()
	for j := 0; j < p; j++ {
		first, cnt, constant := math.NaN(), 0, true
		for i := 0; i < n; i++ {
			v := t.Data.At(i, j)
			if math.IsNaN(v) {
				continue
			}
			if cnt == 0 {
				first = v
			} else if v != first {
				constant = false
			}
			cnt++
		}
		if cnt < 2 {
			return nil, fmt.Errorf("analyze: column %q has %d answers; at least 2 are needed", t.Columns[j], cnt)
		}
		if constant {
			return nil, fmt.Errorf("analyze: column %q is constant (every answer is %g); a constant item has no variance", t.Columns[j], first)
		}
	}
	pw := PairwiseMoments(t.Data)
	if err := checkFinite(pw.Cov, t.Columns, "analyze"); err != nil {
		return nil, err
	}
	a := &Analysis{Items: t.Columns}
	for _, sp := range opt.Scales {
		sc := Scale{Name: sp.Name, Items: sp.Items, Reversed: sp.Reversed}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, it := range sp.Items {
			j := t.Column(it)
			if j < 0 {
				return nil, fmt.Errorf("analyze: scale %q: item %q is not a column", sp.Name, it)
			}
			sc.Columns = append(sc.Columns, j)
			for i := 0; i < n; i++ {
				if v := t.Data.At(i, j); !math.IsNaN(v) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
		rel, err := ScaleReliability(t.Data, pw, sc, lo+hi)
		if err != nil {
			return nil, fmt.Errorf("analyze: %w", err)
		}
		sr := ScaleReport{Name: rel.Name, N: rel.N, RawAlpha: Num(rel.RawAlpha), StdAlpha: Num(rel.StdAlpha),
			G6: Num(rel.G6), AverageR: Num(rel.AverageR), OmegaTotal: Num(rel.OmegaTotal), Mean: Num(rel.Mean), SD: Num(rel.SD)}
		for _, it := range rel.Items {
			sr.Items = append(sr.Items, ItemReport{Item: it.Item, Reversed: it.Reversed, N: it.N, Mean: Num(it.Mean),
				SD: Num(it.SD), RawR: Num(it.RawR), StdR: Num(it.StdR), RDrop: Num(it.RDrop), AlphaIfDropped: Num(it.AlphaIfDropped)})
		}
		a.Scales = append(a.Scales, sr)
	}
	pca, err := PrincipalComponents(pw.Cor)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	for _, v := range pca.Eigenvalues {
		a.PCAEigenvalues = append(a.PCAEigenvalues, Num(v))
	}
	if opt.EFAFactors > 0 {
		rot := opt.Rotation
		if rot == "" {
			rot = RotateOblimin
		}
		sol, err := FactorAnalysis(pw.Cor, opt.EFAFactors, rot)
		if err != nil {
			return nil, fmt.Errorf("analyze: %w", err)
		}
		e := &EFAReport{Factors: opt.EFAFactors, Rotation: sol.Rotation, Loadings: map[string][]Num{}, Items: t.Columns}
		for i, it := range t.Columns {
			row := make([]Num, opt.EFAFactors)
			for k := range row {
				row[k] = Num(sol.Loadings.At(i, k))
			}
			e.Loadings[it] = row
		}
		if sol.Phi != nil {
			for r := 0; r < opt.EFAFactors; r++ {
				row := make([]Num, opt.EFAFactors)
				for b := range row {
					row[b] = Num(sol.Phi.At(r, b))
				}
				e.Phi = append(e.Phi, row)
			}
		}
		a.EFA = e
	}
	return a, nil
}

// UnionItems lists the items of the scales, each once, in order of first use.
func UnionItems(scales []ScaleSpec) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range scales {
		for _, it := range s.Items {
			if !seen[it] {
				seen[it] = true
				out = append(out, it)
			}
		}
	}
	return out
}
