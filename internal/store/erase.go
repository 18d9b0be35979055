package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/schemas"
)

// personTables are the tables that hold rows of one person, by tenant and
// pseudonym: the evidence, the rollups fed from it and the scores.
var personTables = []string{
	"diary_entries", "survey_answers", "intranet_events",
	"intranet_daily", "intranet_weekly",
	"readiness_persons", "readiness_scores",
}

// Erasure is what erasing one person deleted.
type Erasure struct {
	Tenant string `json:"tenant"`
	Person string `json:"person"`
	// Deleted counts the rows deleted per table, both passes together.
	Deleted map[string]uint64 `json:"deleted"`
}

// Erase deletes every row of one person (GDPR art. 17) and registers the
// erasure, so that the consumers drop that person's records if Kafka
// delivers them again. A consumer may be inserting a batch at that very
// moment, with the register read before; a second pass, ErasureSettle
// later, deletes what such an insert added. Aggregates already computed
// for groups of at least the minimum size are not personal data and stay.
func (s *Store) Erase(ctx context.Context, tenant, person, source string) (Erasure, error) {
	id, err := schemas.ParsePerson(person)
	if err != nil {
		return Erasure{}, err
	}
	if tenant == "" {
		return Erasure{}, schemas.Errorf(schemas.EINVALID, "tenant: is required")
	}
	if err := s.conn.Exec(ctx, "INSERT INTO "+s.table("erasures")+" (tenant, person, source) VALUES (?, ?, ?)", tenant, id, source); err != nil {
		return Erasure{}, fmt.Errorf("erase: register: %w", err)
	}
	s.erased.Store(nil) // this process's consumers read the register again
	out := Erasure{Tenant: tenant, Person: person, Deleted: map[string]uint64{}}
	for pass := 1; pass <= 2; pass++ {
		if pass == 2 {
			if err := sleepCtx(ctx, s.erasureSettle); err != nil {
				return out, err
			}
		}
		for _, t := range personTables {
			n, err := s.deleteWhere(ctx, t, "tenant = ? AND person = ?", tenant, id)
			if err != nil {
				return out, err
			}
			out.Deleted[t] += n
		}
		// A dead letter keeps the invalid record's payload, pseudonym included.
		n, err := s.deleteWhere(ctx, "dead_letters", "tenant = ? AND position(payload, ?) > 0", tenant, `"person":"`+person+`"`)
		if err != nil {
			return out, err
		}
		out.Deleted["dead_letters"] += n
	}
	return out, nil
}

// deleteWhere deletes the rows of table matching cond and returns how
// many there were. On a cluster the delete runs on every shard's local
// table.
func (s *Store) deleteWhere(ctx context.Context, table, cond string, args ...any) (uint64, error) {
	var n uint64
	if err := s.conn.QueryRow(ctx, "SELECT count() FROM "+s.table(table)+" WHERE "+cond, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("erase: count rows of %s: %w", table, err)
	}
	if n == 0 {
		return 0, nil
	}
	target := s.table(table)
	if s.ddl.Cluster != "" {
		target = s.table(table+"_local") + " ON CLUSTER " + s.ddl.Cluster
	}
	if err := s.conn.Exec(ctx, "DELETE FROM "+target+" WHERE "+cond, args...); err != nil {
		return 0, fmt.Errorf("erase: delete rows of %s: %w", table, err)
	}
	return n, nil
}

// erasedReload is how often the consumers read the erasure register.
const erasedReload = 5 * time.Second

type erasedKey struct {
	tenant string
	person uint64
}

// erasedSet is the register as last read.
type erasedSet struct {
	read time.Time
	set  map[erasedKey]bool
}

// erasedPeople returns the register, read again when older than
// erasedReload.
func (s *Store) erasedPeople(ctx context.Context) (map[erasedKey]bool, error) {
	if cur := s.erased.Load(); cur != nil && time.Since(cur.read) < erasedReload {
		return cur.set, nil
	}
	rows, err := s.conn.Query(ctx, "SELECT DISTINCT tenant, person FROM "+s.table("erasures"))
	if err != nil {
		return nil, fmt.Errorf("read the erasure register: %w", err)
	}
	defer rows.Close()
	set := map[erasedKey]bool{}
	for rows.Next() {
		var k erasedKey
		if err := rows.Scan(&k.tenant, &k.person); err != nil {
			return nil, err
		}
		set[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.erased.Store(&erasedSet{read: time.Now(), set: set})
	return set, nil
}

// notErased keeps the records whose person is not erased, with their
// positions, and counts the others.
func notErased[T any](recs []T, pos []ingest.Position, env func(T) *schemas.Envelope, erased map[erasedKey]bool) ([]T, []ingest.Position, int) {
	if len(erased) == 0 {
		return recs, pos, 0
	}
	keep, keepPos := recs[:0:0], pos[:0:0]
	for i, r := range recs {
		e := env(r)
		if p, err := schemas.ParsePerson(e.Person); err == nil && erased[erasedKey{e.Tenant, p}] {
			continue
		}
		keep, keepPos = append(keep, r), append(keepPos, pos[i])
	}
	return keep, keepPos, len(recs) - len(keep)
}

// deadLettersNotErased drops the dead letters whose payload names an
// erased person of their tenant.
func deadLettersNotErased(recs []ingest.DeadLetterRow, erased map[erasedKey]bool) ([]ingest.DeadLetterRow, int) {
	if len(erased) == 0 {
		return recs, 0
	}
	keep := recs[:0:0]
	for _, r := range recs {
		named := false
		for k := range erased {
			if k.tenant == r.Tenant && strings.Contains(r.Payload, `"person":"`+schemas.FormatPerson(k.person)+`"`) {
				named = true
				break
			}
		}
		if !named {
			keep = append(keep, r)
		}
	}
	return keep, len(recs) - len(keep)
}
