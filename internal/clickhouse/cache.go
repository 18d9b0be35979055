package clickhouse

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// cache keeps page results and panels for one data version. When the
// version of the source tables changes, everything is dropped.
type cache struct {
	mu      sync.Mutex
	on      bool
	max     int
	version string
	entries map[string]any
	// calls de-duplicates concurrent computations of one key.
	calls map[string]*call
}

type call struct {
	done chan struct{}
	val  any
	err  error
}

func newCache(max int, on bool) *cache {
	return &cache{on: on, max: max, entries: map[string]any{}, calls: map[string]*call{}}
}

// get returns the value under key for the data version, computing it with
// fn when missing. Concurrent callers of one key wait for one computation.
func (c *cache) get(version, key string, fn func() (any, error)) (any, error) {
	if !c.on {
		return fn()
	}
	key = version + "\x00" + key
	c.mu.Lock()
	if c.version != version {
		c.version, c.entries = version, map[string]any{}
	}
	if v, ok := c.entries[key]; ok {
		c.mu.Unlock()
		return v, nil
	}
	if cl, ok := c.calls[key]; ok {
		c.mu.Unlock()
		<-cl.done
		return cl.val, cl.err
	}
	cl := &call{done: make(chan struct{})}
	c.calls[key] = cl
	c.mu.Unlock()

	cl.val, cl.err = fn()
	close(cl.done)

	c.mu.Lock()
	delete(c.calls, key)
	if cl.err == nil && c.version == version {
		if len(c.entries) >= c.max {
			c.entries = map[string]any{}
		}
		c.entries[key] = cl.val
	}
	c.mu.Unlock()
	return cl.val, cl.err
}

// cached is the typed form of cache.get.
func cached[T any](s *Store, ctx context.Context, key string, fn func() (T, error)) (T, error) {
	var zero T
	v, err := s.version(ctx)
	if err != nil {
		return zero, err
	}
	out, err := s.cache.get(v, key, func() (any, error) { return fn() })
	if err != nil {
		return zero, err
	}
	return out.(T), nil
}

// Memo implements figures.Source: the value fn computes for key, cached
// with the panels for the current data version (or computed every time
// with the cache off).
func (s *Store) Memo(ctx context.Context, key string, fn func(ctx context.Context) (any, error)) (any, error) {
	return cached(s, ctx, key, func() (any, error) { return fn(ctx) })
}

// version reads the data version of the source tables: per table, the
// highest block number, data version and row count of its active parts.
func (s *Store) version(ctx context.Context) (string, error) {
	if !s.cache.on {
		return "", nil
	}
	return s.dataVersion(ctx)
}

// dataVersion reads the data version whether the result cache is on or
// not: the privacy layer caches its protection under it.
func (s *Store) dataVersion(ctx context.Context) (string, error) {
	var b strings.Builder
	err := s.each(ctx, "Version", map[string]any{"db": s.db}, func(r driver.Rows) error {
		var table string
		var blocks, version int64
		var rows uint64
		if err := r.Scan(&table, &blocks, &version, &rows); err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s:%d:%d:%d;", table, blocks, version, rows)
		return nil
	})
	return b.String(), err
}

// DataVersion implements figures.Versioned: the data version of the
// source tables, read whether the result cache is on or not (one query on
// system.parts, a few milliseconds).
func (s *Store) DataVersion(ctx context.Context) (string, error) { return s.dataVersion(ctx) }

// Version returns the current data version string (for tests and logs).
func (s *Store) Version(ctx context.Context) (string, error) { return s.version(ctx) }
