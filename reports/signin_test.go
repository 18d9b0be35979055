package reports_test

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

// fakeClock is a clock the tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// withClock serves with the loopback as a trusted proxy (so a test can
// sign in "from" any address through X-Forwarded-For) and clock as the
// sessions' and limits' time.
func withClock(clock *fakeClock) startOpts {
	return startOpts{config: trustLoopback, server: func(s *reports.Server) { reports.SetClock(s, clock.Now) }}
}

// trustLoopback makes the loopback a trusted proxy.
func trustLoopback(c *reports.Config) {
	c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

// signInResult is the answer to one sign-in attempt.
type signInResult struct {
	status     int
	retryAfter string
	body       string
	cookie     *http.Cookie // the session cookie set, if any
}

// signIn opens the login form and posts user and password from addr (an
// X-Forwarded-For the server trusts; "" for none), in Italian unless lang
// is "en".
func (e *env) signIn(tb testing.TB, user, password, addr, lang string) signInResult {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	_, body := get(tb, c, e.ts.URL+"/login")
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		tb.Fatal("login page has no csrf token")
	}
	form := url.Values{"csrf": {m[1]}, "username": {user}, "password": {password}, "lang": {lang}}
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	resp, err := c.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	r := signInResult{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), body: readAll(tb, resp)}
	for _, ck := range resp.Cookies() {
		if ck.Name == "bussola_session" && ck.Value != "" {
			r.cookie = ck
		}
	}
	return r
}

// with returns the status of a readiness data request carrying only cookie.
func (e *env) with(tb testing.TB, cookie *http.Cookie) int {
	tb.Helper()
	return e.withAt(tb, cookie, "/reports/readiness/data.json")
}

