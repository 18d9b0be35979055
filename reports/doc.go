// Package reports serves Bussola's interactive reports: the digital-readiness,
// pilot-impact, executive-summary, communication and pipeline-status pages,
// their JSON data endpoints and their CSV, XLSX and PDF exports, behind a
// login with roles per tenant: local accounts, and, when configured, single
// sign-on through the entity's OpenID Connect provider with roles mapped
// from its groups (oidc.go).
//
// It is private by construction. Every request passes one choke point
// (Server.scope) that checks the user's roles on the requested tenant, and
// every aggregate leaving the server, whatever the route or the format, is
// passed through the suppression layer (suppress.go), which hides cells
// below the minimum group size and applies complementary suppression. The
// store is never trusted to suppress.
//
// The package reads data through the small interfaces it declares (Store,
// PipelineSource, UserStore, AuditLog). It must not import ingest, the
// ClickHouse driver or any other adapter; cmd/bussola wires the
// implementations in. ECharts assets are served by the application itself
// from Config.AssetsDir: no page loads anything from another host.
package reports
