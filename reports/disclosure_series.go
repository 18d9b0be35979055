package reports

// The diary terms are released for the whole entity only: each period's
// terms under a unit, grade or cohort filter would be one more table of the
// same people, and the entity's terms minus the filtered ones are the words
// of the few left out (issue 9: all grades minus four grades). Their
// periods are whole ISO weeks (snapPeriod), and terms count only the weeks
// in which at least the text minimum of people wrote (the store's
// Impact.texts), so shifting a period by a day or a week subtracts nothing
// small.

// entityOnly reports whether q's filters hide the entity-only figures:
// whenever it filters, unless UnsafeNoLatticeProtection restores the
// per-table rule alone.
func (s *Server) entityOnly(q Query) bool {
	return q.Filtered() && !s.cfg.Privacy.UnsafeNoLatticeProtection
}

// entityOnlyImpact drops the terms when filtered.
func entityOnlyImpact(d *ImpactData, filtered bool) {
	if filtered {
		d.Terms = nil
	}
}