// withAt returns the status of a GET of path carrying only cookie.
func (e *env) withAt(tb testing.TB, cookie *http.Cookie, path string) int {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	req.AddCookie(cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	readAll(tb, resp)
	return resp.StatusCode
}

func retrySeconds(tb testing.TB, r signInResult) int {
	tb.Helper()
	n, err := strconv.Atoi(r.retryAfter)
	if err != nil || n < 1 {
		tb.Fatalf("status %d: Retry-After %q, want whole seconds >= 1", r.status, r.retryAfter)
	}
	return n
}

func TestBruteForceIsThrottled(t *testing.T) {
	clock := newFakeClock()
	e := mustStartWith(t, withClock(clock))

	t.Run("ErrTooManyRequests 200 wrong passwords for one username from 200 addresses get 429 after 5, the right password too", func(t *testing.T) {
		for i := range 200 {
			r := e.signIn(t, reportstest.HRA, fmt.Sprintf("wrong-%d", i), fmt.Sprintf("10.1.%d.%d", i/200, i%200+1), "")
			switch {
			case i < 5 && r.status != http.StatusUnauthorized:
				t.Fatalf("attempt %d: status %d, want 401", i+1, r.status)
			case i >= 5 && r.status != http.StatusTooManyRequests:
				t.Fatalf("attempt %d: status %d, want 429", i+1, r.status)
			case i >= 5:
				retrySeconds(t, r)
			}
		}
		r := e.signIn(t, reportstest.HRA, reportstest.Password, "10.1.9.9", "")
		if r.status != http.StatusTooManyRequests || r.cookie != nil {
			t.Fatalf("right password while locked: status %d, session cookie %v; want 429 and none", r.status, r.cookie != nil)
		}
		if retrySeconds(t, r); !strings.Contains(r.body, "Troppi tentativi di accesso: riprova tra") {
			t.Fatalf("429 page does not say why in Italian:\n%s", r.body)
		}
		if r := e.signIn(t, reportstest.HRA, reportstest.Password, "10.1.9.9", "en"); !strings.Contains(r.body, "Too many sign-in attempts: try again in") {
			t.Fatalf("429 page does not say why in English:\n%s", r.body)
		}
	})

	t.Run("ErrTooManyRequests 200 wrong passwords from one address over 200 usernames get 429 after 20, the right password of another user too", func(t *testing.T) {
		for i := range 200 {
			r := e.signIn(t, fmt.Sprintf("nobody.%d", i), "wrong-password", "10.2.0.1", "")
			switch {
			case i < 20 && r.status != http.StatusUnauthorized:
				t.Fatalf("attempt %d: status %d, want 401", i+1, r.status)
			case i >= 20 && r.status != http.StatusTooManyRequests:
				t.Fatalf("attempt %d: status %d, want 429", i+1, r.status)
			}
		}
		if r := e.signIn(t, reportstest.LeadA, reportstest.Password, "10.2.0.1", ""); r.status != http.StatusTooManyRequests || r.cookie != nil {
			t.Fatalf("right password from the locked address: status %d, want 429", r.status)
		}
		if r := e.signIn(t, reportstest.LeadA, reportstest.Password, "10.2.0.2", ""); r.status != http.StatusSeeOther || r.cookie == nil {
			t.Fatalf("right password from another address: status %d, want 303 with a session", r.status)
		}
	})

	t.Run("ErrTooManyRequests 40 concurrent guesses for one username get no more password checks than the limit", func(t *testing.T) {
		var mu sync.Mutex
		statuses := map[int]int{}
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.signIn(t, reportstest.ExecAB, fmt.Sprintf("guess-%d", i), fmt.Sprintf("10.4.0.%d", i+1), "")
				mu.Lock()
				statuses[r.status]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if statuses[http.StatusUnauthorized] > 5 || statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != 40 {
			t.Fatalf("statuses %v: want at most 5 checked (401), the rest 429", statuses)
		}
	})

	t.Run("OK the lock ends after Retry-After, the next failure doubles it and a success clears the username", func(t *testing.T) {
		r := e.signIn(t, reportstest.HRA, "wrong", "10.3.0.1", "")
		first := retrySeconds(t, r)
		clock.Advance(time.Duration(first+1) * time.Second)
		if r := e.signIn(t, reportstest.HRA, "still-wrong", "10.3.0.2", ""); r.status != http.StatusUnauthorized {
			t.Fatalf("after the lock: status %d, want 401 (the password is checked again)", r.status)
		}
		r = e.signIn(t, reportstest.HRA, reportstest.Password, "10.3.0.3", "")
		if second := retrySeconds(t, r); second != 2*first {
			t.Fatalf("lock after one more failure: %ds, want %ds (doubled)", second, 2*first)
		}
		clock.Advance(time.Duration(2*first+1) * time.Second)
		if r := e.signIn(t, reportstest.HRA, reportstest.Password, "10.3.0.4", ""); r.status != http.StatusSeeOther {
			t.Fatalf("right password after the lock: status %d, want 303", r.status)
		}
		if r := e.signIn(t, reportstest.HRA, "wrong", "10.3.0.5", ""); r.status != http.StatusUnauthorized {
			t.Fatalf("a failure after a success: status %d, want 401 (the success cleared the count)", r.status)
		}
	})
}

// TestSignInTimingDoesNotTellUsersApart compares, through the whole
// sign-in, the median time of a wrong password for an existing user with
// that of an unknown user: their ratio must stay within 0.5-2 (a dummy
// hash at bcrypt's least cost, 4, makes it about 0.25).
func TestSignInTimingDoesNotTellUsersApart(t *testing.T) {
	h, err := bcrypt.GenerateFromPassword([]byte("prova-password-2"), 6)
	if err != nil {
		t.Fatal(err)
	}
	users, err := reports.NewUserStore(reports.UsersFile{Users: []reports.UserRecord{{Username: "hr.a", PasswordHash: string(h)}}})
	if err != nil {
		t.Fatal(err)
	}
	e := mustStartWith(t, startOpts{users: users, config: func(c *reports.Config) {
		c.Login = reports.LoginLimits{UserFailures: 1000, AddrFailures: 1000}
	}})
	timed := func(user string) time.Duration {
		start := time.Now()
		if r := e.signIn(t, user, "wrong-password", "", ""); r.status != http.StatusUnauthorized {
			t.Fatalf("%s: status %d, want 401", user, r.status)
		}
		return time.Since(start)
	}
	var unknown, wrong []time.Duration
	for i := range 9 {
		unknown = append(unknown, timed(fmt.Sprintf("nobody.%d", i)))
		wrong = append(wrong, timed("hr.a"))
	}
	slices.Sort(unknown)
	slices.Sort(wrong)
	ratio := float64(unknown[4]) / float64(wrong[4])
	t.Logf("median unknown user %v, median wrong password %v, ratio %.2f", unknown[4], wrong[4], ratio)
	if ratio < 0.5 || ratio > 2 {
		t.Fatalf("ratio of medians %.2f outside 0.5-2: usernames can be told apart by timing", ratio)
	}
}

// csrfOf returns the CSRF token of the session behind c (from a page's
// logout form).
func (e *env) csrfOf(tb testing.TB, c *http.Client) string {
	tb.Helper()
	_, body := get(tb, c, e.ts.URL+"/account/password")
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		tb.Fatal("page has no csrf token")
	}
	return m[1]
}

