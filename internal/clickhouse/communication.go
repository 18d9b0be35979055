package clickhouse

import (
	"context"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
)

// CommunicationSums implements figures.Source: the moments of the
// page-feedback ratings by intranet section, the people choosing each
// reason, channels from each tenant's latest communication-status answer,
// and publishing by referents. The independent queries run at once.
func (s *Store) CommunicationSums(ctx context.Context, q reports.Query) (figures.CommunicationSums, error) {
	lg := lang(q)
	var out figures.CommunicationSums
	d := &out.Counts
	p := params(q)
	tenants := q.Tenants
	if len(tenants) == 0 {
		tenants = []string{q.Tenant}
	}
	channels := make([][]reports.Channel, len(tenants))
	parts := []func() error{func() error {
		pop, err := s.population(ctx, q)
		d.Population = pop.intranet
		return err
	}, func() error {
		return s.each(ctx, "Communication.ratings", p, func(r driver.Rows) error {
			var section string
			var cnt, ppl uint64
			var sum, ss float64
			if err := r.Scan(&section, &cnt, &sum, &ss, &ppl); err != nil {
				return err
			}
			out.Ratings = append(out.Ratings, figures.SectionSums{Section: section, Moments: analytics.Moments{N: float64(cnt), S: sum, SS: ss}, People: int(ppl)})
			return nil
		})
	}, func() (err error) {
		d.Reasons, err = s.reasons(ctx, p, lg)
		return err
	}, func() error {
		series := l2("pubblicazioni", "publications", lg)
		return s.each(ctx, "Communication.publishing", p, func(r driver.Rows) error {
			var week time.Time
			var items, ppl uint64
			if err := r.Scan(&week, &items, &ppl); err != nil {
				return err
			}
			d.Publishing = append(d.Publishing, reports.SeriesPoint{Week: week.Format(time.DateOnly), Series: series,
				Cell: reports.Cell{Value: float64(items), N: int(ppl)}})
			return nil
		})
	}}
	for i, t := range tenants {
		parts = append(parts, func() (err error) {
			channels[i], err = s.channels(ctx, t, lg)
			return err
		})
	}
	if err := parallel(parts...); err != nil {
		return out, err
	}
	for _, cs := range channels {
		d.Channels = append(d.Channels, cs...)
	}
	return out, nil
}

// reasons counts the people choosing each page-feedback reason, in the
// instrument's order.
func (s *Store) reasons(ctx context.Context, p map[string]any, lg string) ([]reports.CategoryCount, error) {
	chosen := map[string]int{}
	err := s.each(ctx, "Communication.reasons", p, func(r driver.Rows) error {
		var choice string
		var ppl uint64
		if err := r.Scan(&choice, &ppl); err != nil {
			return err
		}
		chosen[choice] = int(ppl)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []reports.CategoryCount
	if in, ok := instrument(instrFeedback); ok {
		for _, it := range in.Items {
			for _, o := range it.Options {
				if it.ID == "reason" {
					out = append(out, reports.CategoryCount{Category: optionLabel(instrFeedback, "reason", o.ID, lg), Cell: count(chosen[o.ID])})
				}
			}
		}
	}
	return out, nil
}

// channels reads a tenant's channel presence from its latest
// communication-status answer.
func (s *Store) channels(ctx context.Context, tenant, lg string) ([]reports.Channel, error) {
	presence := map[string]string{}
	err := s.each(ctx, "Communication.channels", map[string]any{"tenant": tenant}, func(r driver.Rows) error {
		var ch, pr string
		if err := r.Scan(&ch, &pr); err != nil {
			return err
		}
		presence[ch] = pr
		return nil
	})
	if err != nil {
		return nil, err
	}
	ids, labels := dimensions(instrComm, lg)
	var out []reports.Channel
	for _, ch := range ids {
		if pr, ok := presence[ch]; ok {
			out = append(out, reports.Channel{Tenant: tenant, Channel: labels[ch], Active: pr == "yes"})
		}
	}
	return out, nil
}
