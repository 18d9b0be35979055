package reportstest

import (
	"context"
	"time"

	"github.com/bussola-pa/bussola/reports"
)

var _ reports.FreshStore = (*Store)(nil)

// Freshness is the data version the fixture says its pages answer from.
var Freshness = reports.Freshness{AsOf: time.Date(2026, 12, 2, 15, 42, 0, 0, time.UTC), Version: "5eed0001"}

// Pin implements reports.FreshStore: the fixture is one fixed version.
func (s *Store) Pin(ctx context.Context) (context.Context, reports.Freshness, error) {
	return ctx, Freshness, nil
}
