package reports

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"sync"
	"time"
)

// Session defaults (Config.SessionIdleTimeout, Config.SessionLifetime) and
// bounds.
const (
	DefaultSessionIdleTimeout = 30 * time.Minute
	DefaultSessionLifetime    = 8 * time.Hour
	// maxSessionsPerUser bounds one user's open sessions: a new sign-in
	// beyond it ends that user's least recently used session.
	maxSessionsPerUser = 16
	// maxSessions bounds the store; at the bound a new session first sweeps
	// the expired ones, then ends the least recently used.
	maxSessions = 100_000
	// sweepEvery is how often, at most, a new session sweeps expired ones.
	sweepEvery = time.Minute
)

// sessionOrigin says where a session's user and roles come from.
type sessionOrigin int

const (
	// originLocal: the users file. Roles are looked up on every request,
	// so a revoked role or a deleted user takes effect at once.
	originLocal sessionOrigin = iota
	// originOIDC: the entity's identity provider. Roles are those mapped
	// from the claims at sign-in, fixed for the session's life.
	originOIDC
)

// session is one signed-in browser, kept on the server. The cookie holds
// only its random ID; the store keys sessions by the ID's SHA-256, so the
// IDs themselves are never kept in memory.
type session struct {
	User     User
	Origin   sessionOrigin
	CSRF     string // token this session's forms carry
	Created  time.Time
	LastSeen time.Time
	key      [32]byte
}

// sessionStore keeps the sessions of this process in memory. A restart
// ends every session (users sign in again): nothing about a session is
// written to disk, so nothing there can be replayed or forged.
type sessionStore struct {
	mu        sync.Mutex
	byKey     map[[32]byte]*session
	byUser    map[string]map[[32]byte]struct{}
	idle      time.Duration
	lifetime  time.Duration
	lastSweep time.Time
	now       func() time.Time
}

func newSessionStore(idle, lifetime time.Duration) *sessionStore {
	return &sessionStore{
		byKey: map[[32]byte]*session{}, byUser: map[string]map[[32]byte]struct{}{},
		idle: idle, lifetime: lifetime, now: time.Now,
	}
}

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand panics on failure)
	return base64.RawURLEncoding.EncodeToString(b)
}

func sessionKey(id string) [32]byte { return sha256.Sum256([]byte(id)) }

// create stores a new session for u and returns its ID (the cookie value).
func (st *sessionStore) create(u User, origin sessionOrigin) (string, session) {
	id := randomToken(32)
	now := st.now()
	s := &session{User: u, Origin: origin, CSRF: randomToken(32), Created: now, LastSeen: now, key: sessionKey(id)}
	st.mu.Lock()
	defer st.mu.Unlock()
	if now.Sub(st.lastSweep) >= sweepEvery || len(st.byKey) >= maxSessions {
		st.sweepLocked(now)
	}
	if len(st.byKey) >= maxSessions {
		st.evictLocked(st.byKey)
	}
	if mine := st.byUser[u.Username]; len(mine) >= maxSessionsPerUser {
		own := make(map[[32]byte]*session, len(mine))
		for k := range mine {
			own[k] = st.byKey[k]
		}
		st.evictLocked(own)
	}
	st.byKey[s.key] = s
	if st.byUser[u.Username] == nil {
		st.byUser[u.Username] = map[[32]byte]struct{}{}
	}
	st.byUser[u.Username][s.key] = struct{}{}
	return id, *s
}

// get returns the live session with this ID and marks it used now. A
// session idle for longer than the idle timeout, or older than its
// lifetime, is deleted and not returned.
func (st *sessionStore) get(id string) (session, bool) {
	if id == "" {
		return session{}, false
	}
	k := sessionKey(id)
	now := st.now()
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.byKey[k]
	if !ok {
		return session{}, false
	}
	if st.expired(s, now) {
		st.deleteLocked(k)
		return session{}, false
	}
	s.LastSeen = now
	return *s, true
}

func (st *sessionStore) expired(s *session, now time.Time) bool {
	return now.Sub(s.LastSeen) > st.idle || now.Sub(s.Created) > st.lifetime
}

// delete ends the session with this ID, if any.
func (st *sessionStore) delete(id string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.deleteLocked(sessionKey(id))
}

// revokeUser ends every session of username and returns how many.
func (st *sessionStore) revokeUser(username string) int {
	st.mu.Lock()
	defer st.mu.Unlock()
	mine := st.byUser[username]
	for k := range mine {
		st.deleteLocked(k)
	}
	return len(mine)
}

func (st *sessionStore) deleteLocked(k [32]byte) {
	s, ok := st.byKey[k]
	if !ok {
		return
	}
	delete(st.byKey, k)
	if mine := st.byUser[s.User.Username]; mine != nil {
		delete(mine, k)
		if len(mine) == 0 {
			delete(st.byUser, s.User.Username)
		}
	}
}

// sweepLocked deletes every expired session.
func (st *sessionStore) sweepLocked(now time.Time) {
	st.lastSweep = now
	for k, s := range st.byKey {
		if st.expired(s, now) {
			st.deleteLocked(k)
		}
	}
}

// evictLocked deletes the least recently used session among among.
func (st *sessionStore) evictLocked(among map[[32]byte]*session) {
	var oldest *session
	for _, s := range among {
		if oldest == nil || s.LastSeen.Before(oldest.LastSeen) {
			oldest = s
		}
	}
	if oldest != nil {
		st.deleteLocked(oldest.key)
	}
}

// len returns the number of stored sessions, expired ones included until
// swept.
func (st *sessionStore) len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.byKey)
}

// csrfOK compares a submitted form token with the session's.
func (s session) csrfOK(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) == 1
}
