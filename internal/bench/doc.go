// Package bench is the harness behind `bussola bench ingest|intake|reports`:
// benchmarks that print figures (events per second end to end and per
// stage, intake answer times under concurrency, report endpoints' p50/p95
// with and without the cache). Each benchmark parses its own flags and
// drives a Service that cmd/bussola starts through Open: the wiring and
// the service configuration stay in main.
//
// It may import the application packages and the ClickHouse adapter; it
// must not start the embedded engines itself.
package bench
