package reportstest

import (
	"context"
	"slices"
	"strings"

	"github.com/bussola-pa/bussola/reports"
)

// KnownPopulation implements reports.Store: every fixture person of the
// tenant, counted in their cell (the fixture's streams all hold everyone).
func (s *Store) KnownPopulation(_ context.Context, tenant string) (reports.KnownPopulation, error) {
	_, entity := s.selection(reports.Query{Tenant: tenant})
	d := reports.KnownPopulation{Version: "fixture"}
	for _, p := range entity {
		i := slices.IndexFunc(d.Cells, func(c reports.KnownCell) bool {
			return c.Unit == p.unit && c.Grade == p.grade && c.Cohort == p.cohort
		})
		if i < 0 {
			i = len(d.Cells)
			d.Cells = append(d.Cells, reports.KnownCell{Unit: p.unit, Grade: p.grade, Cohort: p.cohort})
		}
		d.Cells[i].People++
	}
	slices.SortFunc(d.Cells, func(a, b reports.KnownCell) int {
		return strings.Compare(a.Unit+"\x00"+a.Grade+"\x00"+a.Cohort, b.Unit+"\x00"+b.Grade+"\x00"+b.Cohort)
	})
	return d, nil
}
