package synth

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/bussola-pa/bussola/schemas"
)

// Routes of the HTTP intake, per stream.
var intakeRoutes = map[schemas.Stream]string{
	schemas.StreamDiary:    "/api/v1/diary",
	schemas.StreamSurvey:   "/api/v1/surveys/responses",
	schemas.StreamIntranet: "/api/v1/events",
}

// IntakeRoute returns the intake path that accepts the stream's records.
func IntakeRoute(s schemas.Stream) string { return intakeRoutes[s] }

// Poster posts NDJSON records to Bussola's HTTP intake. Records are grouped
// into batches of one stream and one tenant (tokens are per tenant), posted
// by Concurrency workers. Each batch carries an Idempotency-Key of its own,
// the same on every attempt. A 503, 429 or 409 answer, a 207 (some lines
// not acknowledged) or a failed connection is retried with exponential
// backoff (honouring Retry-After): with the key, the intake publishes on a
// retry only the lines it has not acknowledged before, and the records'
// event_id makes any copy count once. Any other error status stops the
// upload with the server's error body.
type Poster struct {
	BaseURL     string            // e.g. "http://localhost:8080"
	Tokens      map[string]string // tenant -> bearer token
	BatchLines  int               // lines per request; default 1000
	Concurrency int               // requests in flight; default 4
	Client      *http.Client      // default: a client with a 60 s timeout
	// Progress, if set, is called after every accepted batch with the lines
	// sent so far on the stream and Totals[stream] (0 when unknown). Calls
	// are serialised.
	Progress func(stream schemas.Stream, sent, total int)
	Totals   map[schemas.Stream]int
	// MaxAttempts per batch (default 8); Backoff is the first retry delay,
	// doubled each time up to 10 s (default 250 ms).
	MaxAttempts int
	Backoff     time.Duration
}

var defaultClient = &http.Client{Timeout: 60 * time.Second}

// Post sends lines, all of the given stream, and waits for every batch to be
// accepted. Totals[stream] defaults to len(lines) for progress reporting.
func (p *Poster) Post(ctx context.Context, stream schemas.Stream, lines [][]byte) error {
	if p.Totals[stream] == 0 {
		q := *p
		q.Totals = map[schemas.Stream]int{stream: len(lines)}
		p = &q
	}
	u := p.Start(ctx)
	for _, l := range lines {
		if err := u.Emit(stream, l); err != nil {
			break
		}
	}
	return u.Close()
}

// Start begins a streaming upload: pass records to Emit (it has the shape of
// synth.Emit, so Generate can feed it directly), then Close.
func (p *Poster) Start(ctx context.Context) *Upload {
	ctx, cancel := context.WithCancel(ctx)
	u := &Upload{p: p, ctx: ctx, cancel: cancel, pending: map[batchKey]*bytes.Buffer{},
		count: map[batchKey]int{}, jobs: make(chan job), sent: map[schemas.Stream]int{}}
	workers := p.Concurrency
	if workers <= 0 {
		workers = 4
	}
	for i := 0; i < workers; i++ {
		u.wg.Add(1)
		go u.worker()
	}
	return u
}

type batchKey struct {
	stream schemas.Stream
	tenant string
}

type job struct {
	key  batchKey
	body []byte
	n    int
}

// Upload is one streaming upload started by Poster.Start.
type Upload struct {
	p          *Poster
	ctx        context.Context
	cancel     context.CancelFunc
	pending    map[batchKey]*bytes.Buffer
	order      []batchKey // first-seen order, so Close flushes deterministically
	count      map[batchKey]int
	lines      int
	lastTenant string
	jobs       chan job
	wg         sync.WaitGroup

	mu   sync.Mutex
	err  error
	sent map[schemas.Stream]int
}

// Emit queues one NDJSON line (copied) of the given stream. It returns the
// upload's error once a batch has failed.
func (u *Upload) Emit(stream schemas.Stream, line []byte) error {
	if err := u.failed(); err != nil {
		return err
	}
	if err := u.ctx.Err(); err != nil {
		return err
	}
	u.lines++
	if IntakeRoute(stream) == "" {
		return u.fail(fmt.Errorf("post line %d: stream %q has no intake route", u.lines, stream))
	}
	tb, ok := lineTenant(line)
	if !ok {
		return u.fail(fmt.Errorf("post line %d of %s: no \"tenant\" field", u.lines, stream))
	}
	if string(tb) != u.lastTenant { // saves a string allocation per line
		u.lastTenant = string(tb)
	}
	tenant := u.lastTenant
	if _, ok := u.p.Tokens[tenant]; !ok {
		return u.fail(fmt.Errorf("post line %d of %s: no intake token for tenant %q", u.lines, stream, tenant))
	}
	k := batchKey{stream, tenant}
	buf := u.pending[k]
	if buf == nil {
		buf = &bytes.Buffer{}
		u.pending[k] = buf
		u.order = append(u.order, k)
	}
	buf.Write(line)
	buf.WriteByte('\n')
	u.count[k]++
	if u.count[k] >= u.batchLines() {
		return u.flush(k)
	}
	return nil
}

