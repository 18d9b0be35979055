package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/schemas"
)

const truthToken = "intake-truth-token-0123"

// scriptedPublisher acknowledges what its script says: fail(i, msg) true
// leaves message i of a call unacknowledged. gate, when set, holds the
// first call (after a send on started) until it is closed.
type scriptedPublisher struct {
	mu      sync.Mutex
	written []kafka.Message
	calls   int
	fail    func(call, i int, m kafka.Message) bool
	gate    chan struct{}
	started chan struct{}
}

func (p *scriptedPublisher) Publish(ctx context.Context, msgs ...kafka.Message) error {
	p.mu.Lock()
	p.calls++
	call, gate := p.calls, p.gate
	p.mu.Unlock()
	if call == 1 && gate != nil { // only the first call is held
		p.started <- struct{}{}
		<-gate
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var unacked []int
	for i, m := range msgs {
		if p.fail != nil && p.fail(call, i, m) {
			unacked = append(unacked, i)
			continue
		}
		p.written = append(p.written, m)
	}
	if len(unacked) > 0 {
		return &PublishError{Unacked: unacked, Err: schemas.Errorf(schemas.EUNAVAILABLE, "scripted")}
	}
	return nil
}

func (p *scriptedPublisher) topicCount(topic string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, m := range p.written {
		if m.Topic == topic {
			n++
		}
	}
	return n
}

// diaryLines returns n valid diary lines of comune-aurelia.
func diaryLines(tb testing.TB, n int) [][]byte {
	tb.Helper()
	var lines [][]byte
	_ = synth.Generate(synth.Config{Seed: 5, Scale: 0.01, Streams: []schemas.Stream{schemas.StreamDiary}}, func(_ schemas.Stream, l []byte) error {
		if len(lines) < n && bytes.Contains(l, []byte(`"tenant":"comune-aurelia"`)) {
			lines = append(lines, append([]byte(nil), l...))
		}
		return nil
	})
	if len(lines) < n {
		tb.Fatalf("only %d diary lines generated", len(lines))
	}
	return lines
}

func newTruthIntake(tb testing.TB, pub MessagePublisher, edit func(*IntakeConfig)) http.Handler {
	tb.Helper()
	p, _ := schemas.NewPseudonymizer([]byte("0123456789abcdef0123456789abcdef"))
	cfg := IntakeConfig{Pseudonyms: p, Tokens: map[string]string{truthToken: "comune-aurelia"}}
	if edit != nil {
		edit(&cfg)
	}
	in, err := NewIntake(cfg, pub)
	if err != nil {
		tb.Fatal(err)
	}
	gin.SetMode(gin.TestMode)
	r := gin.New()
	in.Register(r)
	return r
}

func postDiary(h http.Handler, body []byte, key string) (*httptest.ResponseRecorder, IntakeResponse) {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/diary", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+truthToken)
	req.Header.Set("Content-Type", "application/x-ndjson")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var r IntakeResponse
	_ = json.Unmarshal(w.Body.Bytes(), &r)
	return w, r
}

func TestIntakeShedsLoad(t *testing.T) {
	pub := &scriptedPublisher{gate: make(chan struct{}), started: make(chan struct{}, 1)}
	h := newTruthIntake(t, pub, func(c *IntakeConfig) { c.MaxInflight = 1 })
	body := bytes.Join(diaryLines(t, 3), []byte("\n"))
	first := make(chan int)
	go func() {
		w, _ := postDiary(h, body, "first-request")
		first <- w.Code
	}()
	<-pub.started // the first request holds the one slot, publishing

	w, r := postDiary(h, body, "second-request")
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("a request over the in-flight limit: want 429, got %d %s", w.Code, w.Body)
	}
	if w.Header().Get("Retry-After") != "1" || r.ErrorIT == "" || r.Accepted != 0 {
		t.Errorf("want Retry-After 1, an Italian reason and nothing accepted, got %q %+v", w.Header().Get("Retry-After"), r)
	}
	close(pub.gate)
	if code := <-first; code != http.StatusAccepted {
		t.Fatalf("the admitted request: want 202, got %d", code)
	}
	// The shed request, retried with its key, is taken once.
	if w, _ := postDiary(h, body, "second-request"); w.Code != http.StatusAccepted {
		t.Fatalf("the retry: want 202, got %d %s", w.Code, w.Body)
	}
	if n := pub.topicCount(schemas.StreamDiary.Topic()); n != 6 {
		t.Errorf("want 6 records published (3 per request), got %d", n)
	}
}

