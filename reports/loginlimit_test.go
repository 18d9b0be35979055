package reports

import (
	"fmt"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"
)

func TestLoginLimiterMemoryIsBounded(t *testing.T) {
	l := newLoginLimiter(LoginLimits{UserFailures: 5, AddrFailures: 20, LockBase: time.Second, LockMax: time.Minute})
	for i := range 3 * loginTracked {
		l.begin(fmt.Sprintf("user.%d.%0200d", i, 0), fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
	}
	if n, m := l.users.Len(), l.addrs.Len(); n > loginTracked || m > loginTracked {
		t.Fatalf("tracked %d usernames and %d addresses, want at most %d each", n, m, loginTracked)
	}
	for _, k := range l.users.Keys() {
		if len(k) > loginKeyMax {
			t.Fatalf("a tracked username is %d bytes long, want at most %d", len(k), loginKeyMax)
		}
	}
}

func TestLoginLimiterForgetsOldFailures(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	l := newLoginLimiter(LoginLimits{UserFailures: 2, AddrFailures: 100, LockBase: time.Second, LockMax: time.Minute})
	l.now = func() time.Time { return now }
	l.begin("hr.a", "10.0.0.1")
	now = now.Add(loginForgetAfter + time.Second)
	l.begin("hr.a", "10.0.0.1")
	if w := l.begin("hr.a", "10.0.0.1"); w != 0 {
		t.Fatalf("a failure older than %v still counted: wait %v", loginForgetAfter, w)
	}
	if w := l.begin("hr.a", "10.0.0.1"); w != time.Second {
		t.Fatalf("two fresh failures: wait %v, want 1s", w)
	}
}

func TestClientAddr(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	for _, tc := range []struct {
		name, remote, xff, want string
	}{
		{"OK a direct client is its connection's address", "203.0.113.7:5000", "", "203.0.113.7"},
		{"ErrSpoofed X-Forwarded-For from an untrusted client is ignored", "203.0.113.7:5000", "198.51.100.1", "203.0.113.7"},
		{"OK behind a trusted proxy the forwarded address counts", "192.0.2.10:5000", "198.51.100.1", "198.51.100.1"},
		{"ErrSpoofed behind a trusted proxy a client's own X-Forwarded-For hop is not believed", "192.0.2.10:5000", "10.9.9.9, 198.51.100.1", "198.51.100.1"},
		{"OK a chain of trusted proxies is walked", "192.0.2.10:5000", "198.51.100.1, 192.0.2.11", "198.51.100.1"},
		{"OK an IPv6 client counts by its /64", "[2001:db8:1:2:3:4:5:6]:5000", "", "2001:db8:1:2::/64"},
		{"OK an IPv4-mapped IPv6 address counts as IPv4", "[::ffff:203.0.113.7]:5000", "", "203.0.113.7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/login", nil)
			r.RemoteAddr = tc.remote
			if tc.xff != "" {
				r.Header.Set("X-Forwarded-For", tc.xff)
			}
			if got := clientAddr(r, proxies); got != tc.want {
				t.Fatalf("clientAddr = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSessionStoreBounds(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	st := newSessionStore(30*time.Minute, 8*time.Hour)
	st.now = func() time.Time { return now }
	u := User{Username: "hr.a"}
	first, _ := st.create(u, originLocal)
	for range 2 * maxSessionsPerUser {
		now = now.Add(time.Second)
		st.create(u, originLocal)
	}
	t.Run("OK one user keeps at most maxSessionsPerUser sessions, the least recently used ending first", func(t *testing.T) {
		if n := len(st.byUser["hr.a"]); n != maxSessionsPerUser || st.len() != maxSessionsPerUser {
			t.Fatalf("%d sessions of the user, %d stored, want %d", n, st.len(), maxSessionsPerUser)
		}
		if _, ok := st.get(first); ok {
			t.Fatal("the oldest session survived")
		}
	})
	t.Run("OK expired sessions are swept when a session starts", func(t *testing.T) {
		now = now.Add(31 * time.Minute)
		st.create(User{Username: "lead.a"}, originLocal)
		if st.len() != 1 {
			t.Fatalf("%d sessions stored after the sweep, want 1", st.len())
		}
		if len(st.byUser) != 1 {
			t.Fatalf("user index keeps %d users, want 1", len(st.byUser))
		}
	})
}
