package clickhouse

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

// The store erases people for the erasure API.
var _ ingest.Eraser = (*Store)(nil)

// Erase deletes every row of one person (GDPR art. 17) and registers the
// erasure, so that the consumers drop that person's records if Kafka
// delivers them again. A consumer may be inserting a batch at that very
// moment, with the register read before; a second pass, ErasureSettle
// later, deletes what such an insert added. Aggregates already computed
// for groups of at least the minimum size are not personal data and stay.
func (s *Store) Erase(ctx context.Context, tenant, person, source string) (ingest.Erasure, error) {
	id, err := schemas.ParsePerson(person)
	if err != nil {
		return ingest.Erasure{}, err
	}
	if tenant == "" {
		return ingest.Erasure{}, schemas.Errorf(schemas.EINVALID, "tenant: is required")
	}
	if err := s.conn.Exec(ctx, "INSERT INTO "+s.table("erasures")+" (tenant, person, source) VALUES (?, ?, ?)", tenant, id, source); err != nil {
		return ingest.Erasure{}, fmt.Errorf("erase: register: %w", err)
	}
	s.erased.Store(nil) // this process's consumers read the register again
	out := ingest.Erasure{Tenant: tenant, Person: person, Deleted: map[string]uint64{}}
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
		n, err := s.deleteWhere(ctx, "dead_letters", "tenant = ? AND position(payload, ?) > 0", tenant, personNeedle(person))
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

// erasedSet is the register as last read, keyed the way records carry
// their person (the pseudonym as text), so filtering a batch parses
// nothing.
type erasedSet struct {
	read    time.Time
	persons map[[2]string]bool // tenant, pseudonym
	// needles are what a dead letter's payload holds when it names an
	// erased person, by tenant.
	needles map[string][]string
}

// erased reports whether the person of env is erased.
func (e *erasedSet) erased(env *schemas.Envelope) bool {
	return e.persons[[2]string{env.Tenant, env.Person}]
}

// names reports whether a dead letter's payload names an erased person of
// its tenant.
func (e *erasedSet) names(dl ingest.DeadLetterRow) bool {
	for _, n := range e.needles[dl.Tenant] {
		if strings.Contains(dl.Payload, n) {
			return true
		}
	}
	return false
}

// erasedPeople returns the register, read again when older than
// erasedReload; nil when it is empty.
func (s *Store) erasedPeople(ctx context.Context) (*erasedSet, error) {
	if cur := s.erased.Load(); cur != nil && time.Since(cur.read) < erasedReload {
		return cur.orNil(), nil
	}
	rows, err := s.conn.Query(ctx, "SELECT DISTINCT tenant, person FROM "+s.table("erasures"))
	if err != nil {
		return nil, fmt.Errorf("read the erasure register: %w", err)
	}
	defer rows.Close()
	set := &erasedSet{read: time.Now(), persons: map[[2]string]bool{}, needles: map[string][]string{}}
	for rows.Next() {
		var tenant string
		var person uint64
		if err := rows.Scan(&tenant, &person); err != nil {
			return nil, err
		}
		p := schemas.FormatPerson(person)
		set.persons[[2]string{tenant, p}] = true
		set.needles[tenant] = append(set.needles[tenant], personNeedle(p))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.erased.Store(set)
	return set.orNil(), nil
}

func (e *erasedSet) orNil() *erasedSet {
	if len(e.persons) == 0 {
		return nil
	}
	return e
}

// personNeedle is how a JSON payload names a person.
func personNeedle(person string) string { return `"person":"` + person + `"` }