func (u *Upload) batchLines() int {
	if u.p.BatchLines > 0 {
		return u.p.BatchLines
	}
	return 1000
}

func (u *Upload) flush(k batchKey) error {
	buf := u.pending[k]
	if buf == nil || buf.Len() == 0 {
		return nil
	}
	j := job{key: k, body: bytes.Clone(buf.Bytes()), n: u.count[k]}
	buf.Reset()
	u.count[k] = 0
	select {
	case u.jobs <- j:
		return nil
	case <-u.ctx.Done():
		if err := u.failed(); err != nil {
			return err
		}
		return u.ctx.Err()
	}
}

// Close sends the partial batches, waits for every request and returns the
// first error.
func (u *Upload) Close() error {
	for _, k := range u.order {
		if err := u.flush(k); err != nil {
			break
		}
	}
	close(u.jobs)
	u.wg.Wait()
	u.cancel()
	return u.failed()
}

func (u *Upload) failed() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.err
}

func (u *Upload) fail(err error) error {
	u.mu.Lock()
	if u.err == nil {
		u.err = err
	}
	err = u.err
	u.mu.Unlock()
	u.cancel()
	return err
}

func (u *Upload) worker() {
	defer u.wg.Done()
	for j := range u.jobs {
		if u.failed() != nil {
			continue // drain
		}
		if err := u.p.send(u.ctx, j); err != nil {
			u.fail(err)
			continue
		}
		u.mu.Lock()
		u.sent[j.key.stream] += j.n
		if u.p.Progress != nil {
			u.p.Progress(j.key.stream, u.sent[j.key.stream], u.p.Totals[j.key.stream])
		}
		u.mu.Unlock()
	}
}

// send posts one batch, retrying what is worth retrying.
func (p *Poster) send(ctx context.Context, j job) error {
	client := p.Client
	if client == nil {
		client = defaultClient
	}
	attempts := p.MaxAttempts
	if attempts <= 0 {
		attempts = 8
	}
	delay := p.Backoff
	if delay <= 0 {
		delay = 250 * time.Millisecond
	}
	key := uuid.NewString() // one per batch, the same on every attempt
	url := strings.TrimRight(p.BaseURL, "/") + IntakeRoute(j.key.stream)
	what := fmt.Sprintf("post %d %s lines of tenant %s to %s", j.n, j.key.stream, j.key.tenant, url)
	var last error
	for a := 1; a <= attempts; a++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(j.body))
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set("Authorization", "Bearer "+p.Tokens[j.key.tenant])
		req.Header.Set("Idempotency-Key", key)
		resp, err := client.Do(req)
		wait := delay
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return fmt.Errorf("%s: %w", what, ctx.Err())
			}
			last = err
		default:
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			switch {
			case resp.StatusCode == http.StatusMultiStatus:
				last = fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(body)))
			case resp.StatusCode/100 == 2:
				return nil
			case resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusConflict:
				last = fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(body)))
				if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
					wait = time.Duration(s) * time.Second
				}
			default:
				return fmt.Errorf("%s: %s: %s", what, resp.Status, strings.TrimSpace(string(body)))
			}
		}
		if a == attempts {
			break
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", what, ctx.Err())
		}
		delay = min(2*delay, 10*time.Second)
	}
	return fmt.Errorf("%s: gave up after %d attempts: %w", what, attempts, last)
}

// LineTenant returns the tenant of a generated NDJSON line (see lineTenant).
func LineTenant(line []byte) (string, bool) {
	t, ok := lineTenant(line)
	return string(t), ok
}

// lineTenant finds the value of the "tenant" field in an NDJSON line without
// decoding it. It expects compact JSON ("tenant":"slug", as Generate and
// encoding/json write it); tenants are slugs, so there are no escapes.
func lineTenant(line []byte) ([]byte, bool) {
	const field = `"tenant":"`
	i := bytes.Index(line, []byte(field))
	if i < 0 {
		return nil, false
	}
	rest := line[i+len(field):]
	j := bytes.IndexByte(rest, '"')
	if j <= 0 {
		return nil, false
	}
	return rest[:j], true
}

// PostGenerated generates cfg straight into the intake through p and
// returns the records posted per stream. When p.Totals is nil it is filled
// with Count(cfg) first, so p.Progress sees exact totals.
func PostGenerated(ctx context.Context, cfg Config, p *Poster) (map[schemas.Stream]int, error) {
	if p.Totals == nil {
		totals, err := Count(cfg)
		if err != nil {
			return nil, err
		}
		q := *p
		q.Totals = totals
		p = &q
	}
	counts := map[schemas.Stream]int{}
	u := p.Start(ctx)
	genErr := Generate(cfg, func(s schemas.Stream, line []byte) error {
		counts[s]++
		return u.Emit(s, line)
	})
	if err := u.Close(); err != nil {
		return counts, err
	}
	if genErr != nil {
		return counts, genErr
	}
	return counts, nil
}
