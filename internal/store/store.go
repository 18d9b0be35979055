// Package store is Bussola's ClickHouse adapter, over clickhouse-go/v2: it
// applies the schema migrations, implements ingest.Sink with batch inserts,
// and answers the analytical queries (SQL kept in named files under sql/).
//
// It is the only package that imports the ClickHouse driver. It must not
// import ingest's or reports' HTTP layers beyond the interfaces it
// implements.
package store

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/schemas"
)

// Config says how to reach ClickHouse.
type Config struct {
	// URL is a ClickHouse DSN: http://host:8123/ (HTTP interface, what the
	// embedded engine speaks) or clickhouse://host:9000/ (native protocol),
	// with optional ?username=&password=&secure=true.
	URL string
	// DDL picks the database, cluster form and retention of the schema.
	DDL schemas.DDLOptions
	// MaxOpenConns caps concurrent queries. Default 8.
	MaxOpenConns int
	// ErasureSettle is how long after erasing a person Erase deletes
	// again, for what a consumer that had not yet re-read the erasure
	// register inserted meanwhile. Default 10 s (the register is re-read
	// every 5 s).
	ErasureSettle time.Duration
}

// Store is a connection pool to ClickHouse plus the schema options.
type Store struct {
	conn driver.Conn
	ddl  schemas.DDLOptions
	db   string
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

// Open connects to ClickHouse and checks that it answers.
func Open(ctx context.Context, cfg Config) (*Store, error) {
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
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("open clickhouse %s: %w", redact(cfg.URL), err)
	}
	ddl := cfg.DDL
	if ddl.Database == "" {
		ddl.Database = "bussola"
	}
	s := &Store{conn: conn, ddl: ddl, db: ddl.Database, http: opts.Protocol == clickhouse.HTTP,
		erasureSettle: cfg.ErasureSettle, closed: make(chan struct{})}
	if s.erasureSettle <= 0 {
		s.erasureSettle = 10 * time.Second
	}
	if err := s.Ping(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return s, nil
}

func parseURL(raw string) (*clickhouse.Options, error) {
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
	opts, err := clickhouse.ParseDSN(raw)
	if err != nil {
		return nil, schemas.Errorf(schemas.EINVALID, "clickhouse url: %v", err)
	}
	if u.Scheme == "http" || u.Scheme == "https" {
		opts.Protocol = clickhouse.HTTP
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

// Close closes the connection pool.
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
	if strings.ContainsAny(table, " ;`'\"") {
		return 0, schemas.Errorf(schemas.EINVALID, "table: %q is not a table name", table)
	}
	var n uint64
	err := s.conn.QueryRow(ctx, "SELECT count() FROM "+s.table(table)).Scan(&n)
	return n, err
}

// DistinctEvents returns the number of distinct event ids of a table (a
// survey response counts once however many items it has).
func (s *Store) DistinctEvents(ctx context.Context, table string) (uint64, error) {
	if strings.ContainsAny(table, " ;`'\"") {
		return 0, schemas.Errorf(schemas.EINVALID, "table: %q is not a table name", table)
	}
	var n uint64
	err := s.conn.QueryRow(ctx, "SELECT uniqExact(event_id) FROM "+s.table(table)).Scan(&n)
	return n, err
}
