package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// Idempotency keys. A client may send an Idempotency-Key header with a
// request (one key per distinct request, the same key on every retry of
// it). The intake remembers, per tenant and key, a digest of the body and
// what became of each line:
//
//   - a retry of a request that was answered in full (202, 400) gets the
//     same answer again, with Idempotent-Replayed: true, and nothing is
//     published twice;
//   - a retry of a request that was partly acknowledged (207) or not at
//     all (503) publishes only the lines not acknowledged before;
//   - a retry while the first attempt is still running gets 409;
//   - the same key with another body gets 422.
//
// The memory of this process is bounded (entries and age). With a KeyLog
// (ClickHouse, in Bussola) every attempt's outcome is also written there
// before the answer leaves, and a key this process does not know is
// looked up in it: a retry after a restart, or one that reaches another
// instance, is answered as above too. What the log cannot do is tell two
// instances that the same key is running on both at once; both then
// publish, and the copies collapse by event_id (required in every record),
// on which the raw tables and the rollups are keyed. The key spares the
// work and the copies on Kafka; event_id is what guarantees the count.
type idempotency struct {
	mu      sync.Mutex
	entries *expirable.LRU[string, *idemEntry]
	log     KeyLog // nil: this process's memory only
	ttl     time.Duration
	logger  *slog.Logger
}

// KeyLog keeps what became of keyed requests beyond one process. The
// intake declares it; the ClickHouse adapter implements it.
type KeyLog interface {
	// LoadKey returns the newest record of the key written within maxAge.
	LoadKey(ctx context.Context, tenant, route, key string, maxAge time.Duration) (KeyRecord, bool, error)
	// SaveKey writes a key's state; it returns once the state is stored.
	SaveKey(ctx context.Context, r KeyRecord) error
}

// KeyRecord is the state of one Idempotency-Key after an attempt.
type KeyRecord struct {
	Tenant, Route, Key string
	// Digest is the SHA-256 of the request body.
	Digest [32]byte
	// Acked lists the lines Kafka acknowledged in every attempt so far.
	Acked []int
	// Status and Answer (JSON) are the answer to replay; Status 0 while
	// a retry is to complete the request (after a 207 or a 503).
	Status int
	Answer []byte
}

type idemEntry struct {
	digest  [32]byte
	running bool
	acked   map[int]bool // line numbers Kafka acknowledged in earlier attempts
	final   *storedAnswer
}

type storedAnswer struct {
	status int
	body   IntakeResponse
}

func newIdempotency(size int, ttl time.Duration, log KeyLog, logger *slog.Logger) *idempotency {
	return &idempotency{entries: expirable.NewLRU[string, *idemEntry](size, nil, ttl), log: log, ttl: ttl, logger: logger}
}

// keyLogTimeout bounds a look-up or a write of the key log: past it the
// request goes on with this process's memory (and event_id) alone.
const keyLogTimeout = 5 * time.Second

// recall returns the key's state from the log, as an entry, or nil.
func (id *idempotency) recall(ctx context.Context, tenant, route, key string) *idemEntry {
	if id.log == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, keyLogTimeout)
	defer cancel()
	r, ok, err := id.log.LoadKey(ctx, tenant, route, key, id.ttl)
	if err != nil {
		id.logger.Warn("intake: idempotency key log unavailable; the key is known to this process only", "err", err)
		return nil
	}
	if !ok {
		return nil
	}
	e := &idemEntry{digest: r.Digest, acked: make(map[int]bool, len(r.Acked))}
	for _, l := range r.Acked {
		e.acked[l] = true
	}
	if r.Status != 0 {
		a := &storedAnswer{status: r.Status}
		if err := json.Unmarshal(r.Answer, &a.body); err == nil {
			e.final = a
		}
	}
	return e
}

// idemOutcome is what begin found for a key.
type idemOutcome int

const (
	idemNew      idemOutcome = iota // first attempt, or a retry to complete
	idemReplay                      // answered in full before: replay
	idemRunning                     // an attempt is running
	idemMismatch                    // the key was used with another body
)

// begin marks the request (tenant, key, body) as running and returns what
// earlier attempts left: the lines already acknowledged, or the answer to
// replay.
//
// A key this process does not know is looked up in the key log first
// (outside the lock: other keys do not wait for it).
func (id *idempotency) begin(ctx context.Context, tenant, route, key string, body []byte) (idemOutcome, map[int]bool, *storedAnswer) {
	k := tenant + "\x00" + route + "\x00" + key
	digest := sha256.Sum256(body)
	id.mu.Lock()
	_, known := id.entries.Get(k)
	id.mu.Unlock()
	var logged *idemEntry
	if !known {
		logged = id.recall(ctx, tenant, route, key)
	}
	id.mu.Lock()
	defer id.mu.Unlock()
	e, ok := id.entries.Get(k)
	if !ok && logged != nil {
		e, ok = logged, true
		id.entries.Add(k, e)
	}
	switch {
	case !ok:
		id.entries.Add(k, &idemEntry{digest: digest, running: true, acked: map[int]bool{}})
		return idemNew, nil, nil
	case e.digest != digest:
		return idemMismatch, nil, nil
	case e.running:
		return idemRunning, nil, nil
	case e.final != nil:
		return idemReplay, nil, e.final
	}
	e.running = true
	acked := make(map[int]bool, len(e.acked))
	for l := range e.acked {
		acked[l] = true
	}
	return idemNew, acked, nil
}

// finish records the lines Kafka acknowledged in this attempt and, when the
// request was answered in full, the answer to replay. final nil keeps the
// entry open for a retry.
//
// With a key log, the state is written there before finish returns (so
// before the answer leaves): a client that never receives the answer and
// retries elsewhere finds it.
func (id *idempotency) finish(ctx context.Context, tenant, route, key string, acked []int, final *storedAnswer) {
	k := tenant + "\x00" + route + "\x00" + key
	id.mu.Lock()
	e, ok := id.entries.Peek(k)
	if !ok {
		id.mu.Unlock()
		return
	}
	e.running = false
	for _, l := range acked {
		e.acked[l] = true
	}
	e.final = final
	rec := KeyRecord{Tenant: tenant, Route: route, Key: key, Digest: e.digest, Acked: make([]int, 0, len(e.acked))}
	for l := range e.acked {
		rec.Acked = append(rec.Acked, l)
	}
	id.mu.Unlock()
	if id.log == nil || (len(rec.Acked) == 0 && final == nil) {
		return // nothing was written anywhere: nothing to remember
	}
	if final != nil {
		rec.Status = final.status
		rec.Answer, _ = json.Marshal(final.body)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), keyLogTimeout)
	defer cancel()
	if err := id.log.SaveKey(ctx, rec); err != nil {
		id.logger.Warn("intake: idempotency key not logged; a retry elsewhere will publish again (event_id keeps the count)", "err", err)
	}
}
