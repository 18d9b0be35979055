package scoring

import (
	"math"
	"sort"
	"time"

	"github.com/bussola-pa/bussola/assessment"
	"github.com/bussola-pa/bussola/privacy"
)

// Results are the published aggregates of a wave's latest scoring. Every
// row carries the people behind it (n) or, when hidden, only the fact and
// the reason; no person-level value is ever part of it.
type Results struct {
	WaveKey
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
	Groups []Row `json:"groups"`
	// Scores has the mean and standard deviation of each group on each
	// dimension (on the instrument's scale); Totals the same over the wave.
	Scores []Row `json:"scores"`
	Totals []Row `json:"totals"`
	// Index is the mean Digital Readiness Index (0..100) per group, and
	// over the wave in IndexTotal.
	Index      []Row `json:"index"`
	IndexTotal *Row  `json:"index_total,omitempty"`
	// Segments (likert instruments) and Barriers (stages instruments) are
	// the persons per category over the wave, with their share.
	Segments    []Row            `json:"segments,omitempty"`
	Barriers    []Row            `json:"barriers,omitempty"`
	Reliability []DimReliability `json:"reliability,omitempty"`
	Notes       []string         `json:"notes,omitempty"`
}

// Row is one published cell of the results in the API's form: the labels
// of a privacy.Cell and its figures under the API's names (n; mean, with
// sd for scores and totals, for scores and the index; share for segments
// and barriers). Rows are made from privacy.Cells only (cell.row), so a
// hidden row keeps its labels and reason and loses every number, as every
// cell the service publishes does (privacy.Cell.Hide).
type Row struct {
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

// cell is one cell of the results while they are built and protected: its
// labels, the privacy.Cell (Value is the mean of a score or index, the
// share of a category, NaN when there is none) and the standard deviation
// beside a score's mean (NaN when there is none).
type cell struct {
	Group, Dimension, Category string
	privacy.Cell
	sd float64
}

// figures says which figures of a cell its table publishes.
type figures int

const (
	countOnly figures = iota // the head count (Groups)
	meanSD                   // the mean and the SD (Scores, Totals, Index)
	share                    // the share (Segments, Barriers)
)

// row is the published form of c in a table publishing f.
func (c cell) row(f figures) Row {
	r := Row{Group: c.Group, Dimension: c.Dimension, Category: c.Category}
	if c.Suppressed {
		r.Suppressed, r.Reason = true, c.Reason
		return r
	}
	r.N = intp(c.N)
	switch f {
	case meanSD:
		r.Mean, r.SD = num(c.Value), num(c.sd)
	case share:
		r.Share = num(c.Value)
	}
	return r
}

func rows(dst []Row, cs []cell, f figures) []Row {
	for _, c := range cs {
		dst = append(dst, c.row(f))
	}
	return dst
}

func intp(n int) *int { return &n }

// num returns a pointer to x, or nil when x is not finite.
func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// tables are a wave's results while they are built and protected, before
// they are published as Results.
type tables struct {
	key      WaveKey
	by       string
	scoredAt time.Time
	minN     int
	dims     []string
	// suppressed: the wave publishes nothing (small_population).
	suppressed  bool
	respondents int
	groups      []cell
	index       []cell
	scores      []cell
	totals      []cell
	indexTotal  cell
	segments    []cell
	barriers    []cell
}

// results publishes the tables with the wave's reliability and notes.
func (t *tables) results(rel []assessment.Reliability, notes []string) *Results {
	r := &Results{WaveKey: t.key, By: t.by, ScoredAt: t.scoredAt, MinGroupSize: t.minN, Dimensions: t.dims,
		Groups: []Row{}, Scores: []Row{}, Totals: []Row{}, Index: []Row{}}
	if t.suppressed {
		r.Suppressed, r.Reason = true, ReasonSmallPopulation
		return r
	}
	r.Respondents = intp(t.respondents)
	r.Groups = rows(r.Groups, t.groups, countOnly)
	r.Index = rows(r.Index, t.index, meanSD)
	r.Scores = rows(r.Scores, t.scores, meanSD)
	r.Totals = rows(r.Totals, t.totals, meanSD)
	it := t.indexTotal.row(meanSD)
	r.IndexTotal = &it
	r.Segments = rows(nil, t.segments, share)
	r.Barriers = rows(nil, t.barriers, share)
	for _, rl := range rel {
		r.Reliability = append(r.Reliability, DimReliability{Dimension: rl.Name, N: rl.N, Items: len(rl.Items),
			RawAlpha: assessment.Num(rl.RawAlpha), StdAlpha: assessment.Num(rl.StdAlpha), G6: assessment.Num(rl.G6),
			AverageR: assessment.Num(rl.AverageR), OmegaTotal: assessment.Num(rl.OmegaTotal)})
	}
	r.Notes = notes
	return r
}

// tabulate turns a wave's group aggregates into tables with the per-table
// suppression applied (suppress.go).
func tabulate(k WaveKey, by string, minN int, dims []string, g *WaveGroups) *tables {
	t := &tables{key: k, by: by, scoredAt: g.ScoredAt, minN: minN, dims: dims}
	none := math.NaN()
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
		t.suppressed = true
		return t
	}
	t.respondents = total
	groups := make([]string, 0, len(persons))
	for grp := range persons {
		groups = append(groups, grp)
	}
	sort.Strings(groups)
	// One column per partition of a published total over the groups.
	perDim := map[string]map[string]GroupScore{}
	for _, d := range dims {
		perDim[d] = map[string]GroupScore{}
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
		c := cell{Group: grp, Cell: privacy.Cell{Value: none, N: persons[grp]}, sd: none}
		ic := cell{Group: grp, Cell: privacy.Cell{Value: none, N: indexN[grp]}, sd: none}
		if indexN[grp] > 0 {
			ic.Value = indexSum[grp] / float64(indexN[grp])
		}
		if w := why[grp]; w != "" {
			c.Hide(w)
			ic.Hide(w)
		}
		t.groups = append(t.groups, c)
		t.index = append(t.index, ic)
	}
	for _, d := range dims {
		var n int
		var sum, ss float64
		for _, grp := range groups {
			s, ok := perDim[d][grp]
			if !ok {
				continue
			}
			c := cell{Group: grp, Dimension: d, Cell: privacy.Cell{Value: s.Mean, N: s.N}, sd: s.SD}
			if w := why[grp]; w != "" {
				c.Hide(w)
			}
			t.scores = append(t.scores, c)
			// Pool the groups into the wave's mean and SD.
			n += s.N
			sum += s.Mean * float64(s.N)
			if s.N > 1 {
				ss += s.SD * s.SD * float64(s.N-1)
			}
			ss += s.Mean * s.Mean * float64(s.N)
		}
		tc := cell{Dimension: d, Cell: privacy.Cell{Value: none, N: n}, sd: none}
		if n > 0 {
			m := sum / float64(n)
			tc.Value = m
			if n > 1 {
				tc.sd = math.Sqrt(math.Max(0, (ss-float64(n)*m*m)/float64(n-1)))
			}
		}
		if n < minN {
			tc.Hide(ReasonSmallGroup)
		}
		t.totals = append(t.totals, tc)
	}
	t.indexTotal = cell{Cell: privacy.Cell{Value: none, N: totalIdxN}, sd: none}
	if totalIdxN > 0 {
		t.indexTotal.Value = totalIdx / float64(totalIdxN)
	}
	if totalIdxN < minN {
		t.indexTotal.Hide(ReasonSmallGroup)
	}
	t.segments = categoryCells(minN, segments, []string{assessment.SegmentChampions, assessment.SegmentReady,
		assessment.SegmentHesitant, assessment.SegmentAtRisk})
	t.barriers = categoryCells(minN, barriers, append(append([]string(nil), dims...), "none"))
	return t
}

// categoryCells publishes the persons per category with their share of the
// categorised persons, the categories forming one margin group, in the
// given order and then any others by name.
func categoryCells(minN int, counts map[string]int, order []string) []cell {
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
	out := make([]cell, len(cats))
	for i, c := range cats {
		out[i] = cell{Category: c, Cell: privacy.Cell{Value: float64(n[i]) / float64(total), N: n[i]}, sd: math.NaN()}
		if reason[i] != "" {
			out[i].Hide(reason[i])
		}
	}
	return out
}
