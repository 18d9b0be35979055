package bench

import (
	"fmt"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memoryWatch samples the process's Go heap (runtime/metrics) and
// resident set (/proc/self/status, Linux only) every 100 ms and keeps
// the peaks.
type memoryWatch struct {
	stopc         chan struct{}
	wg            sync.WaitGroup
	heapPeak, rss uint64
}

func startMemoryWatch() *memoryWatch {
	w := &memoryWatch{stopc: make(chan struct{})}
	w.wg.Go(func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			w.sample()
			select {
			case <-w.stopc:
				return
			case <-t.C:
			}
		}
	})
	return w
}

func (w *memoryWatch) sample() {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		w.heapPeak = max(w.heapPeak, s[0].Value.Uint64())
	}
	w.rss = max(w.rss, peakRSS())
}

// stop ends the sampling and describes the peaks.
func (w *memoryWatch) stop() string {
	close(w.stopc)
	w.wg.Wait()
	w.sample()
	rss := "unknown (no /proc)"
	if w.rss > 0 {
		rss = fmt.Sprintf("%d MiB", w.rss>>20)
	}
	return fmt.Sprintf("service memory over the run: Go heap peak %d MiB (live objects, sampled every 100 ms); process peak RSS %s (with the embedded ClickHouse and Kafka)", w.heapPeak>>20, rss)
}

// peakRSS reads VmHWM, the process's peak resident set, in bytes.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
