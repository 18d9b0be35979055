package figures

import (
	"context"

	"github.com/bussola-pa/bussola/reports"
)

// Communication implements reports.Store: each section's mean
// page-feedback rating with its interval (N the people who rated), beside
// the Source's counts.
func (s *Store) Communication(ctx context.Context, q reports.Query) (reports.CommunicationData, error) {
	return memo(s, ctx, resultKey("communication", q), func(ctx context.Context) (reports.CommunicationData, error) {
		c, err := s.CommunicationSums(ctx, q)
		d := c.Counts
		for _, r := range c.Ratings {
			d.Ratings = append(d.Ratings, reports.CategoryCount{Category: r.Section, Cell: meanCell(r.Moments, r.People)})
		}
		return d, err
	})
}
