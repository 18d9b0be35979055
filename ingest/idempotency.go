package ingest

import (
	"crypto/sha256"
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
// The memory is per process and bounded (entries and age): a retry that
// reaches another instance, or this one after a restart, is processed
// again. That is safe, because every record carries its own event_id
// (required), and the raw tables and the rollups are keyed by it: a copy
// of an acknowledged record collapses. The key spares the work and the
// copies on Kafka; event_id is what guarantees the count.
type idempotency struct {
	mu      sync.Mutex
	entries *expirable.LRU[string, *idemEntry]
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

func newIdempotency(size int, ttl time.Duration) *idempotency {
	return &idempotency{entries: expirable.NewLRU[string, *idemEntry](size, nil, ttl)}
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
func (id *idempotency) begin(tenant, route, key string, body []byte) (idemOutcome, map[int]bool, *storedAnswer) {
	k := tenant + "\x00" + route + "\x00" + key
	digest := sha256.Sum256(body)
	id.mu.Lock()
	defer id.mu.Unlock()
	e, ok := id.entries.Get(k)
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
func (id *idempotency) finish(tenant, route, key string, acked []int, final *storedAnswer) {
	k := tenant + "\x00" + route + "\x00" + key
	id.mu.Lock()
	defer id.mu.Unlock()
	e, ok := id.entries.Peek(k)
	if !ok {
		return
	}
	e.running = false
	for _, l := range acked {
		e.acked[l] = true
	}
	e.final = final
}
