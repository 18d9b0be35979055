package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
	"github.com/bussola-pa/bussola/schemas"
)

// mountReports mounts the report pages (/login, /reports/..., exports,
// assets) over the ClickHouse report store, the assessment API's reads
// (with report credentials) and the operations routes (/ and /status
// lead to the pipeline page; /status.json). Without the ECharts assets
// the reports cannot render: the service then serves only /status.json
// (with a warning) rather than refusing to start, and the assessment
// results are not served.
func mountReports(m *Main, r *gin.Engine) error {
	srv, ref, err := newReportServer(m, clickhouse.ReportOptions{}, m.Config.ReportRefreshInterval > 0)
	if err != nil {
		var missing assetsMissing
		if !errors.As(err, &missing) {
			return err
		}
		m.Log.Warn("reports not mounted: ECharts assets missing (run scripts/setup.sh or set --assets-dir)", "err", err)
		mountStatus(m, r, nil)
		return nil
	}
	if ref != nil {
		ref.Interval = m.Config.ReportRefreshInterval
		m.background = append(m.background, func(ctx context.Context) {
			if err := ref.Run(ctx); err != nil {
				m.Log.Error("report refresher stopped", "err", err)
			}
		})
	}
	srv.Register(r)
	mountAssessmentReads(m, r, srv)
	mountStatus(m, r, srv.SignedInAdmin)
	return nil
}

type assetsMissing struct{ error }

// newReportServer builds the report server from the configuration: the
// ClickHouse store with the pilot definitions, the users file, the audit
// log and the session key. opt.Pilots is filled from the configuration.
// With fresh, the pages answer from the data versions a figures.Refresher
// precomputes (returned; the caller runs it), else from ClickHouse on
// each request.
func newReportServer(m *Main, opt clickhouse.ReportOptions, fresh bool) (*reports.Server, *figures.Refresher, error) {
	cfg := m.Config
	assets := cfg.AssetsDir
	if assets == "" {
		assets = reports.DefaultAssetsDir()
	}
	if _, err := os.Stat(filepath.Join(assets, "echarts.min.js")); err != nil {
		return nil, nil, assetsMissing{fmt.Errorf("--assets-dir %s: %w", assets, err)}
	}
	pilots, err := m.reportPilots()
	if err != nil {
		return nil, nil, err
	}
	labels, err := m.reportLabels()
	if err != nil {
		return nil, nil, err
	}
	opt.Pilots = pilots
	st, err := m.Store.WithReports(opt)
	if err != nil {
		return nil, nil, err
	}
	var src figures.Source = st
	var ref *figures.Refresher
	if fresh {
		ref = figures.NewRefresher(st)
		ref.Log = m.Log
		src = ref
	}
	usersPath, err := m.reportUsersFile()
	if err != nil {
		return nil, nil, err
	}
	users, err := reports.NewFileUserStore(usersPath)
	if err != nil {
		return nil, nil, fmt.Errorf("--users-file: %w", err)
	}
	auditPath := cfg.AuditFile
	if auditPath == "" {
		auditPath = filepath.Join(cfg.DataDir, "audit.log")
	}
	if err := os.MkdirAll(filepath.Dir(auditPath), 0o750); err != nil {
		return nil, nil, fmt.Errorf("--audit-file: %w", err)
	}
	audit, err := reports.OpenAuditFile(auditPath)
	if err != nil {
		return nil, nil, fmt.Errorf("--audit-file: %w", err)
	}
	key, err := m.sessionKey()
	if err != nil {
		audit.Close()
		return nil, nil, err
	}
	sso, err := cfg.OIDC.reports()
	if err != nil {
		audit.Close()
		return nil, nil, err
	}
	srv, err := reports.New(reports.Config{BaseURL: "/", AssetsDir: assets, SessionKey: key, SecureCookies: cfg.SecureCookies,
		SessionIdleTimeout: cfg.SessionIdleTimeout, SessionLifetime: cfg.SessionLifetime, TrustedProxies: cfg.TrustedProxies,
		Login: reports.LoginLimits{UserFailures: cfg.LoginUserFailures, AddrFailures: cfg.LoginAddrFailures}, OIDC: sso,
		APITokensFile: apiTokensFile(cfg), ChromiumPath: cfg.ChromiumPath, Labels: labels, Privacy: reports.PrivacyConfig{UnsafeNoLatticeProtection: cfg.unsafeNoLatticeProtection}},
		figures.New(src), pipelineSource{m: m, store: st}, users, audit)
	if err != nil {
		audit.Close()
		return nil, nil, err
	}
	if ref != nil {
		tenants := users.Tenants()
		ref.OnBuild = func(ctx context.Context) error { return srv.Warm(ctx, tenants) }
	}
	return srv, ref, nil
}

