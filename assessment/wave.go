package assessment

import (
	"fmt"
	"math"
	"sort"

	"github.com/bussola-pa/bussola/schemas"
	"gonum.org/v1/gonum/mat"
)

// Response is one person's numeric answers to one instrument in one wave,
// as the scoring job reads them (item id -> value on the instrument scale).
type Response struct {
	Tenant  string
	Person  uint64 // keyed pseudonym
	OrgUnit string
	Wave    string
	Answers map[string]float64
}

// Norm groups for z, T and percentiles.
const (
	NormTenant = "tenant" // within the person's tenant (default)
	NormAll    = "all"    // across all tenants in the input
)

// Segmentation methods.
const (
	SegmentRules  = "rules"  // RuleSegment (default)
	SegmentKMeans = "kmeans" // KMeansSegments with ScoreOptions.Seed
)

// ScoreOptions tune ScoreResponses; the zero value is usable.
type ScoreOptions struct {
	// NormGroup is NormTenant (default) or NormAll.
	NormGroup string
	// MinAnsweredShare overrides the instrument's share when > 0.
	MinAnsweredShare float64
	// Segmentation is SegmentRules (default) or SegmentKMeans.
	Segmentation string
	Seed         uint64
	// Behaviour per person for the Digital Readiness Index; persons not in
	// the map are indexed on the survey alone. Keyed by tenant and person.
	Behaviour map[PersonKey]Behaviour
	// Weights of the index; zero means DefaultIndexWeights.
	Weights IndexWeights
}

// PersonKey identifies a person within a tenant.
type PersonKey struct {
	Tenant string
	Person uint64
}

// DimScore is a person's score on one dimension with its norms.
type DimScore struct {
	Score      float64 `json:"score"` // NaN when too few items were answered
	Answered   int     `json:"answered"`
	Z          float64 `json:"z"`
	T          float64 `json:"t"`
	Percentile float64 `json:"percentile"`
}

// PersonScore is everything the scoring job writes for one person.
type PersonScore struct {
	Tenant  string              `json:"tenant"`
	Person  uint64              `json:"person"`
	OrgUnit string              `json:"org_unit"`
	Scores  map[string]DimScore `json:"scores"`
	// Segment is one of the Segment* names ("" when no dimension is scored;
	// not used for KindStages).
	Segment string `json:"segment"`
	// Barrier is, for KindStages instruments, the first stage rated at or
	// below the barrier threshold, "none" when every stage is above it, ""
	// when a stage is unanswered before any barrier. Empty otherwise.
	Barrier string `json:"barrier,omitempty"`
	// Index is the Digital Readiness Index (0..100), NaN when unknown.
	Index float64 `json:"index"`
}

// BarrierCount is how many persons of a unit stop at each stage.
type BarrierCount struct {
	Tenant  string         `json:"tenant"`
	OrgUnit string         `json:"org_unit"`
	Persons int            `json:"persons"`
	Counts  map[string]int `json:"counts"` // stage id (or "none") -> persons
}

// WaveResult is the scoring of one instrument version in one wave.
type WaveResult struct {
	Instrument  string         `json:"instrument"`
	Version     int            `json:"version"`
	Wave        string         `json:"wave"`
	Dimensions  []string       `json:"dimensions"`
	Persons     []PersonScore  `json:"persons"`
	Reliability []Reliability  `json:"reliability"`
	Barriers    []BarrierCount `json:"barriers,omitempty"`
	// Notes explain what could not be computed (e.g. reliability of a
	// one-item dimension).
	Notes []string `json:"notes,omitempty"`
}

// ReliabilityOf returns the reliability of a dimension, if computed.
func (w *WaveResult) ReliabilityOf(dim string) (Reliability, bool) {
	for _, r := range w.Reliability {
		if r.Name == dim {
			return r, true
		}
	}
	return Reliability{}, false
}

