package reports

import "time"

// SetClock makes s's sessions and sign-in limits read the time from now
// (tests only). Call it before serving requests.
func SetClock(s *Server, now func() time.Time) {
	s.sess.now = now
	s.limit.now = now
}

// SetHashCost sets the bcrypt cost of the passwords s sets (tests only).
func SetHashCost(s *FileUserStore, cost int) { s.cost = cost }
