package reports

import "slices"

// The weekly series of diary ratings and the diary terms are released for
// the whole entity only: each week's point or each period's terms under a
// unit, grade or cohort filter would be one more table of the same people,
// and the entity's point minus the filtered ones is the point of the few
// left out (issue 9: total minus four grades gave one person's ratings and
// words). Their periods are whole ISO weeks (snapPeriod), and terms count
// only the weeks in which at least the text minimum of people wrote (the
// store's Impact.texts), so shifting a period by a day or a week subtracts
// nothing small.

// entityOnly reports whether q's filters hide the entity-only figures:
// whenever it filters, unless UnsafeNoLatticeProtection restores the
// per-table rule alone.
func (s *Server) entityOnly(q Query) bool {
	return q.Filtered() && !s.cfg.Privacy.UnsafeNoLatticeProtection
}

// entityOnlyImpact hides the diary series and the terms when filtered.
func entityOnlyImpact(d *ImpactData, filtered bool) {
	if !filtered {
		return
	}
	d.Diary = slices.Clone(d.Diary)
	for i := range d.Diary {
		d.Diary[i].Cell.hide(ReasonEntityOnly)
	}
	d.Terms = nil
}
