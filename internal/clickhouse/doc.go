// Package clickhouse is Bussola's one ClickHouse adapter, over
// clickhouse-go/v2 (imported as chgo): it applies the schema migrations
// (migrate.go), implements ingest.Sink with batch inserts (writer.go),
// erases a person (erase.go), repairs rollups (repair.go), reads and
// writes the scoring job's answers and scores (scoring*.go) and reads the
// report pages' raw material as figures.Source (the other files): lattices
// of cells, moments, counts, person-week panels and diary texts. It
// computes no estimate: reports/figures hands what it reads to analytics. Open is the one
// way to a Store: it checks the database name by the schema's rule,
// loads the queries and connects; WithReports gives a Store with other
// report options (pilots, cache) on the same connection.
//
// Every query sits in a named file under sql/ (embedded, loaded once by
// loadQueries; the naming scheme is in queries.go).
//
// Report queries return raw aggregates with exact group sizes (uniqExact
// on the UInt64 pseudonym); suppression is the reports package's job,
// never done here. Filters apply in SQL. Intranet person-week panels and
// people counts read the intranet_weekly rollup for whole weeks and
// intranet_daily for the days of a partial first or last week, so every
// period gives the daily rollup's numbers; diary panels come from
// diary_entries. Panels are compact pointer-free rows of analytics' panel
// types. Every page's read of a raw table (diary_entries,
// survey_answers) says FINAL: a record may sit there twice until a merge
// (a consumer that lost its partition while its insert was on the wire
// lands a copy no fencing can recall, a client re-posts), and the pages
// count it once. The tables are small beside the intranet rollups, so
// FINAL costs little. The independent reads of a page run at once. Panels and page
// results (Memo) are cached per tenant, pilot and filters and dropped as soon as
// any source table changes (its parts' block numbers, checked with one
// cheap query on system.parts per request); with the cache off every
// request computes its page from ClickHouse.
//
// It may import the interfaces and types it implements (ingest, reports,
// reports/figures, scoring),
// the domain packages (schemas, assessment, analytics, privacy) and the
// ClickHouse driver. It must not import cmd or other adapters.
package clickhouse
