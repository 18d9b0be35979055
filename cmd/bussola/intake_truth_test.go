package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/schemas"
)

// statusCounter counts the intake's answers by status, and the 429s that
// came with a Retry-After.
type statusCounter struct {
	mu         sync.Mutex
	codes      map[int]int
	retryAfter int
}

func (c *statusCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		c.mu.Lock()
		c.codes[resp.StatusCode]++
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") != "" {
			c.retryAfter++
		}
		c.mu.Unlock()
	}
	return resp, err
}

// TestIntakeOverloadRetried posts from more concurrent clients than the
// intake admits (its in-flight limit set to 1): the refused requests are
// shed with 429 and Retry-After, retried with their Idempotency-Key, and
// every event is stored and counted once, in the raw table and the rollup.
func TestIntakeOverloadRetried(t *testing.T) {
	m := mustOpenMain(t, func(c *Config) { c.IntakeMaxInflight = 1 })
	events := generated(t, 0.005)[schemas.StreamIntranet]
	counter := &statusCounter{codes: map[int]int{}}
	p := &synth.Poster{BaseURL: "http://" + m.HTTPAddr(), Tokens: m.Tokens(), BatchLines: 100, Concurrency: 16,
		Client: &http.Client{Transport: counter, Timeout: time.Minute}, MaxAttempts: 30, Backoff: 10 * time.Millisecond}
	if err := p.Post(context.Background(), schemas.StreamIntranet, events); err != nil {
		t.Fatal(err)
	}
	t.Logf("answers: %v", counter.codes)
	if counter.codes[http.StatusTooManyRequests] == 0 || counter.retryAfter != counter.codes[http.StatusTooManyRequests] {
		t.Errorf("want requests shed with 429 and Retry-After, got %v (%d with Retry-After)", counter.codes, counter.retryAfter)
	}
	if n := counter.codes[http.StatusServiceUnavailable]; n > 0 {
		t.Errorf("%d answers 503 under load; the intake should shed (429) instead", n)
	}
	want := uint64(len(events))
	waitFor(t, "every event stored", 2*time.Minute, func() (bool, string) {
		n := query1(t, m, "SELECT uniqExact(event_id) FROM bussola.intranet_events")
		return n >= want, fmt.Sprint(n)
	})
	time.Sleep(500 * time.Millisecond) // a late duplicate batch would land now
	rows := query1(t, m, "SELECT count() FROM bussola.intranet_events")
	ids := query1(t, m, "SELECT uniqExact(event_id) FROM bussola.intranet_events")
	if rows != want || ids != want {
		t.Errorf("intranet_events: %d rows, %d distinct event ids; want %d of each", rows, ids, want)
	}
	if got := validMessages(t, m, schemas.StreamIntranet); got != len(events) {
		t.Errorf("the topic holds %d valid messages for %d events: a retry was published twice", got, len(events))
	}
	waitFor(t, "the rollup to count every event once", 30*time.Second, func() (bool, string) {
		got := rollupTotal(t, m, "intranet_daily", "events")
		return got == want, fmt.Sprintf("rollup %d, events %d", got, want)
	})
}

// TestIntakeLongLineInBatch posts a 5 MB line among 10 valid ones through
// the real broker: the long line is refused on its own, naming the field
// and the rule, and the 10 are stored.
func TestIntakeLongLineInBatch(t *testing.T) {
	m := mustOpenMain(t, func(c *Config) { c.MaxBodyBytes = 16 << 20 })
	lines := generated(t, 0.005)[schemas.StreamDiary]
	var valid [][]byte
	for _, l := range lines {
		if bytes.Contains(l, []byte(`"tenant":"comune-aurelia"`)) && len(valid) < 10 {
			valid = append(valid, l)
		}
	}
	var rec map[string]any
	if err := json.Unmarshal(valid[0], &rec); err != nil {
		t.Fatal(err)
	}
	rec["event_id"] = "0b6f3c52-9d1e-4c7a-8f25-3e4d5c6b7a81"
	rec["text"] = string(bytes.Repeat([]byte("parola "), (5<<20)/7))
	long, _ := json.Marshal(rec)
	body := bytes.Join(append(append(append([][]byte(nil), valid[:5]...), long), valid[5:]...), []byte("\n"))

	code, r := post(t, m, "/api/v1/diary", "comune-aurelia", body, "application/x-ndjson")
	if code != http.StatusBadRequest || r.Accepted != 10 || r.Rejected != 1 {
		t.Fatalf("want 400 with 10 accepted and 1 rejected, got %d %+v", code, r)
	}
	if len(r.Errors) != 1 || r.Errors[0].Line != 6 || r.Errors[0].Field != "line" || r.Errors[0].Rule != schemas.RuleMaxLength {
		t.Errorf("want line 6 refused with field line and rule max_length, got %+v", r.Errors)
	}
	rowsExactlyOnce(t, m, "diary_entries", 10)
	waitFor(t, "the long line's dead letter", time.Minute, func() (bool, string) {
		n := query1(t, m, "SELECT count() FROM bussola.dead_letters WHERE source = 'intake /api/v1/diary'")
		return n == 1, fmt.Sprint(n)
	})
}

