package figures

import (
	"context"
	"strconv"
	"strings"

	"github.com/bussola-pa/bussola/reports"
)

// Store implements reports.Store: the lattices and options from its
// Source, the page figures computed by analytics from the Source's raw
// material, each page result memoised per data version by the Source.
type Store struct {
	Source
}

var _ reports.Store = (*Store)(nil)

// New returns the Store over src.
func New(src Source) *Store { return &Store{Source: src} }

// Pin implements reports.FreshStore when the Source is a Refresher: the
// context reads one data version throughout a request. Other sources read
// live data and say nothing of its freshness.
func (s *Store) Pin(ctx context.Context) (context.Context, reports.Freshness, error) {
	if r, ok := s.Source.(*Refresher); ok {
		return r.Pin(ctx)
	}
	return ctx, reports.Freshness{}, nil
}

var _ reports.FreshStore = (*Store)(nil)

// memo is the typed form of Source.Memo.
// fn receives the context to read with: the caller's, or the refresher's
// when it recomputes the value for a new data version.
func memo[T any](s *Store, ctx context.Context, key string, fn func(ctx context.Context) (T, error)) (T, error) {
	var zero T
	out, err := s.Memo(ctx, "figures|"+key, func(ctx context.Context) (any, error) { return fn(ctx) })
	if err != nil {
		return zero, err
	}
	return out.(T), nil
}

// resultKey identifies a page result: tenant, filters, period, language,
// the tenants the user may compare and the text minimum.
func resultKey(page string, q reports.Query) string {
	return strings.Join([]string{page, q.Tenant, q.Unit, q.Grade, q.Cohort, q.From.Format("2006-01-02"), q.To.Format("2006-01-02"),
		lang(q), strings.Join(q.Tenants, ","), strconv.Itoa(q.MinText)}, "|")
}

func lang(q reports.Query) string {
	if q.Lang == "en" {
		return "en"
	}
	return "it"
}