// ScoreSD is the standard deviation (n-1) of the persons' scores on dim.
func (w *WaveResult) ScoreSD(dim string) float64 {
	var s, ss, n float64
	for _, p := range w.Persons {
		if x := p.Scores[dim].Score; !math.IsNaN(x) {
			s += x
			n++
		}
	}
	m := s / n
	for _, p := range w.Persons {
		if x := p.Scores[dim].Score; !math.IsNaN(x) {
			ss += (x - m) * (x - m)
		}
	}
	return math.Sqrt(ss / (n - 1))
}

// ScoreResponses scores one wave of an instrument: per-person dimension
// scores (mean of answered items when the answered share is reached) with
// z, T and percentiles in the chosen norm group, segments, the Digital
// Readiness Index, the barrier point for stage instruments (and its
// distribution per unit), and the reliability of every dimension with at
// least two items. Answers to unknown items or off the scale are an error
// naming the person and item; all responses must share one wave.
func ScoreResponses(inst schemas.Instrument, resp []Response, opt ScoreOptions) (*WaveResult, error) {
	op := fmt.Sprintf("score %s", inst.Key())
	if len(resp) == 0 {
		return nil, fmt.Errorf("%s: no responses", op)
	}
	share := inst.AnsweredShare()
	if opt.MinAnsweredShare > 0 {
		share = opt.MinAnsweredShare
	}
	w := opt.Weights
	if w == (IndexWeights{}) {
		w = DefaultIndexWeights
	}
	lo, hi := float64(inst.Scale.Min), float64(inst.Scale.Max)

	// Column layout: every scale item of the instrument.
	col := map[string]int{}
	var itemIDs []string
	for _, it := range inst.Items {
		if it.ItemType() == schemas.ItemScale {
			col[it.ID] = len(itemIDs)
			itemIDs = append(itemIDs, it.ID)
		}
	}
	n, p := len(resp), len(itemIDs)
	data := make([]float64, n*p)
	for i := range data {
		data[i] = math.NaN()
	}
	res := &WaveResult{Instrument: inst.ID, Version: inst.Version, Wave: resp[0].Wave}
	for i, r := range resp {
		if r.Wave != res.Wave {
			return nil, fmt.Errorf("%s: response %d (person %d) is from wave %q, the first from %q", op, i, r.Person, r.Wave, res.Wave)
		}
		for id, v := range r.Answers {
			j, ok := col[id]
			if !ok {
				return nil, fmt.Errorf("%s: person %d of tenant %q answered %q, which is not a scale item", op, r.Person, r.Tenant, id)
			}
			if math.IsNaN(v) || v < lo || v > hi {
				return nil, fmt.Errorf("%s: person %d of tenant %q answered %q with %g, outside %g..%g", op, r.Person, r.Tenant, id, v, lo, hi)
			}
			data[i*p+j] = v
		}
	}
	x := mat.NewDense(n, p, data)

	// Dimension scores.
	type dimCols struct {
		id   string
		cols []int
		rev  []bool
		inh  bool
	}
	var dims []dimCols
	for _, d := range inst.Dimensions {
		dc := dimCols{id: d.ID, inh: d.Pole == "inhibiting"}
		for _, it := range inst.DimensionItems(d.ID) {
			dc.cols = append(dc.cols, col[it.ID])
			dc.rev = append(dc.rev, it.Reversed)
		}
		if len(dc.cols) > 0 {
			dims = append(dims, dc)
			res.Dimensions = append(res.Dimensions, d.ID)
		}
	}
	res.Persons = make([]PersonScore, n)
	scores := make([][]float64, len(dims))
	vals := make([]float64, 0, p)
	for di, d := range dims {
		scores[di] = make([]float64, n)
		for i := 0; i < n; i++ {
			vals = vals[:0]
			for _, j := range d.cols {
				vals = append(vals, data[i*p+j])
			}
			s, a := DimensionScore(vals, d.rev, lo, hi, share)
			scores[di][i] = s
			if di == 0 {
				r := resp[i]
				res.Persons[i] = PersonScore{Tenant: r.Tenant, Person: r.Person, OrgUnit: r.OrgUnit,
					Scores: make(map[string]DimScore, len(dims))}
			}
			res.Persons[i].Scores[d.id] = DimScore{Score: s, Answered: a}
		}
	}
	var group []string
	if opt.NormGroup != NormAll {
		group = make([]string, n)
		for i, r := range resp {
			group[i] = r.Tenant
		}
	}
	for di, d := range dims {
		for i, nm := range Norms(scores[di], group) {
			ds := res.Persons[i].Scores[d.id]
			ds.Z, ds.T, ds.Percentile = nm.Z, nm.T, nm.Percentile
			res.Persons[i].Scores[d.id] = ds
		}
	}

	// Levels (0..1, higher = readier), segments and the index.
	levels := make([][]float64, n)
	for i := 0; i < n; i++ {
		levels[i] = make([]float64, len(dims))
		for di, d := range dims {
			l := (scores[di][i] - lo) / (hi - lo)
			if d.inh {
				l = 1 - l
			}
			levels[i][di] = l
		}
	}
	if inst.Kind == schemas.KindLikert {
		var segs []string
		if opt.Segmentation == SegmentKMeans {
			segs = KMeansSegments(levels, opt.Seed)
		} else {
			segs = make([]string, n)
			for i := range segs {
				segs[i] = RuleSegment(levels[i])
			}
		}
		for i := range res.Persons {
			res.Persons[i].Segment = segs[i]
		}
	}
	for i := range res.Persons {
		survey := meanKnown(levels[i])
		b, ok := opt.Behaviour[PersonKey{resp[i].Tenant, resp[i].Person}]
		if !ok {
			b = Behaviour{math.NaN(), math.NaN()}
		}
		res.Persons[i].Index = ReadinessIndex(survey, b, w)
	}

	if inst.Kind == schemas.KindStages {
		stageBarriers(inst, res, scores, res.Dimensions)
	}

	// Reliability per dimension.
	pw := PairwiseMoments(x)
	for _, d := range dims {
		if len(d.cols) < 2 {
			res.Notes = append(res.Notes, fmt.Sprintf("dimension %q has %d item: no reliability", d.id, len(d.cols)))
			continue
		}
		names := make([]string, len(d.cols))
		for a, j := range d.cols {
			names[a] = itemIDs[j]
		}
		rel, err := ScaleReliability(x, pw, Scale{Name: d.id, Items: names, Columns: d.cols, Reversed: d.rev}, lo+hi)
		if err != nil {
			res.Notes = append(res.Notes, err.Error())
			continue
		}
		res.Reliability = append(res.Reliability, rel)
	}
	return res, nil
}

