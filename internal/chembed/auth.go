package chembed

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
)

// role is what an authenticated request may do.
type role int

const (
	roleNone     role = iota
	roleService       // read and write (POST); read-only by GET
	roleOperator      // read-only
)

// readOnly tells whether a request runs on a read-only connection: every
// operator request, and every GET (as a ClickHouse server sets readonly
// for GET).
func (r role) readOnly(method string) bool {
	return r != roleService || method == http.MethodGet
}

// accountHash is an account as compared: the SHA-256 of name and password,
// so comparisons take the same time whatever the lengths.
type accountHash struct {
	user, password [sha256.Size]byte
	role           role
}

func hashAccounts(c Credentials) []accountHash {
	return []accountHash{
		{sha256.Sum256([]byte(c.Service.User)), sha256.Sum256([]byte(c.Service.Password)), roleService},
		{sha256.Sum256([]byte(c.Operator.User)), sha256.Sum256([]byte(c.Operator.Password)), roleOperator},
	}
}

// authenticate finds the request's account. The credentials may come, as
// ClickHouse's HTTP server takes them, from HTTP Basic auth, from the
// X-ClickHouse-User and X-ClickHouse-Key headers, or from the user and
// password URL parameters; one way only. No credentials at all means user
// "default" with no password, which no account matches. Every account is
// compared, in constant time, whatever matches.
func (s *Server) authenticate(r *http.Request) (role, error) {
	var user, password string
	ways := 0
	if u, p, ok := r.BasicAuth(); ok {
		user, password = u, p
		ways++
	}
	if u := r.Header.Get("X-ClickHouse-User"); u != "" || r.Header.Get("X-ClickHouse-Key") != "" {
		user, password = u, r.Header.Get("X-ClickHouse-Key")
		ways++
	}
	q := r.URL.Query()
	if q.Has("user") || q.Has("password") {
		user, password = q.Get("user"), q.Get("password")
		ways++
	}
	if ways > 1 {
		return roleNone, newError(codeAuthFailed, "Invalid authentication: it is not allowed to use more than one of HTTP Basic auth, X-ClickHouse-User/X-ClickHouse-Key and user/password parameters simultaneously. (AUTHENTICATION_FAILED)")
	}
	if user == "" {
		user = "default"
	}
	uh, ph := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(password))
	found := roleNone
	for _, a := range s.accounts {
		match := subtle.ConstantTimeCompare(uh[:], a.user[:]) & subtle.ConstantTimeCompare(ph[:], a.password[:])
		if match == 1 {
			found = a.role
		}
	}
	if found == roleNone {
		return roleNone, newError(codeAuthFailed, user+": Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)")
	}
	return found, nil
}
