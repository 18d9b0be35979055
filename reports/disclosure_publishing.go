package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/bussola-pa/bussola/privacy"
)

// publishingSeries replaces d's weekly publishing series with the
// selection's cell of each week's protected lattice, for the weeks of q's
// (snapped) period: one pattern per tenant, week and data version, the
// same whatever the period or the filter, so one week's points under any
// two filters are cells of one protected lattice.
func (s *Server) publishingSeries(ctx context.Context, d *CommunicationData, q Query, k int) error {
	c, err := s.store.PublishingCells(ctx, q.Tenant)
	if err != nil {
		return fmt.Errorf("publishing cells: %w", err)
	}
	series := "pubblicazioni"
	if q.Lang == "en" {
		series = "publications"
	}
	d.Publishing = nil
	if c.Lattice == nil {
		return nil
	}
	sel, ok := selection(c.Lattice, q)
	if !ok {
		return nil
	}
	pp, _, err := s.populationPattern(ctx, "publishing", q.Tenant, c.Version, c.Lattice, k, c.People)
	if err != nil {
		return err
	}
	for w, week := range c.Weeks {
		day, err := time.Parse(time.DateOnly, week)
		if err != nil {
			return fmt.Errorf("publishing week %q: %w", week, err)
		}
		// A week nobody of the selection published in is left out, unless
		// the selection is hidden by its population: then every week is
		// listed hidden, so the list does not tell the weeks its few
		// people published in.
		if (!q.From.IsZero() && day.Before(q.From)) || (!q.To.IsZero() && day.After(q.To)) || (c.People[w][sel] == 0 && (pp == nil || !pp.Hidden(sel))) {
			continue
		}
		p, err := s.protect("publishing/"+week, q.Tenant, c.Version, c.Lattice, k, c.People[w])
		if err != nil {
			return err
		}
		p = s.withPopulation(p, pp)
		cell := hiddenCell(p, sel)
		if !p.Hidden(sel) {
			cell = Cell{Value: privacy.Count.Round(c.Items[w][sel]), N: c.People[w][sel]}
		}
		d.Publishing = append(d.Publishing, SeriesPoint{Week: week, Series: series, Cell: cell})
	}
	return nil
}