// TestIntakeDiskLow sets the free-space threshold above the free space
// there is: the intake refuses with 507 and its reason, and /readyz says
// the disk is low.
func TestIntakeDiskLow(t *testing.T) {
	m := mustOpenMain(t, func(c *Config) { c.MinFreeBytes = 1 << 62 })
	line := generated(t, 0.005)[schemas.StreamDiary][0]
	tenant := "comune-aurelia"
	if !bytes.Contains(line, []byte(`"tenant":"comune-aurelia"`)) {
		tenant = "comune-borgoverde"
	}
	code, r := post(t, m, "/api/v1/diary", tenant, line, "application/x-ndjson")
	if code != http.StatusInsufficientStorage || r.Accepted != 0 || r.Error == "" {
		t.Errorf("want 507 with the reason and nothing accepted, got %d %+v", code, r)
	}
	m.parts = fixedParts(2) // as the store would report two broken parts
	resp, err := http.Get("http://" + m.HTTPAddr() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&st)
	if resp.StatusCode != http.StatusServiceUnavailable || st["disk"] != "low" || st["kafka"] != "ok" || st["parts"] != "broken" {
		t.Errorf("/readyz: want 503 with disk low, parts broken and kafka ok, got %d %v", resp.StatusCode, st)
	}
	for k := range st {
		switch k {
		case "kafka", "clickhouse", "disk", "lag", "parts":
		default:
			t.Errorf("/readyz reveals %q to an anonymous caller", k)
		}
	}
}

// fixedParts reports a fixed number of broken parts.
type fixedParts int

func (p fixedParts) BrokenParts(context.Context) (int, error) { return int(p), nil }

// TestIdempotencyKeyAfterRestart posts a request with an Idempotency-Key,
// restarts the service on the same data directory (the memory of the
// process is gone, as on another instance) and sends the same request
// with the same key again: the answer is the original one, marked as a
// replay, nothing is published twice, and raw rows (as stored, before
// any merge) = distinct event ids = every rollup's total.
func TestIdempotencyKeyAfterRestart(t *testing.T) {
	dir := t.TempDir()
	const tenant, key = "comune-aurelia", "5f0c2b1e-8a7d-4e3f-9b6a-1c2d3e4f5a6b"
	var lines [][]byte
	for _, l := range demoEvents(t, 0.005) {
		if bytes.Contains(l, []byte(`"tenant":"`+tenant+`"`)) {
			lines = append(lines, l)
		}
	}
	body := bytes.Join(lines, []byte("\n"))
	send := func(m *Main) (int, bool, IntakeReply) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, "http://"+m.HTTPAddr()+"/api/v1/events", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set("Authorization", "Bearer "+m.Tokens()[tenant])
		req.Header.Set("Idempotency-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r IntakeReply
		_ = json.NewDecoder(resp.Body).Decode(&r)
		return resp.StatusCode, resp.Header.Get("Idempotent-Replayed") == "true", r
	}

	m := mustOpenMain(t, func(c *Config) { c.DataDir = dir })
	code, replayed, first := send(m)
	if code != http.StatusAccepted || replayed || first.Accepted != len(lines) {
		t.Fatalf("first attempt: want 202 with %d accepted, not a replay; got %d %+v (replayed %v)", len(lines), code, first, replayed)
	}
	tablesAgree(t, m, len(lines))
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	m2 := mustOpenMain(t, func(c *Config) { c.DataDir = dir })
	code, replayed, again := send(m2)
	if code != http.StatusAccepted || !replayed || again.Accepted != first.Accepted {
		t.Errorf("retry after a restart: want the original 202 (%d accepted) marked Idempotent-Replayed; got %d %+v (replayed %v)", first.Accepted, code, again, replayed)
	}
	waitAllRead(t, m2)
	if got := validMessages(t, m2, schemas.StreamIntranet); got != len(lines) {
		t.Errorf("the topic holds %d messages for %d events: the retry was published again", got, len(lines))
	}
	raw := query1(t, m2, "SELECT count() FROM bussola.intranet_events")
	ids := query1(t, m2, "SELECT uniqExact(event_id) FROM bussola.intranet_events")
	daily := rollupTotal(t, m2, "intranet_daily", "events")
	weekly := rollupTotal(t, m2, "intranet_weekly", "events")
	if raw != uint64(len(lines)) || ids != raw || daily != raw || weekly != raw {
		t.Errorf("want %d everywhere: raw rows %d, distinct event ids %d, intranet_daily %d, intranet_weekly %d", len(lines), raw, ids, daily, weekly)
	}
}
