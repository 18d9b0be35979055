// Package reportstore is the ClickHouse implementation of reports.Store:
// the aggregates behind the report pages, read over clickhouse-go/v2 with
// the SQL kept in named files under sql/ (embedded, loaded by name).
//
// Queries return raw aggregates with exact group sizes (uniqExact on the
// UInt64 pseudonym); suppression is the reports package's job, never done
// here. Adoption and diary person-week panels are built in SQL from the
// intranet_daily rollup and diary_entries, cached per tenant and period,
// filtered in Go, and fed to analytics (Callaway & Sant'Anna staggered DiD,
// event study) and analytics/text (diary terms). Results are cached per
// tenant, pilot and filters and dropped as soon as any source table
// changes (its parts' block numbers, checked with one cheap query on
// system.parts per request).
//
// It may import reports (for the types it returns), analytics, schemas and
// the ClickHouse driver. It must not import ingest, cmd or the HTTP layers.
package reportstore
