// Package scoring is the service's readiness scoring: a job that scores
// each survey wave of the person instruments (likert and stages kinds)
// after its answers arrive and on demand, and an HTTP API that starts a
// scoring and serves its results as aggregates with minimum group sizes.
//
// The job reads a wave's answers and the intranet behaviour before it
// through the small Store interface declared here (implemented by
// internal/clickhouse, whose value types it shares), scores them with
// assessment.ScoreResponses, and writes per-person scores, segments,
// barrier points and Digital Readiness Indexes back. The API never returns
// a person's row: only group means, shares and reliabilities, with cells
// of fewer than the minimum group size hidden together with their
// complements.
//
// It must not import the ClickHouse driver directly, nor ingest or
// reports; cmd/bussola wires the store and the authentication in.
package scoring