func TestIntakePartialPublish(t *testing.T) {
	// The first call leaves lines 2 and 4 unacknowledged.
	pub := &scriptedPublisher{fail: func(call, i int, _ kafka.Message) bool { return call == 1 && (i == 1 || i == 3) }}
	h := newTruthIntake(t, pub, nil)
	body := bytes.Join(diaryLines(t, 5), []byte("\n"))

	w, r := postDiary(h, body, "partial-1")
	if w.Code != http.StatusMultiStatus {
		t.Fatalf("a partly acknowledged request: want 207, got %d %s", w.Code, w.Body)
	}
	if r.Accepted != 3 || r.NotAcknowledged != 2 || len(r.Lines) != 5 {
		t.Fatalf("want 3 accepted, 2 not acknowledged, 5 line outcomes; got %+v", r)
	}
	for _, l := range r.Lines {
		want := OutcomeAccepted
		if l.Line == 2 || l.Line == 4 {
			want = OutcomeNotAcknowledged
		}
		if l.Outcome != want {
			t.Errorf("line %d: want %s, got %s", l.Line, want, l.Outcome)
		}
	}
	// The same request again, with its key: only the two missing lines go out.
	w, r = postDiary(h, body, "partial-1")
	if w.Code != http.StatusAccepted || r.Accepted != 5 {
		t.Fatalf("the retry: want 202 with 5 accepted, got %d %+v", w.Code, r)
	}
	if n := pub.topicCount(schemas.StreamDiary.Topic()); n != 5 {
		t.Errorf("want each of the 5 records published once, got %d messages", n)
	}
	// Once more: the answer is replayed, nothing is published.
	w, r = postDiary(h, body, "partial-1")
	if w.Code != http.StatusAccepted || w.Header().Get("Idempotent-Replayed") != "true" || r.Accepted != 5 {
		t.Errorf("a repeat of an answered request: want the 202 replayed, got %d %q %+v", w.Code, w.Header().Get("Idempotent-Replayed"), r)
	}
	if n := pub.topicCount(schemas.StreamDiary.Topic()); n != 5 {
		t.Errorf("a replay published again: %d messages", n)
	}
	t.Run("ErrConflict the same key with another body", func(t *testing.T) {
		w, _ := postDiary(h, body[:len(body)/2], "partial-1")
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("want 422, got %d", w.Code)
		}
	})
	t.Run("ErrInvalid a key with spaces", func(t *testing.T) {
		w, r := postDiary(h, body, "not a key")
		if w.Code != http.StatusBadRequest || len(r.Errors) != 1 || r.Errors[0].Field != "Idempotency-Key" || r.Errors[0].Rule != schemas.RuleFormat {
			t.Errorf("want 400 naming Idempotency-Key and format, got %d %+v", w.Code, r)
		}
	})
}

func TestIntakeNothingAcknowledgedIs503(t *testing.T) {
	pub := &scriptedPublisher{fail: func(int, int, kafka.Message) bool { return true }}
	h := newTruthIntake(t, pub, nil)
	w, r := postDiary(h, bytes.Join(diaryLines(t, 3), []byte("\n")), "")
	if w.Code != http.StatusServiceUnavailable || r.Accepted != 0 || r.NotAcknowledged != 3 || w.Header().Get("Retry-After") == "" {
		t.Errorf("want 503 with 3 not acknowledged and Retry-After, got %d %+v", w.Code, r)
	}
}

