package reportstest

import (
	"testing"

	"github.com/bussola-pa/bussola/reports"
	"golang.org/x/crypto/bcrypt"
)

// Password is the password of every fixture user.
const Password = "prova-password-2025"

// Fixture users: one per role in TenantA, an HR user of TenantB, and an
// executive entitled to both tenants.
const (
	AdminA = "admin.alfa"
	HRA    = "hr.alfa"
	LeadA  = "lead.alfa"
	ExecA  = "exec.alfa"
	HRB    = "hr.beta"
	AdminB = "admin.beta"
	ExecAB = "exec.regione"
)

// MustUsers returns a user store with the fixture users (bcrypt at the
// minimum cost, to keep tests fast).
func MustUsers(tb testing.TB) *reports.FileUserStore {
	tb.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.MinCost)
	if err != nil {
		tb.Fatal(err)
	}
	rec := func(name string, roles map[string][]reports.Role) reports.UserRecord {
		return reports.UserRecord{Username: name, PasswordHash: string(h), Roles: roles}
	}
	s, err := reports.NewUserStore(reports.UsersFile{Users: []reports.UserRecord{
		rec(AdminA, map[string][]reports.Role{TenantA: {reports.RoleAdmin}}),
		rec(HRA, map[string][]reports.Role{TenantA: {reports.RoleHR}}),
		rec(LeadA, map[string][]reports.Role{TenantA: {reports.RoleProjectLead}}),
		rec(ExecA, map[string][]reports.Role{TenantA: {reports.RoleExecutive}}),
		rec(HRB, map[string][]reports.Role{TenantB: {reports.RoleHR}}),
		rec(AdminB, map[string][]reports.Role{TenantB: {reports.RoleAdmin}}),
		rec(ExecAB, map[string][]reports.Role{TenantA: {reports.RoleExecutive}, TenantB: {reports.RoleExecutive}}),
	}})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
