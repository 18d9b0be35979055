package scoring

import (
	"math"
	"sort"
	"time"

	"github.com/bussola-pa/bussola/assessment"
	store "github.com/bussola-pa/bussola/internal/clickhouse"
)

// Results are the published aggregates of a wave's latest scoring. Every
// cell carries the people behind it (n) or, when hidden, only the fact and
// the reason; no person-level value is ever part of it.
type Results struct {
	store.WaveKey
	By           string    `json:"by"`
	ScoredAt     time.Time `json:"scored_at"`
	MinGroupSize int       `json:"min_group_size"`
	// Respondents is the number of scored persons (absent when the whole
	// wave is hidden: Suppressed with reason small_population).
	Respondents *int     `json:"respondents,omitempty"`
	Suppressed  bool     `json:"suppressed,omitempty"`
	Reason      string   `json:"reason,omitempty"`
	Dimensions  []string `json:"dimensions"`
	// Groups has the scored persons per group.
	Groups []Cell `json:"groups"`
	// Scores has the mean and standard deviation of each group on each
	// dimension (on the instrument's scale); Totals the same over the wave.
	Scores []Cell `json:"scores"`
	Totals []Cell `json:"totals"`
	// Index is the mean Digital Readiness Index (0..100) per group, and
	// over the wave in IndexTotal.
	Index      []Cell `json:"index"`
	IndexTotal *Cell  `json:"index_total,omitempty"`
	// Segments (likert instruments) and Barriers (stages instruments) are
	// the persons per category over the wave, with their share.
	Segments    []Cell           `json:"segments,omitempty"`
	Barriers    []Cell           `json:"barriers,omitempty"`
	Reliability []DimReliability `json:"reliability,omitempty"`
	Notes       []string         `json:"notes,omitempty"`
}

// Cell is one published aggregate. A hidden cell keeps its labels and
// Reason and loses every number.
type Cell struct {
	Group      string   `json:"group,omitempty"`
	Dimension  string   `json:"dimension,omitempty"`
	Category   string   `json:"category,omitempty"`
	N          *int     `json:"n,omitempty"`
	Mean       *float64 `json:"mean,omitempty"`
	SD         *float64 `json:"sd,omitempty"`
	Share      *float64 `json:"share,omitempty"`
	Suppressed bool     `json:"suppressed,omitempty"`
	Reason     string   `json:"reason,omitempty"`
}

func (c *Cell) hide(reason string) {
	c.N, c.Mean, c.SD, c.Share, c.Suppressed, c.Reason = nil, nil, nil, nil, true, reason
}

// DimReliability is the reliability of one dimension over all respondents
// of the wave (from assessment.ScaleReliability, psych::alpha conventions).
type DimReliability struct {
	Dimension  string         `json:"dimension"`
	N          int            `json:"n"`
	Items      int            `json:"items"`
	RawAlpha   assessment.Num `json:"raw_alpha"`
	StdAlpha   assessment.Num `json:"std_alpha"`
	G6         assessment.Num `json:"g6"`
	AverageR   assessment.Num `json:"average_r"`
	OmegaTotal assessment.Num `json:"omega_total"`
}

func intp(n int) *int { return &n }

