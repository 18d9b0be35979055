package reports

import (
	"context"
	"fmt"
	"slices"
)

// view is everything a page shows, after suppression.
type view struct {
	Page    Page
	Query   Query
	Privacy Privacy
	// Data is the suppressed data of the page, for the JSON endpoint.
	Data    any
	Widgets []Widget
	KPIs    []KPIView
	// Verdicts are the impact page's sentences in plain language.
	Verdicts []string
	Options  FilterOptions
	// Fresh says which data version the page answers from.
	Fresh Freshness
}

// load reads a page's data through the store and suppresses it. It is the
// only path from the store to any response.
func (s *Server) load(ctx context.Context, page Page, q Query) (view, error) {
	if !s.cfg.Privacy.UnsafeNoLatticeProtection {
		var err error
		if q, err = snapPeriod(q); err != nil {
			return view{Page: page, Query: q}, err
		}
	}
	p := s.cfg.Privacy.For(q.Tenant)
	q.MinText = p.MinText
	b := &builder{t: tr{q.Lang}, p: p, q: q, l: s.cfg.Labels}
	v := view{Page: page, Query: q, Privacy: p}
	// One data version for the whole page (fresh.go).
	ctx, fresh, err := s.pin(ctx)
	if err != nil {
		return v, err
	}
	v.Fresh = fresh
	minFor := func(t string) int { return s.cfg.Privacy.For(t).MinGroup }
	switch page {
	case PageReadiness:
		d, err := s.readinessData(ctx, q, p)
		if err != nil {
			return v, fmt.Errorf("load readiness: %w", err)
		}
		d = suppressReadiness(d, q, p)
		roundReadiness(&d)
		v.Data, v.Widgets = d, readinessWidgets(b, d)
	case PageImpact:
		d, err := s.store.Impact(ctx, q)
		if err != nil {
			return v, fmt.Errorf("load impact: %w", err)
		}
		if err := s.diarySeries(ctx, &d, q, p.MinGroup); err != nil {
			return v, fmt.Errorf("load impact: %w", err)
		}
		entityOnlyImpact(&d, s.entityOnly(q))
		d = suppressImpact(d, q, p)
		roundImpact(&d)
		v.Data, v.Widgets, v.Verdicts = d, impactWidgets(b, d), impactVerdicts(b, d)
	case PageExecutive:
		d, err := s.executiveData(ctx, q, p)
		if err != nil {
			return v, fmt.Errorf("load executive: %w", err)
		}
		// Defence in depth: only entitled tenants, whatever the store sends.
		d.Benchmark = slices.DeleteFunc(slices.Clone(d.Benchmark), func(x BenchmarkCell) bool { return !slices.Contains(q.Tenants, x.Tenant) })
		d = suppressExecutive(d, q, p, minFor)
		roundExecutive(&d)
		v.Data, v.Widgets, v.KPIs = d, executiveWidgets(b, d), kpiViews(b, d)
	case PageCommunication:
		d, err := s.store.Communication(ctx, q)
		if err != nil {
			return v, fmt.Errorf("load communication: %w", err)
		}
		d.Channels = slices.DeleteFunc(slices.Clone(d.Channels), func(x Channel) bool { return !slices.Contains(q.Tenants, x.Tenant) })
		if err := s.publishingSeries(ctx, &d, q, p.MinGroup); err != nil {
			return v, fmt.Errorf("load communication: %w", err)
		}
		entityOnlyCommunication(&d, s.entityOnly(q))
		d = suppressCommunication(d, q, p)
		roundCommunication(&d)
		v.Data, v.Widgets = d, communicationWidgets(b, d)
	case PagePipeline:
		var d PipelineData
		if s.pipe != nil {
			var err error
			if d, err = s.pipe.Pipeline(ctx, q.Tenants); err != nil {
				return v, fmt.Errorf("load pipeline: %w", err)
			}
		}
		d.DeadLetters = slices.DeleteFunc(slices.Clone(d.DeadLetters), func(x DeadLetterCount) bool { return !slices.Contains(q.Tenants, x.Tenant) })
		if !d.At.IsZero() {
			v.Fresh = Freshness{AsOf: d.At}
		}
		v.Data, v.Widgets = d, pipelineWidgets(b, d)
	default:
		return v, fmt.Errorf("load: unknown page %q", page)
	}
	return v, nil
}

func (v view) widget(id string) (Widget, bool) {
	for _, w := range v.Widgets {
		if w.ID == id {
			return w, true
		}
	}
	return Widget{}, false
}

// Widgets returns the suppressed widgets of a page for a query whose tenant
// the caller has already checked (tests, static report generation). Query
// must carry Tenant and, for benchmarks, Tenants.
func (s *Server) Widgets(ctx context.Context, page Page, q Query) ([]Widget, error) {
	v, err := s.load(ctx, page, q)
	return v.Widgets, err
}
