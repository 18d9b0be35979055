package reports

import "slices"

// The diary terms, and the figures no lattice holds yet, are released for
// the whole entity only: each period's terms (or each figure) under a unit,
// grade or cohort filter would be one more table of the same people, and
// the entity's minus the filtered ones is the figure of the few left out
// (issue 9: all grades minus four grades). Periods are whole ISO weeks
// (snapPeriod), and terms count only the weeks in which at least the text
// minimum of people wrote (the store's Impact.texts), so shifting a period
// by a day or a week subtracts nothing small.

// entityOnly reports whether q's filters hide the entity-only figures:
// whenever it filters, unless UnsafeNoLatticeProtection restores the
// per-table rule alone.
func (s *Server) entityOnly(q Query) bool {
	return q.Filtered() && !s.cfg.Privacy.UnsafeNoLatticeProtection
}

// entityOnlyImpact drops the terms and hides the figures no lattice holds
// yet (event study, DiD, effects by group, adoption series, participation)
// when filtered.
func entityOnlyImpact(d *ImpactData, filtered bool) {
	if !filtered {
		return
	}
	d.Terms = nil
	d.EventStudy, d.DiD = slices.Clone(d.EventStudy), slices.Clone(d.DiD)
	d.Adoption, d.Participation = slices.Clone(d.Adoption), slices.Clone(d.Participation)
	for i := range d.EventStudy {
		d.EventStudy[i].Cell.Hide(ReasonEntityOnly)
	}
	for i := range d.DiD {
		r := &d.DiD[i]
		r.Estimate.Hide(ReasonEntityOnly)
		r.NTreated, r.NControl, r.PValue = 0, 0, 0
	}
	for i := range d.Adoption {
		d.Adoption[i].Cell.Hide(ReasonEntityOnly)
	}
	hideAll(ReasonEntityOnly, categoryCells(d.Participation)...)
	d.Groups = slices.Clone(d.Groups)
	hideGroups(d.Groups, ReasonEntityOnly)
}

// entityOnlyCommunication hides the page-feedback ratings and reasons,
// which no lattice holds yet, when filtered.
func entityOnlyCommunication(d *CommunicationData, filtered bool) {
	if !filtered {
		return
	}
	d.Ratings, d.Reasons = slices.Clone(d.Ratings), slices.Clone(d.Reasons)
	hideAll(ReasonEntityOnly, categoryCells(d.Ratings)...)
	hideAll(ReasonEntityOnly, categoryCells(d.Reasons)...)
}
