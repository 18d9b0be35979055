package ingest

import "sync"

// admission bounds the intake's requests in flight (decoding and waiting
// for Kafka) and the bytes they hold. A request over either bound is shed
// at once with 429 and Retry-After, rather than queued until its publish
// times out: a request that waits out a publish timeout may still have
// been written, and its client cannot know. One request is always
// admitted when none is in flight, whatever its size.
type admission struct {
	mu       sync.Mutex
	n, maxN  int
	bytes    int64
	maxBytes int64
}

func newAdmission(maxN int, maxBytes int64) *admission {
	return &admission{maxN: maxN, maxBytes: maxBytes}
}

// acquire admits a request of size bytes, or says it must be shed.
func (a *admission) acquire(size int64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.n > 0 && (a.n >= a.maxN || a.bytes+size > a.maxBytes) {
		return false
	}
	a.n++
	a.bytes += size
	return true
}

// release ends a request admitted with size bytes.
func (a *admission) release(size int64) {
	a.mu.Lock()
	a.n--
	a.bytes -= size
	a.mu.Unlock()
}