func sessionCookieOf(tb testing.TB, e *env, c *http.Client) *http.Cookie {
	tb.Helper()
	u, _ := url.Parse(e.ts.URL + "/")
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "bussola_session" {
			return ck
		}
	}
	tb.Fatal("no session cookie")
	return nil
}

func TestLogoutEndsTheSessionOnTheServer(t *testing.T) {
	e := mustStart(t)
	c := e.client(t, reportstest.HRA)
	saved := sessionCookieOf(t, e, c)
	if s := e.with(t, saved); s != http.StatusOK {
		t.Fatalf("saved cookie before logout: status %d, want 200", s)
	}
	resp, err := c.PostForm(e.ts.URL+"/logout", url.Values{"csrf": {e.csrfOf(t, c)}})
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: status %d", resp.StatusCode)
	}
	if s := e.with(t, saved); s != http.StatusUnauthorized {
		t.Fatalf("cookie saved before logout: status %d, want 401", s)
	}
}

func TestPasswordChangeEndsEverySession(t *testing.T) {
	users := reportstest.MustUsers(t)
	reports.SetHashCost(users, bcrypt.MinCost) // BcryptCost takes seconds under -race
	e := mustStartWith(t, startOpts{users: users})
	a, b := e.client(t, reportstest.HRA), e.client(t, reportstest.HRA)
	aOld, bOld := sessionCookieOf(t, e, a), sessionCookieOf(t, e, b)
	other := e.client(t, reportstest.LeadA)
	change := func(current, next, confirm string) (int, string) {
		resp, err := a.PostForm(e.ts.URL+"/account/password", url.Values{"csrf": {e.csrfOf(t, a)}, "current": {current}, "new": {next}, "confirm": {confirm}})
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, readAll(t, resp)
	}
	const newPassword = "nuova-password-2026"
	for _, tc := range []struct{ name, current, next, confirm, want string }{
		{"ErrInvalid a wrong current password names the field", "wrong", newPassword, newPassword, "Password attuale: non corrisponde."},
		{"ErrInvalid a short new password names the field and the rule", reportstest.Password, "short", "short", "Nuova password: deve avere almeno 8 caratteri."},
		{"ErrInvalid a confirmation that differs names the field", reportstest.Password, newPassword, newPassword + "x", "Conferma: deve essere uguale alla nuova password."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if s, body := change(tc.current, tc.next, tc.confirm); s != http.StatusBadRequest || !strings.Contains(body, tc.want) {
				t.Fatalf("status %d, want 400 with %q:\n%s", s, tc.want, body)
			}
			if s := e.with(t, bOld); s != http.StatusOK {
				t.Fatalf("a refused change ended another session: %d", s)
			}
		})
	}
	if s, body := change(reportstest.Password, newPassword, newPassword); s != http.StatusOK || !strings.Contains(body, "Password cambiata") {
		t.Fatalf("change: status %d:\n%s", s, body)
	}
	t.Run("ErrUnauthorized the user's other browser is signed out", func(t *testing.T) {
		if s := e.with(t, bOld); s != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", s)
		}
	})
	t.Run("ErrUnauthorized the cookie this browser had before the change is refused", func(t *testing.T) {
		if s := e.with(t, aOld); s != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", s)
		}
	})
	t.Run("OK this browser goes on under a new session, and other users are untouched", func(t *testing.T) {
		if s, _ := get(t, a, e.ts.URL+"/reports/readiness/data.json"); s != http.StatusOK {
			t.Fatalf("changer: status %d", s)
		}
		if s, _ := get(t, other, e.ts.URL+"/reports/impact/data.json"); s != http.StatusOK {
			t.Fatalf("other user: status %d", s)
		}
	})
	t.Run("OK the new password signs in and the old one no longer does", func(t *testing.T) {
		if r := e.signIn(t, reportstest.HRA, reportstest.Password, "", ""); r.status != http.StatusUnauthorized {
			t.Fatalf("old password: status %d", r.status)
		}
		if r := e.signIn(t, reportstest.HRA, newPassword, "", ""); r.status != http.StatusSeeOther {
			t.Fatalf("new password: status %d", r.status)
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	clock := newFakeClock()
	e := mustStartWith(t, withClock(clock))
	t.Run("ErrUnauthorized a session idle for longer than 30 minutes ends; use keeps it alive", func(t *testing.T) {
		ck := e.signIn(t, reportstest.HRA, reportstest.Password, "", "").cookie
		for i := range 3 {
			clock.Advance(29 * time.Minute)
			if s := e.with(t, ck); s != http.StatusOK {
				t.Fatalf("after %d x 29 minutes of use: status %d, want 200", i+1, s)
			}
		}
		clock.Advance(31 * time.Minute)
		if s := e.with(t, ck); s != http.StatusUnauthorized {
			t.Fatalf("after 31 idle minutes: status %d, want 401", s)
		}
	})
	t.Run("ErrUnauthorized a session in use ends 8 hours after sign-in", func(t *testing.T) {
		ck := e.signIn(t, reportstest.ExecA, reportstest.Password, "", "").cookie
		for elapsed := 20 * time.Minute; elapsed < 8*time.Hour; elapsed += 20 * time.Minute {
			clock.Advance(20 * time.Minute)
			if s := e.with(t, ck); s != http.StatusOK {
				t.Fatalf("after %v of use: status %d, want 200", elapsed, s)
			}
		}
		clock.Advance(21 * time.Minute)
		if s := e.with(t, ck); s != http.StatusUnauthorized {
			t.Fatalf("after 8h01: status %d, want 401", s)
		}
	})
}

// TestIdentityProviderSessionKeepsItsRoles is the contract of
// startSession for single sign-on: the roles given at sign-in hold for the
// session, whatever the users file says of the same name.
func TestIdentityProviderSessionKeepsItsRoles(t *testing.T) {
	e := mustStart(t)
	ck := reports.StartIdentityProviderSession(e.srv, reports.User{Username: reportstest.AdminA,
		Roles: map[string][]reports.Role{reportstest.TenantA: {reports.RoleHR}}})
	if s := e.with(t, ck); s != http.StatusOK {
		t.Fatalf("readiness with the provider's hr role: status %d, want 200", s)
	}
	if s := e.withAt(t, ck, "/reports/pipeline/data.json"); s != http.StatusForbidden {
		t.Fatalf("pipeline (admin in the users file, hr from the provider): status %d, want 403", s)
	}
	if s := e.withAt(t, ck, "/account/password"); s != http.StatusNotFound {
		t.Fatalf("password page for a provider's session: status %d, want 404", s)
	}
}
