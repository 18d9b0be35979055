// Package attack is a differencing attacker against the report server: it
// signs in as report users of each role and, with GET requests only, asks
// every page, data endpoint, export and the assessment API for every
// filter combination an organisation chart suggests, then subtracts
// published groups from one another to find groups smaller than the
// minimum whose value the published numbers give away (issue 9).
//
// It also reports what is not a subtraction: a person's membership of a
// group below the minimum (a remainder that counts nobody of 1 to k-1
// people; a weekly series of such a group with weeks left out), and any
// number of a printed page (PDF) that data.json does not give at that
// precision.
//
// It speaks HTTP only and imports, besides the standard library, only the
// readers a viewer would open the exports with (excelize for XLSX, a PDF
// text reader): it knows the server as any signed-in user does, not its
// code. The ground truth it checks its derivations against is an Oracle
// the caller supplies.
package attack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Roles of the report users the attacker signs in as.
const (
	RoleHR          = "hr"
	RoleProjectLead = "project_lead"
	RoleExecutive   = "executive"
)

// Group is a cell of the organisation chart; "" means every value.
type Group struct {
	Unit, Grade, Cohort string
}

// Headcount is the number of people of one unit x grade x cohort.
type Headcount struct {
	Group
	N int
}

// OrgChart is what HR knows: the headcount per unit x grade x cohort.
type OrgChart []Headcount

// Count is the headcount of every person matching g ("" matches all).
func (o OrgChart) Count(g Group) int {
	n := 0
	for _, h := range o {
		if (g.Unit == "" || g.Unit == h.Unit) && (g.Grade == "" || g.Grade == h.Grade) && (g.Cohort == "" || g.Cohort == h.Cohort) {
			n += h.N
		}
	}
	return n
}

// values lists the distinct values of one dimension, in first-seen order.
func (o OrgChart) values(dim string) []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range o {
		v := h.Group.get(dim)
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// Viewer is one signed-in report user: a client holding the session
// cookie and, optionally, an API token of the same user.
type Viewer struct {
	Role     string
	Client   *http.Client
	APIToken string
}

// Oracle returns a page's data (the shape of the data endpoint's "data")
// for the filters v, computed without any suppression: the ground truth.
type Oracle func(ctx context.Context, page string, v url.Values) ([]byte, error)

// Target is what the attacker attacks.
type Target struct {
	BaseURL string
	Tenant  string
	Viewers []Viewer
	Org     OrgChart
	// Truth, when set, checks every derived value.
	Truth Oracle
	// MinGroup and MinText are the promised minimums (default 5 and 10).
	MinGroup, MinText int
	// Days are single days to ask the period-sensitive pages for (one-day
	// windows); Weeks are Mondays starting two-week windows that are then
	// shifted by a day and by a week (one bin).
	Days, Weeks []string
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// SignIn signs user in through the login form and returns a client that
// carries the session cookie.
func SignIn(ctx context.Context, base, user, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sign in %s: %w", user, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRE.FindSubmatch(b)
	if m == nil {
		return nil, fmt.Errorf("sign in %s: no csrf token on the login page (status %d)", user, resp.StatusCode)
	}
	form := url.Values{"username": {user}, "password": {password}, "csrf": {string(m[1])}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sign in %s: %w", user, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in %s: status %d", user, resp.StatusCode)
	}
	u, _ := url.Parse(base)
	if len(jar.Cookies(u)) == 0 {
		return nil, errors.New("sign in " + user + ": no session cookie")
	}
	return c, nil
}

func (g Group) get(dim string) string {
	switch dim {
	case "unit":
		return g.Unit
	case "grade":
		return g.Grade
	}
	return g.Cohort
}

// get fetches path (with query v) as viewer and returns the body and the
// status; any status but 200 is an error.
func (t Target) get(ctx context.Context, vw Viewer, path string, v url.Values, bearer bool) ([]byte, int, error) {
	u := t.BaseURL + path
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	c := vw.Client
	if bearer {
		req.Header.Set("Authorization", "Bearer "+vw.APIToken)
		c = &http.Client{Timeout: time.Minute}
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, resp.StatusCode, err
	}
	if resp.StatusCode != http.StatusOK {
		return b, resp.StatusCode, fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return b, resp.StatusCode, nil
}
