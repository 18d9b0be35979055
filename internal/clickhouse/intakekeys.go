package clickhouse

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/bussola-pa/bussola/ingest"
)

var _ ingest.KeyLog = (*Store)(nil)

// LoadKey returns the newest state of an intake Idempotency-Key written
// within maxAge (table intake_keys), if any.
func (s *Store) LoadKey(ctx context.Context, tenant, route, key string, maxAge time.Duration) (ingest.KeyRecord, bool, error) {
	var digest, answer string
	var acked []uint32
	var status uint16
	err := s.conn.QueryRow(ctx, "SELECT digest, acked, status, answer FROM "+s.table("intake_keys")+
		" WHERE tenant = ? AND route = ? AND key = ? AND at >= now64(3) - toIntervalMillisecond(?) ORDER BY at DESC LIMIT 1",
		tenant, route, key, maxAge.Milliseconds()).Scan(&digest, &acked, &status, &answer)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return ingest.KeyRecord{}, false, nil
		}
		return ingest.KeyRecord{}, false, fmt.Errorf("read idempotency key: %w", err)
	}
	r := ingest.KeyRecord{Tenant: tenant, Route: route, Key: key, Status: int(status), Answer: []byte(answer)}
	if b, err := hex.DecodeString(digest); err != nil || len(b) != len(r.Digest) {
		return ingest.KeyRecord{}, false, fmt.Errorf("read idempotency key: digest %q is not a SHA-256", digest)
	} else {
		copy(r.Digest[:], b)
	}
	r.Acked = make([]int, len(acked))
	for i, l := range acked {
		r.Acked[i] = int(l)
	}
	return r, true, nil
}

// SaveKey writes a key's state and returns once it is stored. The states
// of requests answered at the same time go in one insert (a group
// commit): an insert per request would make a part per request.
func (s *Store) SaveKey(ctx context.Context, r ingest.KeyRecord) error {
	s.keysOnce.Do(func() {
		s.keys = make(chan keySave)
		go s.writeKeys()
	})
	done := make(chan error, 1)
	select {
	case s.keys <- keySave{rec: r, done: done}:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

type keySave struct {
	rec  ingest.KeyRecord
	done chan error
}

// writeKeys inserts the states waiting, all at once, then those that came
// meanwhile. It ends when the store closes.
func (s *Store) writeKeys() {
	for {
		var batch []keySave
		select {
		case k := <-s.keys:
			batch = append(batch, k)
		case <-s.closed:
			return
		}
	more:
		for len(batch) < 1000 {
			select {
			case k := <-s.keys:
				batch = append(batch, k)
			default:
				break more
			}
		}
		err := s.insertKeys(batch)
		for _, k := range batch {
			k.done <- err
		}
	}
}

func (s *Store) insertKeys(batch []keySave) error {
	n := len(batch)
	tenants, routes, keys, digests, answers := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	acked, status := make([][]uint32, n), make([]uint16, n)
	for i, k := range batch {
		r := k.rec
		tenants[i], routes[i], keys[i], digests[i], answers[i] = r.Tenant, r.Route, r.Key, hex.EncodeToString(r.Digest[:]), string(r.Answer)
		status[i] = uint16(r.Status)
		acked[i] = make([]uint32, len(r.Acked))
		for j, l := range r.Acked {
			acked[i][j] = uint32(l)
		}
	}
	c := columns{rows: n}
	c.add("tenant", tenants)
	c.add("route", routes)
	c.add("key", keys)
	c.add("digest", digests)
	c.add("acked", acked)
	c.add("status", status)
	c.add("answer", answers)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// No deduplication token: two attempts may write the same state.
	return s.insertColumns(ctx, "", "intake_keys", c)
}
