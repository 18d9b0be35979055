package analytics

import (
	"fmt"
	"math"
	"sort"
)

// never is the period index of a never-treated unit.
const never = math.MaxInt32

// stackedPanel is a unit x period outcome matrix built from PanelRows.
type stackedPanel struct {
	times   []int     // sorted distinct periods
	y       []float64 // n*T, NaN when not observed
	group   []int     // per unit: index of the first treated period, or never
	cluster []int     // per unit: cluster index
	nClust  int
	n, T    int
	// alwaysTreated counts units dropped because they are treated from the
	// first observed period on (they have no pre-period).
	alwaysTreated int
}

func (p *stackedPanel) at(i, t int) float64 { return p.y[i*p.T+t] }

// newStackedPanel checks the rows (one per unit and period, a constant cohort
// and cluster per unit) and lays them out as a matrix.
func newStackedPanel(rows []PanelRow, by ClusterBy) (*stackedPanel, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("no rows")
	}
	timeSet := make(map[int]struct{})
	for _, r := range rows {
		timeSet[r.Time] = struct{}{}
	}
	times := make([]int, 0, len(timeSet))
	for t := range timeSet {
		times = append(times, t)
	}
	sort.Ints(times)
	if len(times) < 2 {
		return nil, fmt.Errorf("the panel has %d period; at least 2 are needed", len(times))
	}
	tIdx := make(map[int]int, len(times))
	for i, t := range times {
		tIdx[t] = i
	}
	type unitInfo struct {
		idx, cohort   int
		name, cluster string
	}
	units := make(map[string]*unitInfo)
	var order []*unitInfo
	for i := range rows {
		r := &rows[i]
		if r.Unit == "" {
			return nil, fmt.Errorf("row %d: unit is empty", i+1)
		}
		if math.IsNaN(r.Y) || math.IsInf(r.Y, 0) {
			return nil, fmt.Errorf("row %d: outcome is %v; it must be a finite number", i+1, r.Y)
		}
		if r.Cohort < 0 {
			return nil, fmt.Errorf("row %d: cohort %d is negative; use 0 for never treated", i+1, r.Cohort)
		}
		u, ok := units[r.Unit]
		if !ok {
			u = &unitInfo{idx: len(order), cohort: r.Cohort, name: r.Unit, cluster: r.Cluster}
			units[r.Unit] = u
			order = append(order, u)
			continue
		}
		if u.cohort != r.Cohort {
			return nil, fmt.Errorf("row %d: unit %q has cohort %d here and %d elsewhere; the cohort must be constant within a unit", i+1, r.Unit, r.Cohort, u.cohort)
		}
		if by == ClusterField && u.cluster != r.Cluster {
			return nil, fmt.Errorf("row %d: unit %q has cluster %q here and %q elsewhere; units must be nested in clusters", i+1, r.Unit, r.Cluster, u.cluster)
		}
	}
	// Map cohorts to period indexes; drop always-treated units.
	p := &stackedPanel{times: times, T: len(times)}
	keep := make([]int, len(order)) // old index -> new index or -1
	for j, u := range order {
		g := never
		if u.cohort != 0 {
			g = sort.SearchInts(times, u.cohort) // first period >= cohort
			if g == len(times) {
				g = never // treated after the window: a not-yet-treated control throughout
			}
		}
		if g == 0 {
			keep[j] = -1
			p.alwaysTreated++
			continue
		}
		keep[j] = p.n
		p.group = append(p.group, g)
		p.n++
	}
	if p.n < 2 {
		return nil, fmt.Errorf("fewer than 2 units remain after dropping %d units treated from the first period", p.alwaysTreated)
	}
	p.y = make([]float64, p.n*p.T)
	for i := range p.y {
		p.y[i] = math.NaN()
	}
	for i := range rows {
		r := &rows[i]
		u := keep[units[r.Unit].idx]
		if u < 0 {
			continue
		}
		k := u*p.T + tIdx[r.Time]
		if !math.IsNaN(p.y[k]) {
			return nil, fmt.Errorf("row %d: unit %q has more than one row for period %d", i+1, r.Unit, r.Time)
		}
		p.y[k] = r.Y
	}
	p.cluster = make([]int, p.n)
	if by == ClusterField {
		seen := make(map[string]int)
		for j, u := range order {
			if keep[j] < 0 {
				continue
			}
			if u.cluster == "" {
				return nil, fmt.Errorf("unit %q has an empty cluster", u.name)
			}
			c, ok := seen[u.cluster]
			if !ok {
				c = len(seen)
				seen[u.cluster] = c
			}
			p.cluster[keep[j]] = c
		}
		p.nClust = len(seen)
	} else {
		for i := range p.cluster {
			p.cluster[i] = i
		}
		p.nClust = p.n
	}
	if p.nClust < 2 {
		return nil, fmt.Errorf("clustered standard errors need at least 2 clusters, the data have %d", p.nClust)
	}
	return p, nil
}
