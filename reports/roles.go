package reports

import "slices"

// Role is what a user may do in one tenant.
type Role string

// Roles.
const (
	RoleAdmin       Role = "admin"
	RoleHR          Role = "hr"
	RoleProjectLead Role = "project_lead"
	RoleExecutive   Role = "executive"
)

// Page identifies a report page.
type Page string

// Pages.
const (
	PageReadiness     Page = "readiness"
	PageImpact        Page = "impact"
	PageExecutive     Page = "executive"
	PageCommunication Page = "communication"
	PagePipeline      Page = "pipeline"
)

// Pages lists every report page in menu order.
var Pages = []Page{PageExecutive, PageReadiness, PageImpact, PageCommunication, PagePipeline}

// pageRoles says which roles may open each page. Admins see everything of
// their tenants; the pipeline page is for admins only.
var pageRoles = map[Page][]Role{
	PageReadiness:     {RoleAdmin, RoleHR, RoleExecutive},
	PageImpact:        {RoleAdmin, RoleProjectLead, RoleExecutive},
	PageExecutive:     {RoleAdmin, RoleExecutive, RoleHR},
	PageCommunication: {RoleAdmin, RoleHR},
	PagePipeline:      {RoleAdmin},
}

// User is a signed-in person with roles per tenant.
type User struct {
	Username string
	// Roles maps a tenant slug to the user's roles in it.
	Roles map[string][]Role
}

// Can reports whether the user may open page for tenant.
func (u User) Can(p Page, tenant string) bool {
	for _, r := range u.Roles[tenant] {
		if slices.Contains(pageRoles[p], r) {
			return true
		}
	}
	return false
}

// TenantsFor lists, sorted, the tenants for which the user may open page.
func (u User) TenantsFor(p Page) []string {
	var out []string
	for t := range u.Roles {
		if u.Can(p, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// PagesFor lists the pages the user may open for tenant, in menu order.
func (u User) PagesFor(tenant string) []Page {
	var out []Page
	for _, p := range Pages {
		if u.Can(p, tenant) {
			out = append(out, p)
		}
	}
	return out
}