func TestIntakeLongLine(t *testing.T) {
	pub := &scriptedPublisher{}
	h := newTruthIntake(t, pub, func(c *IntakeConfig) { c.MaxBodyBytes = 16 << 20 })
	lines := diaryLines(t, 10)
	long := append([]byte(`{"text":"`), append(bytes.Repeat([]byte("a"), 5<<20), []byte(`"}`)...)...)
	all := append(append(append([][]byte(nil), lines[:5]...), long), lines[5:]...)
	w, r := postDiary(h, bytes.Join(all, []byte("\n")), "")
	if w.Code != http.StatusBadRequest || r.Accepted != 10 || r.Rejected != 1 {
		t.Fatalf("want 400 with 10 accepted and 1 rejected, got %d %+v", w.Code, r)
	}
	if len(r.Errors) != 1 || r.Errors[0].Line != 6 || r.Errors[0].Field != "line" || r.Errors[0].Rule != schemas.RuleMaxLength ||
		!strings.Contains(r.Errors[0].MessageIT, "riga") {
		t.Errorf("want line 6 refused with field line, rule max_length, in Italian too; got %+v", r.Errors)
	}
	if n := pub.topicCount(schemas.StreamDiary.Topic()); n != 10 {
		t.Errorf("want 10 records published, got %d", n)
	}
	for _, m := range pub.written {
		if m.Topic == schemas.StreamDeadLetter.Topic() && len(m.Value) > 4096 {
			t.Errorf("the dead letter of the long line is %d bytes", len(m.Value))
		}
	}
	if pub.topicCount(schemas.StreamDeadLetter.Topic()) != 1 {
		t.Error("the long line has no dead letter")
	}
}

func TestIntakeDiskLow(t *testing.T) {
	pub := &scriptedPublisher{}
	h := newTruthIntake(t, pub, func(c *IntakeConfig) { c.Disk = &DiskSpace{Dir: t.TempDir(), MinFree: 1 << 62} })
	w, r := postDiary(h, bytes.Join(diaryLines(t, 2), []byte("\n")), "")
	if w.Code != http.StatusInsufficientStorage || r.Error == "" || r.ErrorIT == "" {
		t.Errorf("below the free-space threshold: want 507 with the reason, got %d %+v", w.Code, r)
	}
	if len(pub.written) != 0 {
		t.Errorf("%d messages published while the disk is low", len(pub.written))
	}
}

// memKeyLog is a KeyLog shared by intakes, as the ClickHouse table is
// shared by instances.
type memKeyLog struct {
	mu   sync.Mutex
	recs map[string]KeyRecord
}

func (l *memKeyLog) LoadKey(_ context.Context, tenant, route, key string, _ time.Duration) (KeyRecord, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r, ok := l.recs[tenant+"|"+route+"|"+key]
	return r, ok, nil
}

func (l *memKeyLog) SaveKey(_ context.Context, r KeyRecord) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs[r.Tenant+"|"+r.Route+"|"+r.Key] = r
	return nil
}

// TestIntakeKeyOnAnotherInstance sends a request partly acknowledged to
// one intake and its retries, with the same key, to others sharing the
// key log: the second completes only the lines not acknowledged, the
// third replays the answer, and every record is published once.
func TestIntakeKeyOnAnotherInstance(t *testing.T) {
	keys := &memKeyLog{recs: map[string]KeyRecord{}}
	pub := &scriptedPublisher{fail: func(call, i int, _ kafka.Message) bool { return call == 1 && i == 2 }}
	withLog := func(c *IntakeConfig) { c.Keys = keys }
	body := bytes.Join(diaryLines(t, 4), []byte("\n"))

	w, r := postDiary(newTruthIntake(t, pub, withLog), body, "k-1")
	if w.Code != http.StatusMultiStatus || r.Accepted != 3 {
		t.Fatalf("first instance: want 207 with 3 accepted, got %d %+v", w.Code, r)
	}
	w, r = postDiary(newTruthIntake(t, pub, withLog), body, "k-1")
	if w.Code != http.StatusAccepted || r.Accepted != 4 || w.Header().Get("Idempotent-Replayed") != "" {
		t.Fatalf("second instance: want 202 with 4 accepted (the missing line published), got %d %+v", w.Code, r)
	}
	w, r = postDiary(newTruthIntake(t, pub, withLog), body, "k-1")
	if w.Code != http.StatusAccepted || r.Accepted != 4 || w.Header().Get("Idempotent-Replayed") != "true" {
		t.Errorf("third instance: want the 202 replayed, got %d %q %+v", w.Code, w.Header().Get("Idempotent-Replayed"), r)
	}
	if n := pub.topicCount(schemas.StreamDiary.Topic()); n != 4 {
		t.Errorf("want each of the 4 records published once, got %d messages", n)
	}
	if w, _ := postDiary(newTruthIntake(t, pub, withLog), body[:len(body)/2], "k-1"); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("the key with another body on a fourth instance: want 422, got %d", w.Code)
	}
}
