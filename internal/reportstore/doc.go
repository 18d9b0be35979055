// Package reportstore is the ClickHouse implementation of reports.Store:
// the aggregates behind the report pages, read over clickhouse-go/v2 with
// the SQL kept in named files under sql/ (embedded, loaded by name).
//
// Queries return raw aggregates with exact group sizes (uniqExact on the
// UInt64 pseudonym); suppression is the reports package's job, never done
// here. Filters apply in SQL. Intranet person-week panels and people
// counts read the intranet_weekly rollup for whole weeks and intranet_daily
// for the days of a partial first or last week, so every period gives the
// daily rollup's numbers; diary panels come from diary_entries. Panels are
// compact pointer-free rows fed to analytics (Callaway & Sant'Anna
// staggered DiD, event study); diary terms use analytics/text's tokens.
// Every read of a raw table (diary_entries, survey_answers) says FINAL:
// a record may sit there twice until a merge (a consumer that lost its
// partition while its insert was on the wire lands a copy no fencing can
// recall, a client re-posts), and the pages count it once. The tables are
// small beside the intranet rollups, so FINAL costs little.
// The independent parts of a page run at once. Results are cached per
// tenant, pilot and filters and dropped as soon as any source table
// changes (its parts' block numbers, checked with one cheap query on
// system.parts per request); with the cache off every request computes
// its page from ClickHouse.
//
// It may import reports (for the types it returns), analytics, schemas and
// the ClickHouse driver. It must not import ingest, cmd or the HTTP layers.
package reportstore
