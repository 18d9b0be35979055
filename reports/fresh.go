package reports

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Freshness says which data version a page answers from: when the
// version was read from the source tables and a short name for it.
type Freshness struct {
	AsOf    time.Time
	Version string
}

// FreshStore is a Store that answers from precomputed data versions
// (figures.Refresher). Pin returns a context that reads one version for
// the whole request, whatever version is swapped in meanwhile, and that
// version's freshness; a store reading live data returns ctx and a zero
// Freshness.
type FreshStore interface {
	Pin(ctx context.Context) (context.Context, Freshness, error)
}

// pin fixes the data version of one request (see FreshStore). Without a
// versioned store the page says when its data were read.
func (s *Server) pin(ctx context.Context) (context.Context, Freshness, error) {
	if fs, ok := s.store.(FreshStore); ok {
		ctx, f, err := fs.Pin(ctx)
		if err != nil {
			return ctx, f, fmt.Errorf("pin the data version: %w", err)
		}
		if !f.AsOf.IsZero() {
			return ctx, f, nil
		}
	}
	return ctx, Freshness{AsOf: time.Now().UTC()}, nil
}

// stamp is the page's freshness line: "Dati aggiornati al 02/12/2026
// 15:42 UTC (versione 1a2b3c4d)".
func (f Freshness) stamp(t tr) string {
	when := f.AsOf.UTC().Format("02/01/2006 15:04") + " UTC"
	if f.Version == "" {
		return t.F("fresh.live", when)
	}
	return t.F("fresh.version", when, f.Version)
}

// Warm loads every report page (the pipeline's excepted, which reads
// live figures) of each tenant unfiltered and under each single filter
// value, with ctx. Run by figures.Refresher.OnBuild with the context of
// the version being built, it puts that version's page figures, lattices
// and protected patterns in place before the version is swapped in, so
// no request computes them.
func (s *Server) Warm(ctx context.Context, tenants []string) error {
	var errs []error
	for _, t := range tenants {
		base := Query{Tenant: t, Tenants: tenants, Lang: "it"}
		qs := []Query{base}
		if o, err := s.store.Options(ctx, t); err != nil {
			errs = append(errs, fmt.Errorf("warm %s options: %w", t, err))
		} else {
			for _, u := range o.Units {
				q := base
				q.Unit = u
				qs = append(qs, q)
			}
			for _, g := range o.Grades {
				q := base
				q.Grade = g
				qs = append(qs, q)
			}
			for _, c := range o.Cohorts {
				q := base
				q.Cohort = c
				qs = append(qs, q)
			}
		}
		for _, q := range qs {
			for _, p := range Pages {
				if p == PagePipeline {
					continue
				}
				if _, err := s.load(ctx, p, q); err != nil {
					errs = append(errs, fmt.Errorf("warm %s %s: %w", p, q.Describe(), err))
				}
			}
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

// Tenants lists, sorted, every tenant some user of the file has a role in:
// the tenants whose pages figures.Refresher precomputes.
func (s *FileUserStore) Tenants() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for _, u := range s.users {
		for t := range u.Roles {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	slices.Sort(out)
	return out
}

// PageData returns the suppressed data of a page (what data.json carries
// under "data") and its freshness, for a query whose tenant the caller
// has already checked (tests, static report generation).
func (s *Server) PageData(ctx context.Context, page Page, q Query) (any, Freshness, error) {
	v, err := s.load(ctx, page, q)
	return v.Data, v.Fresh, err
}
