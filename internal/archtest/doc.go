// Package archtest holds the import rules of Bussola's packages as data and
// a test that checks every package of the module against them, reading the
// dependency graph from `go list -deps -json ./...`. The rules are the
// directions of ARCHITECTURE.md: ingest and reports never import each
// other; the domain packages (schemas, privacy, assessment, analytics,
// scoring) never import internal/ nor the application packages; no pure
// package imports a Kafka or ClickHouse driver; schemas uses only the
// standard library; only cmd/ starts the embedded engines and wires the
// whole.
//
// It has no code besides its test and imports nothing.
package archtest
