package reports

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// LoginLimits configures the sign-in rate limits. A username, and a client
// address, may fail to sign in a number of times for free; each further
// failure locks it for a back-off that doubles from LockBase up to LockMax.
// While locked every attempt gets 429 with Retry-After, the right password
// included, and costs no password check. A success clears the username's
// failures (not the address's: one valid account must not buy an address
// more guesses at the others). Failures are forgotten after
// loginForgetAfter without one.
type LoginLimits struct {
	// UserFailures is how many failures a username has before it is
	// locked (default 5).
	UserFailures int
	// AddrFailures is the same for a client address (an IPv6 address
	// counts by its /64). It is higher by default (20) because an office
	// may sign in from behind one address.
	AddrFailures int
	// LockBase is the first lock (default 30s); LockMax the longest
	// (default 15m).
	LockBase, LockMax time.Duration
}

const (
	// loginForgetAfter: failures older than this are forgotten.
	loginForgetAfter = time.Hour
	// loginTracked bounds the usernames and the addresses tracked (each):
	// beyond it the least recently seen is forgotten.
	loginTracked = 10_000
	// loginKeyMax bounds the length of a tracked username.
	loginKeyMax = 128
)

func (l LoginLimits) withDefaults() (LoginLimits, error) {
	if l.UserFailures == 0 {
		l.UserFailures = 5
	}
	if l.AddrFailures == 0 {
		l.AddrFailures = 20
	}
	if l.LockBase == 0 {
		l.LockBase = 30 * time.Second
	}
	if l.LockMax == 0 {
		l.LockMax = 15 * time.Minute
	}
	if l.UserFailures < 1 || l.AddrFailures < 1 || l.LockBase <= 0 || l.LockMax < l.LockBase {
		return l, errors.New("login limits: failures must be at least 1 and 0 < LockBase <= LockMax")
	}
	return l, nil
}

// failures is what the limiter knows of one username or address.
type failures struct {
	count int
	last  time.Time // last failure
	until time.Time // locked until
	// prevUntil is until before the last failure, restored when that
	// attempt turns out to have succeeded.
	prevUntil time.Time
}

// loginLimiter counts failed sign-ins per username and per client address.
type loginLimiter struct {
	mu     sync.Mutex
	limits LoginLimits
	users  *simplelru.LRU[string, *failures]
	addrs  *simplelru.LRU[string, *failures]
	now    func() time.Time
}

func newLoginLimiter(l LoginLimits) *loginLimiter {
	users, _ := simplelru.NewLRU[string, *failures](loginTracked, nil) // size > 0: no error
	addrs, _ := simplelru.NewLRU[string, *failures](loginTracked, nil)
	return &loginLimiter{limits: l, users: users, addrs: addrs, now: time.Now}
}

func userKey(username string) string {
	if len(username) > loginKeyMax {
		return username[:loginKeyMax]
	}
	return username
}

// begin asks to check a password for this username from this address. It
// returns how long they must wait, or 0 and counts the attempt as a
// failure at once, so concurrent guesses cannot all pass before the first
// is counted; succeeded takes the count back.
func (l *loginLimiter) begin(username, addr string) time.Duration {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	var w time.Duration
	for _, f := range []*failures{l.peek(l.users, userKey(username), now), l.peek(l.addrs, addr, now)} {
		if f != nil && f.until.After(now) {
			w = max(w, f.until.Sub(now))
		}
	}
	if w == 0 {
		l.fail(l.users, userKey(username), l.limits.UserFailures, now)
		l.fail(l.addrs, addr, l.limits.AddrFailures, now)
	}
	return w
}

// peek returns the live record of key, forgetting a stale one.
func (l *loginLimiter) peek(c *simplelru.LRU[string, *failures], key string, now time.Time) *failures {
	f, ok := c.Get(key)
	if !ok {
		return nil
	}
	if now.Sub(f.last) > loginForgetAfter && !f.until.After(now) {
		c.Remove(key)
		return nil
	}
	return f
}

func (l *loginLimiter) fail(c *simplelru.LRU[string, *failures], key string, free int, now time.Time) {
	f := l.peek(c, key, now)
	if f == nil {
		f = &failures{}
		c.Add(key, f)
	}
	f.count++
	f.last = now
	f.prevUntil = f.until
	if over := f.count - free; over >= 0 {
		lock := l.limits.LockMax
		if over < 30 {
			lock = min(l.limits.LockBase<<over, l.limits.LockMax)
		}
		f.until = now.Add(lock)
	}
}

// succeeded clears the username's failures and takes back the address's
// count of this attempt.
func (l *loginLimiter) succeeded(username, addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.users.Remove(userKey(username))
	if f, ok := l.addrs.Peek(addr); ok && f.count > 0 {
		f.count--
		f.until = f.prevUntil
	}
}

// clientAddr is the address the per-address limit counts: the
// connection's, or, from a trusted proxy, the nearest untrusted address in
// X-Forwarded-For. IPv6 addresses count by their /64, which one host
// usually holds whole.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	ip := remoteIP(r.RemoteAddr)
	if ip.IsValid() && isTrusted(ip, trusted) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			ip = hop.Unmap()
			if !isTrusted(ip, trusted) {
				break
			}
		}
	}
	if !ip.IsValid() {
		return r.RemoteAddr
	}
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

func remoteIP(hostport string) netip.Addr {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return ip.Unmap()
}

func isTrusted(ip netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
