// Package reportstore is the ClickHouse implementation of figures.Source:
// the raw material behind the report pages (lattices of cells, moments,
// counts, person-week panels, diary texts), read over clickhouse-go/v2
// with the SQL kept in named files under sql/ (embedded, loaded by name).
// It computes no estimate: reports/figures hands what it reads to
// analytics.
//
// Queries return raw aggregates with exact group sizes (uniqExact on the
// UInt64 pseudonym); suppression is the reports package's job, never done
// here. Filters apply in SQL. Intranet person-week panels and people
// counts read the intranet_weekly rollup for whole weeks and intranet_daily
// for the days of a partial first or last week, so every period gives the
// daily rollup's numbers; diary panels come from diary_entries. Panels are
// compact pointer-free rows of analytics' panel types. The independent
// reads of a page run at once. Panels and page results (Memo) are cached per
// tenant, pilot and filters and dropped as soon as any source table
// changes (its parts' block numbers, checked with one cheap query on
// system.parts per request); with the cache off every request computes
// its page from ClickHouse.
//
// It may import reports and reports/figures (for the types it returns),
// analytics (for its panel types and week mapping), privacy, schemas and
// the ClickHouse driver. It must not import ingest, cmd or the HTTP layers.
package reportstore
