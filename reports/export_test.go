package reports

import (
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/gin-gonic/gin"
)

// SetClock makes s's sessions and sign-in limits read the time from now
// (tests only). Call it before serving requests.
func SetClock(s *Server, now func() time.Time) {
	s.sess.now = now
	s.limit.now = now
}

// SetHashCost sets the bcrypt cost of the passwords s sets (tests only).
func SetHashCost(s *FileUserStore, cost int) { s.cost = cost }

// StartIdentityProviderSession starts a session for u as an identity
// provider's callback does, and returns its cookie (tests only).
func StartIdentityProviderSession(s *Server, u User) *http.Cookie {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, "/", nil)
	s.startSession(c, u, originOIDC)
	return w.Result().Cookies()[0]
}