// reportPilots reads --pilots-file. In embedded mode without one, the demo
// pilots are written to <data-dir>/pilots.json once and read from there,
// so an operator can edit them.
func (m *Main) reportPilots() ([]schemas.Pilot, error) {
	path := m.Config.PilotsFile
	if path == "" {
		if !m.Config.Embedded {
			m.Log.Warn("no --pilots-file: the impact page shows no estimates")
			return nil, nil
		}
		path = filepath.Join(m.Config.DataDir, "pilots.json")
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			if err := clickhouse.WritePilots(path, synth.DemoPilots()); err != nil {
				return nil, err
			}
			m.Log.Info("wrote the demo pilot definitions", "file", path)
		}
	}
	ps, err := clickhouse.LoadPilots(path)
	if err != nil {
		return nil, fmt.Errorf("--pilots-file: %w", err)
	}
	return ps, nil
}

// reportLabels reads --labels-file. In embedded mode without one, the demo
// display names are written to <data-dir>/labels.json once and read from
// there, so an operator can edit them.
func (m *Main) reportLabels() (reports.Labels, error) {
	path := m.Config.LabelsFile
	if path == "" {
		if !m.Config.Embedded {
			return nil, nil
		}
		path = filepath.Join(m.Config.DataDir, "labels.json")
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			b, err := json.MarshalIndent(synth.DemoLabels(), "", "  ")
			if err != nil {
				return nil, err
			}
			if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
				return nil, fmt.Errorf("write the demo labels: %w", err)
			}
			m.Log.Info("wrote the demo display names", "file", path)
		}
	}
	l, err := reports.ReadLabelsFile(path)
	if err != nil {
		return nil, fmt.Errorf("--labels-file: %w", err)
	}
	return l, nil
}

// demoUsers are the report users the embedded mode creates: an admin of
// both demo tenants, the three other roles in comune-aurelia and an
// executive entitled to both tenants.
var demoUsers = []struct {
	name  string
	roles map[string][]reports.Role
}{
	{"admin", map[string][]reports.Role{"comune-aurelia": {reports.RoleAdmin}, "comune-borgoverde": {reports.RoleAdmin}}},
	{"hr.aurelia", map[string][]reports.Role{"comune-aurelia": {reports.RoleHR}}},
	{"progetto.aurelia", map[string][]reports.Role{"comune-aurelia": {reports.RoleProjectLead}}},
	{"direzione.aurelia", map[string][]reports.Role{"comune-aurelia": {reports.RoleExecutive}}},
	{"direzione.enti", map[string][]reports.Role{"comune-aurelia": {reports.RoleExecutive}, "comune-borgoverde": {reports.RoleExecutive}}},
}

// hashDemoPassword hashes a demo user's password; tests swap in a cheaper
// cost, since five hashes at BcryptCost take tens of seconds under -race.
var hashDemoPassword = reports.HashPassword

// reportUsersFile returns --users-file. In embedded mode without one it
// creates <data-dir>/users.json with the demo users' bcrypt hashes and
// writes their random passwords once to <data-dir>/demo-passwords.txt
// (mode 0600); the log names that file, never a password.
func (m *Main) reportUsersFile() (string, error) {
	if m.Config.UsersFile != "" {
		return m.Config.UsersFile, nil
	}
	if !m.Config.Embedded {
		return "", errors.New("--users-file is required with external Kafka and ClickHouse")
	}
	path := filepath.Join(m.Config.DataDir, "users.json")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	var f reports.UsersFile
	lines := []string{"# demo report users: username password"}
	for _, u := range demoUsers {
		pw := randomHex(9)
		h, err := hashDemoPassword(pw)
		if err != nil {
			return "", err
		}
		f.Users = append(f.Users, reports.UserRecord{Username: u.name, PasswordHash: h, Roles: u.roles})
		lines = append(lines, u.name+" "+pw)
	}
	pwPath := filepath.Join(m.Config.DataDir, "demo-passwords.txt")
	if err := os.MkdirAll(m.Config.DataDir, 0o750); err != nil {
		return "", fmt.Errorf("--data-dir: %w", err)
	}
	// Removed first so a leftover file cannot keep a wider mode.
	if err := os.Remove(pwPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("write demo passwords: %w", err)
	}
	if err := os.WriteFile(pwPath, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write demo passwords: %w", err)
	}
	if err := writeJSON(path, f, 0o600); err != nil {
		return "", fmt.Errorf("write demo users: %w", err)
	}
	m.Log.Info("created demo report users; their passwords are in the passwords file", "file", path, "passwords_file", pwPath)
	return path, nil
}

// sessionKey returns the key signing the login form's CSRF tokens, kept in
// <data-dir>/session.key (mode 0600) so an open login form survives a
// restart. Sessions themselves live in memory and end on restart.
func (m *Main) sessionKey() ([]byte, error) {
	path := filepath.Join(m.Config.DataDir, "session.key")
	if b, err := os.ReadFile(path); err == nil {
		key, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(key) < 32 {
			return nil, fmt.Errorf("%s: want at least 32 hex-encoded bytes", path)
		}
		return key, nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(m.Config.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("--data-dir: %w", err)
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write session key: %w", err)
	}
	return key, nil
}

func writeJSON(path string, v any, mode os.FileMode) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), mode)
}
