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
// passed through the disclosure control (disclosure*.go): the store returns
// a page family's lattice of cells, privacy.Protect hides the small cells
// and their complements over all margins at once (cached per tenant, family
// and data version), and the page publishes only published cells, at the
// precision it shows; figures outside a lattice are entity-only. The
// per-table rule (suppress.go) still runs on top. The store is never
// trusted to suppress.
//
// Sign-in is rate limited per username and per client address
// (loginlimit.go). Sessions are kept in this process's memory and the
// cookie carries only a random ID (session.go), so logout, a password
// change, the idle timeout and the lifetime end them on the server; a
// restart signs everyone out. startSession is the one way a session
// starts, for the login form and for an identity provider's callback.
//
// The package reads data through the small interfaces it declares (Store,
// PipelineSource, UserStore, AuditLog). It must not import ingest, the
// ClickHouse driver or any other adapter; cmd/bussola wires the
// implementations in. ECharts assets are served by the application itself
// from Config.AssetsDir: no page loads anything from another host.
package reports
