package text

import (
	"fmt"
	"math"
	"sort"
)

// TermShift is the change in a term's use from one period to another.
type TermShift struct {
	Term string `json:"term"`
	// LogOdds is the log-odds ratio (after vs before) with an informative
	// Dirichlet prior; positive means more frequent after.
	LogOdds float64 `json:"log_odds"`
	// Z is LogOdds divided by its approximate standard deviation.
	Z           float64 `json:"z"`
	CountBefore int     `json:"count_before"`
	CountAfter  int     `json:"count_after"`
	People      int     `json:"people"`
	ShareBefore float64 `json:"share_before"`
	ShareAfter  float64 `json:"share_after"`
}

// ShiftOptions tunes TermShifts.
type ShiftOptions struct {
	Options
	// PriorSize is the total pseudo-count a0 of the Dirichlet prior; 0 means
	// 500.
	PriorSize float64
}

// TermShifts compares term use between the documents of period before and
// period after (other periods are ignored) by the weighted log-odds ratio
// with an informative Dirichlet prior of Monroe, Colaresi & Quinn (2008,
// "Fightin' words"): with counts y (occurrences), totals n and prior
// a_w = a0 * pooled share of w,
//
//	delta_w = log((yA+a_w)/(nA+a0-yA-a_w)) - log((yB+a_w)/(nB+a0-yB-a_w))
//	Var ~ 1/(yA+a_w) + 1/(yB+a_w),  z = delta_w / sqrt(Var)
//
// Each period needs at least MinPeople people, and a term is reported only
// when at least MinPeople distinct people used it over both periods. Results
// are sorted by z, largest increase first.
func TermShifts(docs []Document, before, after string, opt ShiftOptions) ([]TermShift, error) {
	min, stop := opt.minPeople(), opt.stop()
	a0 := opt.PriorSize
	if a0 <= 0 {
		a0 = 500
	}
	cnt := [2]map[string]int{{}, {}}
	var tot [2]float64
	people := [2]map[string]struct{}{{}, {}}
	termPeople := map[string]map[string]struct{}{}
	for _, d := range docs {
		side := -1
		switch d.Period {
		case before:
			side = 0
		case after:
			side = 1
		}
		if side < 0 {
			continue
		}
		if d.Person == "" {
			return nil, fmt.Errorf("term shifts: a document has no person; distinct people are needed for the minimum group size")
		}
		people[side][d.Person] = struct{}{}
		for _, sent := range ContentTokens(d.Text, stop) {
			for _, t := range sent {
				cnt[side][t]++
				tot[side]++
				if termPeople[t] == nil {
					termPeople[t] = map[string]struct{}{}
				}
				termPeople[t][d.Person] = struct{}{}
			}
		}
	}
	for side, name := range []string{before, after} {
		if len(people[side]) < min {
			return nil, fmt.Errorf("term shifts: period %q has %d people, fewer than the minimum of %d", name, len(people[side]), min)
		}
	}
	if tot[0] == 0 || tot[1] == 0 {
		return nil, fmt.Errorf("term shifts: a period has no content words to compare")
	}
	out := []TermShift{}
	total := tot[0] + tot[1]
	for t, ps := range termPeople {
		if len(ps) < min {
			continue
		}
		yb, ya := float64(cnt[0][t]), float64(cnt[1][t])
		aw := a0 * (ya + yb) / total
		delta := math.Log((ya+aw)/(tot[1]+a0-ya-aw)) - math.Log((yb+aw)/(tot[0]+a0-yb-aw))
		v := 1/(ya+aw) + 1/(yb+aw)
		out = append(out, TermShift{Term: t, LogOdds: delta, Z: delta / math.Sqrt(v),
			CountBefore: int(yb), CountAfter: int(ya), People: len(ps), ShareBefore: yb / tot[0], ShareAfter: ya / tot[1]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Z != out[j].Z {
			return out[i].Z > out[j].Z
		}
		return out[i].Term < out[j].Term
	})
	return out, nil
}
