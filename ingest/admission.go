package ingest

import (
	"context"
	"time"

	"golang.org/x/sync/semaphore"
)

// admission bounds the intake's requests in flight (decoding and waiting
// for Kafka) and the bytes they hold. A request over either bound waits
// its turn (first come, first served) for at most the queue wait, then is
// shed with 429 and Retry-After, rather than queued until its publish
// times out: a request that waits out a publish timeout may still have
// been written, and its client cannot know. A request larger than the
// byte bound counts as the whole bound.
type admission struct {
	reqs, bytes *semaphore.Weighted
	maxBytes    int64
	wait        time.Duration
}

func newAdmission(maxN int, maxBytes int64, wait time.Duration) *admission {
	return &admission{reqs: semaphore.NewWeighted(int64(maxN)), bytes: semaphore.NewWeighted(maxBytes), maxBytes: maxBytes, wait: wait}
}

// acquire admits a request of size bytes within the queue wait, or says
// it must be shed. A request admitted must call release with its size.
func (a *admission) acquire(ctx context.Context, size int64) bool {
	ctx, cancel := context.WithTimeout(ctx, a.wait)
	defer cancel()
	if a.wait <= 0 {
		if !a.reqs.TryAcquire(1) {
			return false
		}
		if !a.bytes.TryAcquire(min(size, a.maxBytes)) {
			a.reqs.Release(1)
			return false
		}
		return true
	}
	if a.reqs.Acquire(ctx, 1) != nil {
		return false
	}
	if a.bytes.Acquire(ctx, min(size, a.maxBytes)) != nil {
		a.reqs.Release(1)
		return false
	}
	return true
}

// release ends a request admitted with size bytes.
func (a *admission) release(size int64) {
	a.bytes.Release(min(size, a.maxBytes))
	a.reqs.Release(1)
}
