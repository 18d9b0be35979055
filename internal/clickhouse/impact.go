package clickhouse

import (
	"context"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
)

// ImpactPanels implements figures.Source: the selection's people and
// intranet panel; with a pilot, also its diary panel, diary texts and the
// people per cohort who answered a personal questionnaire, and for the
// unfiltered entity each person's grade. The reads run at once.
func (s *Store) ImpactPanels(ctx context.Context, q reports.Query) (figures.ImpactPanels, error) {
	var d figures.ImpactPanels
	if p, ok := s.pilotOf(q.Tenant); ok {
		d.Pilot = &p
	}
	parts := []func() error{
		func() (err error) { d.Intranet, err = s.intranetPanel(ctx, q); return err },
		func() error { pop, err := s.population(ctx, q); d.Population = pop.all; return err },
	}
	if d.Pilot != nil {
		parts = append(parts,
			func() (err error) { d.Diary, err = s.diaryPanel(ctx, q); return err },
			func() (err error) { d.Texts, err = s.diaryTexts(ctx, q); return err },
			func() (err error) { d.Answered, err = s.answered(ctx, q); return err })
		if !q.Filtered() { // the effects by group are the entity's only
			parts = append(parts, func() (err error) { d.Grades, err = s.grades(ctx, q); return err })
		}
	}
	err := parallel(parts...)
	return d, err
}
