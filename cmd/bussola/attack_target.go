package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/attack"
	"github.com/bussola-pa/bussola/reports/figures"
)

// attackTenant is the entity the attacker works on (the example).
const attackTenant = "comune-aurelia"

// attackViewers are the demo users the attacker signs in as, one per role
// of the issue, and whether each gets an API token too.
var attackViewers = []struct {
	user, role string
	token      bool
}{
	{"hr.aurelia", attack.RoleHR, true},
	{"progetto.aurelia", attack.RoleProjectLead, false},
	{"direzione.aurelia", attack.RoleExecutive, true},
}

// setProtection chooses the disclosure control the pages apply: the
// lattice protection of package privacy, or (protect false, the attacker's
// "must find leaks" run) the per-table rule alone.
func setProtection(cfg *Config, protect bool) { cfg.unsafeNoLatticeProtection = !protect }

// openAttackTarget starts the embedded service in dir, loads the demo data
// at scale through the intake and scores it, and returns the attacker's
// target: the base URL, a signed-in client (and an API token) per role,
// the organisation chart of the entity as HR holds it (from the demo
// roster), and the raw, unsuppressed store as the ground truth.
func openAttackTarget(ctx context.Context, dir string, seed uint64, scale float64, protect bool, stdout, stderr io.Writer) (*Main, attack.Target, error) {
	cfg := Config{Embedded: true, DataDir: dir, HTTPAddr: "127.0.0.1:0", KafkaAddr: "127.0.0.1:0", ClickHouseHTTPAddr: "127.0.0.1:0",
		KafkaPartitions: 3, Database: "bussola", RetentionDays: 0, ConsumerGroup: "bussola-ingest", BatchRows: 5000,
		BatchWait: 200 * time.Millisecond, Consumers: true, MaxBodyBytes: 4 << 20}
	setProtection(&cfg, protect)
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	m.ExtraRoutes = mountReports
	if err := m.Open(ctx); err != nil {
		return nil, attack.Target{}, err
	}
	fail := func(err error) (*Main, attack.Target, error) { m.Close(); return nil, attack.Target{}, err }
	base := "http://" + m.HTTPAddr()
	sc := synth.Config{Seed: seed, Scale: scale}
	if err := loadDemo(ctx, m, sc, base, stdout, stderr); err != nil {
		return fail(err)
	}
	if err := scoreStale(ctx, m, io.Discard); err != nil {
		return fail(err)
	}
	org, err := demoOrgChart(sc, attackTenant)
	if err != nil {
		return fail(err)
	}
	pw, err := demoPasswords(dir)
	if err != nil {
		return fail(err)
	}
	raw, err := m.Store.WithReports(clickhouse.ReportOptions{Pilots: synth.DemoPilots(), NoCache: true})
	if err != nil {
		return fail(err)
	}
	// The days after each pilot wave's start, and two-week windows from
	// them, are when the diary and the publishing series are busiest.
	t := attack.Target{BaseURL: base, Tenant: attackTenant, Org: org, Truth: rawTruth(figures.New(raw)),
		Days: []string{"2025-11-05", "2026-02-03"}, Weeks: []string{"2025-11-03", "2026-02-02"}}
	for _, v := range attackViewers {
		c, err := attack.SignIn(ctx, base, v.user, pw[v.user])
		if err != nil {
			return fail(err)
		}
		vw := attack.Viewer{Role: v.role, Client: c}
		if v.token {
			var out strings.Builder
			if err := runAPIToken(ctx, []string{"create", "--data-dir", dir, "--user", v.user, "--label", "attack"}, &out, stderr); err != nil {
				return fail(fmt.Errorf("api-token create --user %s: %w", v.user, err))
			}
			vw.APIToken = strings.TrimSpace(out.String())
		}
		t.Viewers = append(t.Viewers, vw)
	}
	return m, t, nil
}

// demoOrgChart is the headcount of tenant per unit, grade and cohort, as
// the demo roster has it.
func demoOrgChart(cfg synth.Config, tenant string) (attack.OrgChart, error) {
	people, err := synth.Roster(cfg)
	if err != nil {
		return nil, err
	}
	count := map[attack.Group]int{}
	for _, p := range people {
		if p.Tenant == tenant {
			count[attack.Group{Unit: p.Unit, Grade: p.Grade, Cohort: p.Cohort}]++
		}
	}
	var org attack.OrgChart
	for g, n := range count {
		org = append(org, attack.Headcount{Group: g, N: n})
	}
	return org, nil
}

// demoPasswords reads the demo users' passwords the embedded mode wrote.
func demoPasswords(dir string) (map[string]string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "demo-passwords.txt"))
	if err != nil {
		return nil, fmt.Errorf("demo passwords: %w", err)
	}
	out := map[string]string{}
	for line := range strings.Lines(string(b)) {
		name, pw, ok := strings.Cut(strings.TrimSpace(line), " ")
		if ok && !strings.HasPrefix(name, "#") {
			out[name] = pw
		}
	}
	return out, nil
}

// rawTruth answers a page's data for any filters straight from the store,
// before any suppression: the ground truth a derived value is checked
// against. The shape is the data endpoint's "data".
func rawTruth(st reports.Store) attack.Oracle {
	return func(ctx context.Context, page string, v url.Values) ([]byte, error) {
		q, err := reports.ParseQuery(v)
		if err != nil {
			return nil, err
		}
		q.Tenants = []string{q.Tenant}
		var d any
		switch reports.Page(page) {
		case reports.PageReadiness:
			d, err = st.Readiness(ctx, q)
		case reports.PageImpact:
			d, err = st.Impact(ctx, q)
		case reports.PageExecutive:
			d, err = st.Executive(ctx, q)
		case reports.PageCommunication:
			d, err = st.Communication(ctx, q)
		default:
			return nil, fmt.Errorf("truth: unknown page %q", page)
		}
		if err != nil {
			return nil, err
		}
		return json.Marshal(d)
	}
}
