package synth

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/schemas"
)

// fakeIntake records what it receives and answers with the statuses queued
// in fail (then 202).
type fakeIntake struct {
	mu       sync.Mutex
	lines    map[string]int // route -> lines accepted
	requests int
	fail     []int
	bad      []string
	keys     []string // the Idempotency-Key of each request
}

func (f *fakeIntake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	f.keys = append(f.keys, r.Header.Get("Idempotency-Key"))
	if len(f.fail) > 0 {
		code := f.fail[0]
		f.fail = f.fail[1:]
		http.Error(w, `{"error":"invalid","message":"line 1: date: must be a date"}`, code)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-ndjson" {
		f.bad = append(f.bad, "content type "+ct)
	}
	tenant := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer token-")
	body, _ := io.ReadAll(r.Body)
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if got, _ := lineTenant(sc.Bytes()); string(got) != tenant {
			f.bad = append(f.bad, "a "+string(got)+" line in a batch posted with the token of "+tenant)
		}
		f.lines[r.URL.Path]++
	}
	w.WriteHeader(http.StatusAccepted)
}

func newFakeIntake(t *testing.T, fail ...int) (*fakeIntake, *Poster) {
	t.Helper()
	f := &fakeIntake{lines: map[string]int{}, fail: fail}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	p := &Poster{
		BaseURL:     srv.URL,
		Tokens:      map[string]string{"comune-aurelia": "token-comune-aurelia", "comune-borgoverde": "token-comune-borgoverde"},
		BatchLines:  200,
		Concurrency: 3,
		Client:      srv.Client(),
		Backoff:     time.Millisecond,
	}
	return f, p
}

func TestPosterSendsOneTenantPerBatch(t *testing.T) {
	f, p := newFakeIntake(t)
	cfg := Config{Seed: 1, Scale: 0.01}
	var progress []int
	p.Progress = func(s schemas.Stream, sent, total int) {
		if s == schemas.StreamIntranet {
			progress = append(progress, sent, total)
		}
	}
	counts, err := PostGenerated(t.Context(), cfg, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.bad) > 0 {
		t.Fatalf("intake saw: %v", f.bad[:min(3, len(f.bad))])
	}
	for _, s := range schemas.Streams {
		if got := f.lines[IntakeRoute(s)]; got != counts[s] || got == 0 {
			t.Errorf("%s: intake got %d lines at %s, generated %d", s, got, IntakeRoute(s), counts[s])
		}
	}
	if n := len(progress); n == 0 || progress[n-2] != counts[schemas.StreamIntranet] || progress[n-1] != counts[schemas.StreamIntranet] {
		t.Errorf("last progress report %v, want sent = total = %d", progress[max(0, len(progress)-2):], counts[schemas.StreamIntranet])
	}
}

func TestPosterRetriesServiceUnavailable(t *testing.T) {
	f, p := newFakeIntake(t, 503, 503)
	lines := [][]byte{
		[]byte(`{"event_id":"x","tenant":"comune-aurelia"}`),
		[]byte(`{"event_id":"y","tenant":"comune-aurelia"}`),
	}
	if err := p.Post(t.Context(), schemas.StreamDiary, lines); err != nil {
		t.Fatal(err)
	}
	if f.requests != 3 || f.lines["/api/v1/diary"] != 2 {
		t.Errorf("%d requests, %d lines accepted; want 3 requests (two 503s) and 2 lines", f.requests, f.lines["/api/v1/diary"])
	}
}

func TestPosterRetriesWithTheBatchKey(t *testing.T) {
	f, p := newFakeIntake(t, 503, 207, 429)
	p.BatchLines, p.Concurrency = 1, 1
	lines := [][]byte{
		[]byte(`{"event_id":"x","tenant":"comune-aurelia"}`),
		[]byte(`{"event_id":"y","tenant":"comune-aurelia"}`),
	}
	if err := p.Post(t.Context(), schemas.StreamDiary, lines); err != nil {
		t.Fatal(err)
	}
	// Batch one: 503, 207, 429, then 202, all with one key; batch two: 202.
	if len(f.keys) != 5 || f.lines["/api/v1/diary"] != 2 {
		t.Fatalf("want 5 requests and 2 lines taken, got %d requests %v and %d lines", len(f.keys), f.keys, f.lines["/api/v1/diary"])
	}
	if f.keys[0] == "" || f.keys[1] != f.keys[0] || f.keys[2] != f.keys[0] || f.keys[3] != f.keys[0] {
		t.Errorf("the retries of a batch must carry its key: %v", f.keys)
	}
	if f.keys[4] == "" || f.keys[4] == f.keys[0] {
		t.Errorf("each batch needs its own key: %v", f.keys)
	}
}

func TestPosterErrors(t *testing.T) {
	tests := []struct {
		name    string
		fail    []int
		attempt int
		line    string
		want    string
	}{
		{"A 400 answer stops the upload with the server's message.", []int{400}, 0,
			`{"tenant":"comune-aurelia"}`, "line 1: date: must be a date"},
		{"Too many 503 answers give up.", []int{503, 503, 503}, 3,
			`{"tenant":"comune-aurelia"}`, "gave up after 3 attempts"},
		{"A tenant without a token is refused before sending.", nil, 0,
			`{"tenant":"comune-altrove"}`, `no intake token for tenant "comune-altrove"`},
		{"A line without a tenant is refused.", nil, 0,
			`{"event_id":"x"}`, `no "tenant" field`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, p := newFakeIntake(t, tt.fail...)
			p.MaxAttempts = tt.attempt
			err := p.Post(context.Background(), schemas.StreamSurvey, [][]byte{[]byte(tt.line)})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestProgressBarRedrawsOneLine(t *testing.T) {
	var buf bytes.Buffer
	b := NewProgressBar(&buf, map[schemas.Stream]int{schemas.StreamDiary: 10, schemas.StreamIntranet: 30})
	b.Update(schemas.StreamDiary, 10, 10)
	b.Update(schemas.StreamIntranet, 30, 30)
	b.Finish()
	out := buf.String()
	if strings.Count(out, "\r") != 3 || strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
		t.Errorf("want three \\r-redraws and one final newline, got %q", out)
	}
	if !strings.Contains(out, "[####################] 100%  diary 100%  intranet 100%") {
		t.Errorf("final state not drawn: %q", out)
	}
	if thousands(1234567) != "1,234,567" || thousands(999) != "999" {
		t.Errorf("thousands: %s %s", thousands(1234567), thousands(999))
	}
}
