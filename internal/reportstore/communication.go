package reportstore

import (
	"context"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/reports"
)

// Communication implements reports.Store: page-feedback ratings by
// intranet section and reasons, channels from each tenant's latest
// communication-status answer, and publishing by referents.
func (s *Store) Communication(ctx context.Context, q reports.Query) (reports.CommunicationData, error) {
	return cached(s, ctx, resultKey("communication", q), func() (reports.CommunicationData, error) { return s.communication(ctx, q) })
}

func (s *Store) communication(ctx context.Context, q reports.Query) (reports.CommunicationData, error) {
	lg := lang(q)
	d := reports.CommunicationData{}
	ip, err := s.intranetPanel(ctx, q)
	if err != nil {
		return d, err
	}
	n, entity := people(ip, intranetWho, filterOf(q))
	d.Population = reports.Population{N: n, EntityN: entity}
	p := params(q)
	err = s.each(ctx, "Communication.ratings", p, func(r driver.Rows) error {
		var section string
		var cnt, ppl uint64
		var sum, ss float64
		if err := r.Scan(&section, &cnt, &sum, &ss, &ppl); err != nil {
			return err
		}
		d.Ratings = append(d.Ratings, reports.CategoryCount{Category: section, Cell: meanCell(moments{float64(cnt), sum, ss}, int(ppl))})
		return nil
	})
	if err != nil {
		return d, err
	}
	chosen := map[string]int{}
	err = s.each(ctx, "Communication.reasons", p, func(r driver.Rows) error {
		var choice string
		var ppl uint64
		if err := r.Scan(&choice, &ppl); err != nil {
			return err
		}
		chosen[choice] = int(ppl)
		return nil
	})
	if err != nil {
		return d, err
	}
	if in, ok := instrument(instrFeedback); ok {
		for _, it := range in.Items {
			for _, o := range it.Options {
				if it.ID == "reason" {
					d.Reasons = append(d.Reasons, reports.CategoryCount{Category: optionLabel(instrFeedback, "reason", o.ID, lg), Cell: count(chosen[o.ID])})
				}
			}
		}
	}
	tenants := q.Tenants
	if len(tenants) == 0 {
		tenants = []string{q.Tenant}
	}
	channels, labels := dimensions(instrComm, lg)
	for _, t := range tenants {
		presence := map[string]string{}
		err = s.each(ctx, "Communication.channels", map[string]any{"tenant": t}, func(r driver.Rows) error {
			var ch, pr string
			if err := r.Scan(&ch, &pr); err != nil {
				return err
			}
			presence[ch] = pr
			return nil
		})
		if err != nil {
			return d, err
		}
		for _, ch := range channels {
			if pr, ok := presence[ch]; ok {
				d.Channels = append(d.Channels, reports.Channel{Tenant: t, Channel: labels[ch], Active: pr == "yes"})
			}
		}
	}
	series := l2("pubblicazioni", "publications", lg)
	err = s.each(ctx, "Communication.publishing", p, func(r driver.Rows) error {
		var week time.Time
		var items, ppl uint64
		if err := r.Scan(&week, &items, &ppl); err != nil {
			return err
		}
		d.Publishing = append(d.Publishing, reports.SeriesPoint{Week: week.Format(time.DateOnly), Series: series,
			Cell: reports.Cell{Value: float64(items), N: int(ppl)}})
		return nil
	})
	return d, err
}