func meanKnown(v []float64) float64 {
	s, n := 0.0, 0
	for _, x := range v {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// stageBarriers sets each person's barrier point and counts them per unit.
func stageBarriers(inst schemas.Instrument, res *WaveResult, scores [][]float64, stages []string) {
	thr := inst.Barrier()
	type unit struct{ tenant, org string }
	counts := map[unit]*BarrierCount{}
	for i := range res.Persons {
		b := "none"
		for di, st := range stages {
			s := scores[di][i]
			if math.IsNaN(s) {
				b = ""
				break
			}
			if s <= thr {
				b = st
				break
			}
		}
		res.Persons[i].Barrier = b
		if b == "" {
			continue
		}
		u := unit{res.Persons[i].Tenant, res.Persons[i].OrgUnit}
		c, ok := counts[u]
		if !ok {
			c = &BarrierCount{Tenant: u.tenant, OrgUnit: u.org, Counts: map[string]int{}}
			counts[u] = c
		}
		c.Persons++
		c.Counts[b]++
	}
	for _, c := range counts {
		res.Barriers = append(res.Barriers, *c)
	}
	sort.Slice(res.Barriers, func(a, b int) bool {
		x, y := res.Barriers[a], res.Barriers[b]
		if x.Tenant != y.Tenant {
			return x.Tenant < y.Tenant
		}
		return x.OrgUnit < y.OrgUnit
	})
}
