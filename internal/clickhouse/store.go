package clickhouse

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	chgo "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/schemas"
)

// Config says how to reach ClickHouse and how to read it.
type Config struct {
	// URL is a ClickHouse DSN: http://host:8123/ (HTTP interface, what the
	// embedded engine speaks) or clickhouse://host:9000/ (native protocol),
	// with optional ?username=&password=&secure=true.
	URL string
	// DDL picks the database, cluster form and retention of the schema.
	// Its database name is checked here, once, by the schema's own rule.
	DDL schemas.DDLOptions
	// MaxOpenConns caps concurrent queries. Default 8.
	MaxOpenConns int
	// ErasureSettle is how long after erasing a person Erase deletes
	// again, for what a consumer that had not yet re-read the erasure
	// register inserted meanwhile. Default 10 s (the register is re-read
	// every 5 s).
	ErasureSettle time.Duration
	// Reports tunes the report reads (pilots, result cache); WithReports
	// gives a Store with other ones on the same connection.
	Reports ReportOptions
}

// Store is Bussola's one ClickHouse adapter: the sink the consumers write
// to, the scoring job's store and the report pages' store, on one
// connection pool.
type Store struct {
	*pool
	// pilots and cache belong to the report reads (reports.go, cache.go).
	pilots []schemas.Pilot
	cache  *cache
}

// pool is what every Store of one Open shares: the connection, the
// database and its queries, and the writer's state of this process.
type pool struct {
	conn driver.Conn
	ddl  schemas.DDLOptions
	db   string
	// sql holds the embedded queries by name, database filled in
	// (queries.go).
	sql map[string]string
	// http: the connection speaks the HTTP interface, where an insert
	// states its column types itself (see plainTypes).
	http  bool
	types sync.Map // table -> map[column]type, for HTTP inserts
	// spanLog makes looking for overlapping spans and logging a batch's
	// own one step for the inserts of this process.
	spanLog sync.Mutex
	// erased is the erasure register as last read (nil: read it again).
	erased        atomic.Pointer[erasedSet]
	erasureSettle time.Duration
	// keys takes the intake's idempotency key states to their writer
	// (intakekeys.go), started by the first SaveKey; closed stops it.
	keys      chan keySave
	keysOnce  sync.Once
	closed    chan struct{}
	closeOnce sync.Once
}

// Open checks the configuration (database name, pilots), connects to
// ClickHouse and checks that it answers.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	ddl := cfg.DDL
	if ddl.Database == "" {
		ddl.Database = "bussola"
	}
	if err := ddl.Validate(); err != nil {
		return nil, err
	}
	sql, err := loadQueries(ddl.Database)
	if err != nil {
		return nil, err
	}
	opts, err := parseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.MaxOpenConns > 0 {
		opts.MaxOpenConns = cfg.MaxOpenConns
	} else {
		opts.MaxOpenConns = 8
	}
	opts.MaxIdleConns = opts.MaxOpenConns
	opts.DialTimeout = 5 * time.Second
	opts.ReadTimeout = 5 * time.Minute
	conn, err := chgo.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("open clickhouse %s: %w", redact(cfg.URL), err)
	}
	p := &pool{conn: conn, ddl: ddl, db: ddl.Database, sql: sql, http: opts.Protocol == chgo.HTTP,
		erasureSettle: cfg.ErasureSettle, closed: make(chan struct{})}
	if p.erasureSettle <= 0 {
		p.erasureSettle = 10 * time.Second
	}
	s, err := (&Store{pool: p}).WithReports(cfg.Reports)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return s, nil
}

func parseURL(raw string) (*chgo.Options, error) {
	if raw == "" {
		return nil, schemas.Errorf(schemas.EINVALID, "clickhouse url: is required (e.g. http://127.0.0.1:8123/)")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, schemas.Errorf(schemas.EINVALID, "clickhouse url: %v", err)
	}
	switch u.Scheme {
	case "http", "https", "clickhouse", "tcp":
	default:
		return nil, schemas.Errorf(schemas.EINVALID, "clickhouse url: scheme must be http, https or clickhouse, got %q", u.Scheme)
	}
	opts, err := chgo.ParseDSN(raw)
	if err != nil {
		return nil, schemas.Errorf(schemas.EINVALID, "clickhouse url: %v", err)
	}
	if u.Scheme == "http" || u.Scheme == "https" {
		opts.Protocol = chgo.HTTP
	}
	return opts, nil
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable url)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Ping checks that ClickHouse answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.conn.Ping(ctx); err != nil {
		return schemas.Errorf(schemas.EUNAVAILABLE, "clickhouse: %v", err)
	}
	return nil
}

// Close stops the idempotency-key writer and closes the connection
// pool, shared by every Store WithReports made from this one.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.closed) })
	return s.conn.Close()
}

// Conn exposes the driver connection for tests and tools.
func (s *Store) Conn() driver.Conn { return s.conn }

// Database is the database holding Bussola's tables.
func (s *Store) Database() string { return s.db }

// table qualifies a table name with the database.
func (s *Store) table(name string) string { return s.db + "." + name }

// Count returns the number of rows of a table, for tests and the demo.
func (s *Store) Count(ctx context.Context, table string) (uint64, error) {
	return s.aggregate(ctx, "count()", table)
}

// DistinctEvents returns the number of distinct event ids of a table (a
// survey response counts once however many items it has).
func (s *Store) DistinctEvents(ctx context.Context, table string) (uint64, error) {
	return s.aggregate(ctx, "uniqExact(event_id)", table)
}

// aggregate reads one UInt64 aggregate (expr, from code) over a table.
func (s *Store) aggregate(ctx context.Context, expr, table string) (uint64, error) {
	if strings.ContainsAny(table, " ;`'\"") {
		return 0, schemas.Errorf(schemas.EINVALID, "table: %q is not a table name", table)
	}
	var n uint64
	err := s.conn.QueryRow(ctx, "SELECT "+expr+" FROM "+s.table(table)).Scan(&n)
	return n, err
}