// num returns a pointer to x, or nil when x is not finite.
func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// buildResults turns a wave's group aggregates into suppressed results.
func buildResults(k store.WaveKey, by string, minN int, dims []string, g *store.WaveGroups, rel []assessment.Reliability, notes []string) *Results {
	r := &Results{WaveKey: k, By: by, ScoredAt: g.ScoredAt, MinGroupSize: minN, Dimensions: dims,
		Groups: []Cell{}, Scores: []Cell{}, Totals: []Cell{}, Index: []Cell{}}
	// Head counts, index and category counts from the person rows.
	persons, indexN := map[string]int{}, map[string]int{}
	indexSum := map[string]float64{}
	segments, barriers := map[string]int{}, map[string]int{}
	total, totalIdxN, totalIdx := 0, 0, 0.0
	for _, p := range g.Persons {
		persons[p.Group] += p.N
		indexN[p.Group] += p.IndexN
		indexSum[p.Group] += p.IndexSum
		total += p.N
		totalIdxN += p.IndexN
		totalIdx += p.IndexSum
		if p.Segment != "" {
			segments[p.Segment] += p.N
		}
		if p.Barrier != "" {
			barriers[p.Barrier] += p.N
		}
	}
	if total < minN {
		r.Suppressed, r.Reason = true, ReasonSmallPopulation
		return r
	}
	r.Respondents = intp(total)
	groups := make([]string, 0, len(persons))
	for grp := range persons {
		groups = append(groups, grp)
	}
	sort.Strings(groups)
	// One column per partition of a published total over the groups.
	perDim := map[string]map[string]store.GroupScore{}
	for _, d := range dims {
		perDim[d] = map[string]store.GroupScore{}
	}
	for _, s := range g.Scores {
		if perDim[s.Dimension] != nil {
			perDim[s.Dimension][s.Group] = s
		}
	}
	columns := []map[string]int{persons, indexN}
	for _, d := range dims {
		col := map[string]int{}
		for grp, s := range perDim[d] {
			col[grp] = s.N
		}
		columns = append(columns, col)
	}
	why := hiddenGroups(minN, groups, columns)

	for _, grp := range groups {
		c := Cell{Group: grp, N: intp(persons[grp])}
		ic := Cell{Group: grp, N: intp(indexN[grp])}
		if indexN[grp] > 0 {
			ic.Mean = num(indexSum[grp] / float64(indexN[grp]))
		}
		if w := why[grp]; w != "" {
			c.hide(w)
			ic.hide(w)
		}
		r.Groups = append(r.Groups, c)
		r.Index = append(r.Index, ic)
	}
	for _, d := range dims {
		var n int
		var sum, ss float64
		for _, grp := range groups {
			s, ok := perDim[d][grp]
			if !ok {
				continue
			}
			c := Cell{Group: grp, Dimension: d, N: intp(s.N), Mean: num(s.Mean), SD: num(s.SD)}
			if w := why[grp]; w != "" {
				c.hide(w)
			}
			r.Scores = append(r.Scores, c)
			// Pool the groups into the wave's mean and SD.
			n += s.N
			sum += s.Mean * float64(s.N)
			if s.N > 1 {
				ss += s.SD * s.SD * float64(s.N-1)
			}
			ss += s.Mean * s.Mean * float64(s.N)
		}
		tc := Cell{Dimension: d, N: intp(n)}
		if n > 0 {
			m := sum / float64(n)
			tc.Mean = num(m)
			if n > 1 {
				tc.SD = num(math.Sqrt(math.Max(0, (ss-float64(n)*m*m)/float64(n-1))))
			}
		}
		if n < minN {
			tc.hide(ReasonSmallGroup)
		}
		r.Totals = append(r.Totals, tc)
	}
	it := &Cell{N: intp(totalIdxN)}
	if totalIdxN > 0 {
		it.Mean = num(totalIdx / float64(totalIdxN))
	}
	if totalIdxN < minN {
		it.hide(ReasonSmallGroup)
	}
	r.IndexTotal = it
	r.Segments = categoryCells(minN, segments, []string{assessment.SegmentChampions, assessment.SegmentReady,
		assessment.SegmentHesitant, assessment.SegmentAtRisk})
	r.Barriers = categoryCells(minN, barriers, append(append([]string(nil), dims...), "none"))
	for _, rl := range rel {
		r.Reliability = append(r.Reliability, DimReliability{Dimension: rl.Name, N: rl.N, Items: len(rl.Items),
			RawAlpha: assessment.Num(rl.RawAlpha), StdAlpha: assessment.Num(rl.StdAlpha), G6: assessment.Num(rl.G6),
			AverageR: assessment.Num(rl.AverageR), OmegaTotal: assessment.Num(rl.OmegaTotal)})
	}
	r.Notes = notes
	return r
}

// categoryCells publishes the persons per category with their share of the
// categorised persons, the categories forming one margin group, in the
// given order and then any others by name.
func categoryCells(minN int, counts map[string]int, order []string) []Cell {
	if len(counts) == 0 {
		return nil
	}
	cats := make([]string, 0, len(counts))
	total := 0
	for c, n := range counts {
		cats = append(cats, c)
		total += n
	}
	rank := map[string]int{}
	for i, c := range order {
		rank[c] = i + 1
	}
	sort.Slice(cats, func(a, b int) bool {
		ra, rb := rank[cats[a]], rank[cats[b]]
		if ra == 0 {
			ra = len(order) + 1
		}
		if rb == 0 {
			rb = len(order) + 1
		}
		if ra != rb {
			return ra < rb
		}
		return cats[a] < cats[b]
	})
	n := make([]int, len(cats))
	reason := make([]string, len(cats))
	for i, c := range cats {
		n[i] = counts[c]
	}
	hideMargin(minN, n, reason)
	out := make([]Cell, len(cats))
	for i, c := range cats {
		out[i] = Cell{Category: c, N: intp(n[i]), Share: num(float64(n[i]) / float64(total))}
		if reason[i] != "" {
			out[i].hide(reason[i])
		}
	}
	return out
}
