package reports

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/privacy"
)

// diarySeries replaces d's weekly diary series with figures of each ISO
// week's protected lattice: for each group (pilot, comparison) the
// selection's cells of the group's cohorts, summed. The sum is published
// when every part is published or when the published cells of the week
// determine it (privacy.Knowledge: it then adds nothing a viewer could not
// compute); otherwise it is hidden with its first hidden part's reason.
func (s *Server) diarySeries(ctx context.Context, d *ImpactData, q Query, k int) error {
	c, err := s.store.DiaryCells(ctx, q.Tenant)
	if err != nil {
		return fmt.Errorf("diary cells: %w", err)
	}
	d.Diary = nil
	if c.Lattice == nil || len(c.Groups) == 0 {
		return nil
	}
	l := c.Lattice
	sel, ok := selection(l, q)
	if !ok {
		return nil
	}
	coord := l.Coord(sel, nil)
	parts := map[string][]int{}
	for _, g := range []string{"pilot", "comparison"} {
		for _, cohort := range c.Groups[g] {
			ci := slices.Index(l.Dims()[2].Categories, cohort)
			if ci < 0 || (coord[2] != privacy.Total && coord[2] != ci) {
				continue
			}
			parts[g] = append(parts[g], l.Index(coord[0], coord[1], ci))
		}
	}
	pp, pop, err := s.populationPattern(ctx, "diary", q.Tenant, c.Version, l, k, c.People)
	if err != nil {
		return err
	}
	for w, week := range c.Weeks {
		day, err := time.Parse(time.DateOnly, week)
		if err != nil {
			return fmt.Errorf("diary week %q: %w", week, err)
		}
		if (!q.From.IsZero() && day.Before(q.From)) || (!q.To.IsZero() && day.After(q.To)) {
			continue
		}
		n := c.People[w]
		p, err := s.protect("diary/"+week, q.Tenant, c.Version, l, k, n)
		if err != nil {
			return err
		}
		p = s.withPopulation(p, pp)
		// A part is unknown to a viewer when it is hidden and has people
		// in some week (its population), even if none this week: a week
		// without writers looks like one with a few.
		known := n
		if pp != nil {
			known = pop
		}
		var kn *privacy.Knowledge
		for _, g := range []string{"pilot", "comparison"} {
			cells := parts[g]
			people, reason := 0, ""
			for _, i := range cells {
				people += n[i]
				if p.Hidden(i) && known[i] > 0 && reason == "" {
					reason = p.Reason[i]
				}
			}
			if people == 0 && reason == "" {
				continue
			}
			if reason != "" && !s.cfg.Privacy.UnsafeNoLatticeProtection {
				if kn == nil {
					kn = s.knowledgeOf(p, known)
				}
				if kn.Determines(cells...) {
					reason = ""
				}
			}
			if people == 0 && reason == "" {
				continue // nobody, as the published cells tell anyway
			}
			for j, name := range c.Ratings {
				cell := Cell{Suppressed: true, Reason: reason}
				if reason == "" {
					var m analytics.Moments
					for _, i := range cells {
						x := c.Moments[w][j]
						m.N, m.S, m.SS = m.N+float64(x.N[i]), m.S+x.S[i], m.SS+x.SS[i]
					}
					mean, lo, hi, ok := analytics.MeanCI(m)
					cell = Cell{Value: privacy.Mean.Round(mean), N: people}
					if ok {
						cell.Lo, cell.Hi = privacy.Mean.Round(lo), privacy.Mean.Round(hi)
					}
				}
				d.Diary = append(d.Diary, DiaryPoint{Week: week, Group: g, Rating: name, Cell: cell})
			}
		}
	}
	return nil
}
