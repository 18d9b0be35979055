package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/schemas"
)

// IntakeConfig configures the intake API.
type IntakeConfig struct {
	// Tokens maps a bearer ingest token to the one tenant it may write for.
	Tokens map[string]string
	// Pseudonyms turns employee identifiers into keyed pseudonyms.
	Pseudonyms *schemas.Pseudonymizer
	// MaxBodyBytes is the largest request body accepted (413 above it).
	MaxBodyBytes int64
	// CheckSurvey validates survey answers against their instrument (optional).
	CheckSurvey schemas.InstrumentChecker
	// Retention refuses records about a moment older than it (the storage
	// TTL would delete them on arrival); 0 keeps every record.
	Retention time.Duration
	// PublishTimeout bounds the wait for Kafka's acknowledgement (503 after).
	PublishTimeout time.Duration
	// MaxLineBytes is the longest line taken; a longer one is refused on
	// its own (400, field line, rule max_length). Default 1 MiB.
	MaxLineBytes int
	// MaxInflight and MaxInflightBytes bound the requests being processed
	// and published at once and the bytes of their bodies; a request over
	// either waits up to QueueWait, then is shed with 429 and Retry-After.
	// Defaults 8 and 64 MiB.
	MaxInflight      int
	MaxInflightBytes int64
	// QueueWait is how long a request over those bounds waits for its
	// turn before it is shed (default 0: shed at once).
	QueueWait time.Duration
	// RetryAfter is the wait a shed request is told (default 1 s).
	RetryAfter time.Duration
	// Disk, when set, refuses requests with 507 while its free space is
	// below its threshold.
	Disk *DiskSpace
	// IdempotencyKeys is how many Idempotency-Key entries are remembered
	// (default 100,000), each for IdempotencyTTL (default 24 h).
	IdempotencyKeys int
	IdempotencyTTL  time.Duration
	// Keys, when set, keeps the keys' outcomes beyond this process (see
	// KeyLog): a retry after a restart or on another instance is answered
	// as by the instance that took the request.
	Keys    KeyLog
	Logger  *slog.Logger
	Metrics *Metrics
}

// MessagePublisher is what the intake needs from Kafka.
type MessagePublisher interface {
	Publish(ctx context.Context, msgs ...kafka.Message) error
}

// Intake is the HTTP intake API.
type Intake struct {
	cfg    IntakeConfig
	pub    MessagePublisher
	tokens []tokenEntry
	adm    *admission
	idem   *idempotency
}

type tokenEntry struct {
	hash   [32]byte
	tenant string
}

// LineError reports why one line of a batch was not taken. Message is in
// English; MessageIT, in Italian, comes with the rules that have it.
type LineError struct {
	Line      int    `json:"line"`
	Field     string `json:"field"`
	Rule      string `json:"rule"`
	Message   string `json:"message"`
	MessageIT string `json:"message_it,omitempty"`
}

// IntakeResponse is the body of every intake answer.
type IntakeResponse struct {
	Accepted int `json:"accepted"`
	Rejected int `json:"rejected"`
	// NotAcknowledged counts the valid lines Kafka did not acknowledge
	// (207 and 503 answers): not written, or written without the
	// acknowledgement reaching the intake. Sending them again is safe.
	NotAcknowledged int         `json:"not_acknowledged,omitempty"`
	Errors          []LineError `json:"errors,omitempty"`
	// Lines gives every line's outcome when only some lines were
	// acknowledged (207): accepted, rejected (see errors) or
	// not_acknowledged.
	Lines   []LineOutcome `json:"lines,omitempty"`
	Error   string        `json:"error,omitempty"`
	ErrorIT string        `json:"error_it,omitempty"`
}

// LineOutcome is what became of one line of a partly taken request.
type LineOutcome struct {
	Line    int    `json:"line"`
	Outcome string `json:"outcome"`
}

// Routes of the intake API, by stream.
var Routes = map[schemas.Stream]string{
	schemas.StreamDiary:    "/api/v1/diary",
	schemas.StreamSurvey:   "/api/v1/surveys/responses",
	schemas.StreamIntranet: "/api/v1/events",
}

// NewIntake returns the intake API publishing through pub.
func NewIntake(cfg IntakeConfig, pub MessagePublisher) (*Intake, error) {
	if cfg.Pseudonyms == nil {
		return nil, errors.New("intake: a pseudonymizer is required")
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 32 << 20
	}
	if cfg.PublishTimeout <= 0 {
		cfg.PublishTimeout = 15 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics(nil)
	}
	if cfg.MaxLineBytes <= 0 {
		cfg.MaxLineBytes = 1 << 20
	}
	if cfg.MaxInflight <= 0 {
		cfg.MaxInflight = 8
	}
	if cfg.MaxInflightBytes <= 0 {
		cfg.MaxInflightBytes = 64 << 20
	}
	if cfg.RetryAfter < time.Second {
		cfg.RetryAfter = time.Second
	}
	if cfg.IdempotencyKeys <= 0 {
		cfg.IdempotencyKeys = 100_000
	}
	if cfg.IdempotencyTTL <= 0 {
		cfg.IdempotencyTTL = 24 * time.Hour
	}
	in := &Intake{cfg: cfg, pub: pub, adm: newAdmission(cfg.MaxInflight, cfg.MaxInflightBytes, cfg.QueueWait),
		idem: newIdempotency(cfg.IdempotencyKeys, cfg.IdempotencyTTL, cfg.Keys, cfg.Logger)}
	for tok, tenant := range cfg.Tokens {
		if len(tok) < 16 {
			return nil, fmt.Errorf("intake: the ingest token of tenant %s is shorter than 16 characters", tenant)
		}
		in.tokens = append(in.tokens, tokenEntry{hash: sha256.Sum256([]byte(tok)), tenant: tenant})
	}
	return in, nil
}

// Register mounts the intake routes on r.
func (in *Intake) Register(r gin.IRoutes) {
	for stream, route := range Routes {
		r.POST(route, in.handler(stream))
	}
}

// tenantOf returns the tenant of a bearer token, comparing in constant time.
func (in *Intake) tenantOf(header string) (string, bool) {
	tok, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || tok == "" {
		return "", false
	}
	h := sha256.Sum256([]byte(tok))
	tenant, found := "", 0
	for _, e := range in.tokens {
		if subtle.ConstantTimeCompare(h[:], e.hash[:]) == 1 {
			tenant, found = e.tenant, 1
		}
	}
	return tenant, found == 1
}

// handler answers one stream's route. A refusal that is an error code
// (unauthorized, invalid, too_large, forbidden, unavailable) takes its
// status from schemas.HTTPStatus, like every other API of the service;
// 202, 207, 409, 422, 429 and 507 are the intake's own outcomes.
func (in *Intake) handler(stream schemas.Stream) gin.HandlerFunc {
	c := codec{stream: stream, check: in.cfg.CheckSurvey, retention: in.cfg.Retention}
	route := Routes[stream]
	return func(g *gin.Context) {
		tenant, ok := in.tenantOf(g.GetHeader("Authorization"))
		if !ok {
			g.Header("WWW-Authenticate", `Bearer realm="bussola-intake"`)
			g.JSON(schemas.HTTPStatus(schemas.EUNAUTHORIZED), IntakeResponse{Error: "a valid bearer ingest token is required (Authorization: Bearer <token>)"})
			return
		}
		key := g.GetHeader("Idempotency-Key")
		if fe := checkIdempotencyKey(key); fe != nil {
			g.JSON(schemas.HTTPStatus(schemas.EINVALID), IntakeResponse{Errors: []LineError{*fe}, Error: fe.Field + ": " + fe.Message, ErrorIT: fe.Field + ": " + fe.MessageIT})
			return
		}
		if free, low, err := in.cfg.Disk.Free(); err != nil {
			in.cfg.Logger.Warn("intake: free space unknown", "err", err)
		} else if low {
			in.refuse(g, "disk", http.StatusInsufficientStorage, IntakeResponse{
				Error:   fmt.Sprintf("the service's disk is nearly full (%d MiB free, below the threshold of %d MiB); nothing was accepted, retry once space is freed", free>>20, in.cfg.Disk.MinFree>>20),
				ErrorIT: fmt.Sprintf("il disco del servizio è quasi pieno (%d MiB liberi, sotto la soglia di %d MiB); nulla è stato accettato, riprovare quando sarà liberato spazio", free>>20, in.cfg.Disk.MinFree>>20)})
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(g.Writer, g.Request.Body, in.cfg.MaxBodyBytes))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				g.JSON(schemas.HTTPStatus(schemas.ETOOLARGE), IntakeResponse{Error: fmt.Sprintf("request body exceeds %d bytes; split the batch", in.cfg.MaxBodyBytes)})
				return
			}
			g.JSON(schemas.HTTPStatus(schemas.EINVALID), IntakeResponse{Error: "reading request body: " + err.Error()})
			return
		}
		size := int64(len(body))
		if !in.adm.acquire(g.Request.Context(), size) {
			g.Header("Retry-After", strconv.Itoa(int(in.cfg.RetryAfter/time.Second)))
			in.refuse(g, "busy", http.StatusTooManyRequests, IntakeResponse{
				Error:   "the intake is at its limit of requests in flight; nothing was accepted, retry after the time in Retry-After",
				ErrorIT: "l'acquisizione ha raggiunto il limite di richieste in corso; nulla è stato accettato, riprovare dopo il tempo indicato in Retry-After"})
			return
		}
		defer in.adm.release(size)
		var acked map[int]bool // lines acknowledged by earlier attempts with this key
		if key != "" {
			outcome, before, stored := in.idem.begin(g.Request.Context(), tenant, route, key, body)
			switch outcome {
			case idemReplay:
				g.Header("Idempotent-Replayed", "true")
				g.JSON(stored.status, stored.body)
				return
			case idemRunning:
				in.refuse(g, "conflict", http.StatusConflict, IntakeResponse{
					Error:   "a request with this Idempotency-Key is still being processed; retry once it is answered",
					ErrorIT: "una richiesta con questa Idempotency-Key è ancora in corso; riprovare quando avrà risposta"})
				return
			case idemMismatch:
				in.refuse(g, "conflict", http.StatusUnprocessableEntity, IntakeResponse{
					Error:   "this Idempotency-Key was used with another request body; use a new key for a new request",
					ErrorIT: "questa Idempotency-Key è già stata usata con un altro corpo; usare una nuova chiave per una nuova richiesta"})
				return
			}
			acked = before
			defer func() { // a panic in take must not leave the key running
				if r := recover(); r != nil {
					in.idem.finish(g.Request.Context(), tenant, route, key, nil, nil)
					panic(r)
				}
			}()
		}
		status, resp, ackedNow := in.take(g.Request.Context(), c, stream, route, tenant, body, strings.HasPrefix(g.ContentType(), "application/json"), acked)
		if key != "" {
			var final *storedAnswer
			if status != http.StatusMultiStatus && status != http.StatusServiceUnavailable {
				final = &storedAnswer{status: status, body: resp}
			}
			in.idem.finish(g.Request.Context(), tenant, route, key, ackedNow, final)
		}
		if status == http.StatusServiceUnavailable {
			g.Header("Retry-After", "5")
		}
		g.JSON(status, resp)
	}
}

// refuse answers a request refused as a whole before any line was read,
// counting it by reason.
func (in *Intake) refuse(g *gin.Context, reason string, status int, resp IntakeResponse) {
	in.cfg.Metrics.Refused.WithLabelValues(reason).Inc()
	g.JSON(status, resp)
}

// checkIdempotencyKey checks the Idempotency-Key header: optional, 1 to
// 255 visible ASCII characters (a UUID is a good key).
func checkIdempotencyKey(key string) *LineError {
	ok := len(key) <= 255
	for i := 0; ok && i < len(key); i++ {
		ok = key[i] > ' ' && key[i] < 0x7f
	}
	if ok {
		return nil
	}
	return &LineError{Field: "Idempotency-Key", Rule: schemas.RuleFormat,
		Message:   "must be 1 to 255 visible ASCII characters, such as a UUID",
		MessageIT: "deve essere di 1-255 caratteri ASCII visibili, per esempio un UUID"}
}

// Line outcomes in a 207 answer.
const (
	OutcomeAccepted        = "accepted"         // acknowledged by Kafka: it will be stored
	OutcomeRejected        = "rejected"         // invalid: see errors; never stored
	OutcomeNotAcknowledged = "not_acknowledged" // Kafka did not acknowledge it: send it again
)

// take processes and publishes the lines of one request and returns the
// answer and the line numbers Kafka acknowledged (records and dead
// letters). Lines in skip were acknowledged by an earlier attempt with the
// same idempotency key and are not published again.
func (in *Intake) take(ctx context.Context, c codec, stream schemas.Stream, route, tenant string, body []byte, single bool, skip map[int]bool) (int, IntakeResponse, []int) {
	res := in.process(c, route, tenant, body, single)
	m := in.cfg.Metrics
	if len(res.forbidden) > 0 {
		m.Received.WithLabelValues(string(stream), "forbidden").Add(float64(len(res.forbidden)))
		return schemas.HTTPStatus(schemas.EFORBIDDEN), IntakeResponse{Rejected: len(res.forbidden), Errors: res.forbidden,
			Error: "the token of tenant " + tenant + " cannot write records of another tenant; nothing was accepted"}, nil
	}
	if res.accepted+len(res.errors) == 0 {
		return schemas.HTTPStatus(schemas.EINVALID), IntakeResponse{Error: "the request body holds no records"}, nil
	}
	msgs, lines := res.msgs[:0:0], res.lines[:0:0]
	for i, msg := range res.msgs {
		if !skip[res.lines[i]] {
			msgs, lines = append(msgs, msg), append(lines, res.lines[i])
		}
	}
	unacked := map[int]bool{}
	if len(msgs) > 0 {
		// A client that hangs up does not cut the publish short: its
		// outcome is then known, and kept for a retry with the same key.
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), in.cfg.PublishTimeout)
		start := time.Now()
		err := in.pub.Publish(pctx, msgs...)
		cancel()
		if err != nil {
			var pe *PublishError
			if errors.As(err, &pe) {
				for _, i := range pe.Unacked {
					unacked[lines[i]] = true
				}
			} else { // a publisher that says nothing per message
				for _, l := range lines {
					unacked[l] = true
				}
			}
			in.cfg.Logger.Warn("intake publish failed", "stream", stream, "messages", len(msgs), "unacknowledged", len(unacked), "err", err)
		} else {
			m.PublishLatency.WithLabelValues(string(stream)).Observe(time.Since(start).Seconds())
		}
	}
	ackedNow := make([]int, 0, len(lines))
	for _, l := range lines {
		if !unacked[l] {
			ackedNow = append(ackedNow, l)
		}
	}
	if res.rejected > 0 {
		m.Received.WithLabelValues(string(stream), "rejected").Add(float64(res.rejected))
	}
	notAcked := 0
	for _, l := range res.valid {
		if unacked[l] {
			notAcked++
		}
	}
	accepted := res.accepted - notAcked
	m.Received.WithLabelValues(string(stream), "accepted").Add(float64(accepted))
	m.DeadLettered.WithLabelValues(string(stream), "intake").Add(float64(res.rejected - countIn(res.invalid, unacked)))
	if n := countIn(res.invalid, unacked); n > 0 {
		in.cfg.Logger.Warn("intake: dead letters not acknowledged", "stream", stream, "lines", n)
	}
	resp := IntakeResponse{Accepted: accepted, Rejected: res.rejected, NotAcknowledged: notAcked, Errors: res.errors}
	switch {
	case len(unacked) > 0 && len(ackedNow) == 0 && len(skip) == 0:
		resp.Error = "the event log (Kafka) did not acknowledge any line; nothing was accepted. Send the same request again (with the same Idempotency-Key): a line written without acknowledgement is stored once, by its event_id"
		resp.ErrorIT = "il registro degli eventi (Kafka) non ha confermato alcuna riga; nulla è stato accettato. Inviare di nuovo la stessa richiesta (con la stessa Idempotency-Key): una riga scritta senza conferma è conservata una volta sola, per il suo event_id"
		return schemas.HTTPStatus(schemas.EUNAVAILABLE), resp, nil
	case notAcked > 0:
		resp.Lines = res.outcomes(unacked)
		resp.Error = fmt.Sprintf("%d of %d lines were accepted, %d are invalid and %d were not acknowledged by the event log (Kafka); lines lists each line's outcome. Send the same request again with the same Idempotency-Key, or just the lines not acknowledged", accepted, len(res.valid)+res.rejected, res.rejected, notAcked)
		resp.ErrorIT = fmt.Sprintf("%d righe su %d accettate, %d non valide e %d non confermate dal registro degli eventi (Kafka); lines indica l'esito di ogni riga. Inviare di nuovo la stessa richiesta con la stessa Idempotency-Key, oppure solo le righe non confermate", accepted, len(res.valid)+res.rejected, res.rejected, notAcked)
		return http.StatusMultiStatus, resp, ackedNow
	case res.rejected > 0:
		resp.Error = fmt.Sprintf("%d of %d records are invalid and were not accepted; they are listed in errors and kept in the dead-letter topic", res.rejected, res.rejected+res.accepted)
		resp.ErrorIT = fmt.Sprintf("%d record su %d non sono validi e non sono stati accettati; sono elencati in errors e conservati nel topic delle lettere morte", res.rejected, res.rejected+res.accepted)
		return schemas.HTTPStatus(schemas.EINVALID), resp, ackedNow
	}
	return http.StatusAccepted, resp, ackedNow
}

func countIn(lines []int, set map[int]bool) int {
	n := 0
	for _, l := range lines {
		if set[l] {
			n++
		}
	}
	return n
}

type processed struct {
	msgs      []kafka.Message // valid records and dead letters, in line order
	lines     []int           // the line number of each message
	valid     []int           // line numbers of the valid records
	invalid   []int           // line numbers of the invalid ones
	accepted  int
	rejected  int
	errors    []LineError
	forbidden []LineError
}

// outcomes lists every line's outcome, given the lines not acknowledged.
func (p processed) outcomes(unacked map[int]bool) []LineOutcome {
	out := make([]LineOutcome, 0, len(p.valid)+len(p.invalid))
	for _, l := range p.valid {
		o := OutcomeAccepted
		if unacked[l] {
			o = OutcomeNotAcknowledged
		}
		out = append(out, LineOutcome{Line: l, Outcome: o})
	}
	for _, l := range p.invalid {
		out = append(out, LineOutcome{Line: l, Outcome: OutcomeRejected})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// process decodes, validates and pseudonymises every line of body.
func (in *Intake) process(c codec, route, tenant string, body []byte, single bool) processed {
	var res processed
	lines := splitLines(body, single)
	res.msgs = make([]kafka.Message, 0, len(lines))
	res.lines = make([]int, 0, len(lines))
	res.valid = make([]int, 0, len(lines))
	topic := c.stream.Topic()
	now := time.Now().UTC()
	names := interner{}
	for i, line := range lines {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		lineNo := i + 1
		if len(line) > in.cfg.MaxLineBytes {
			// Refused unread: decoding it would cost as much as a batch,
			// and its dead letter describes only its size.
			fe := schemas.FieldError{Field: "line", Rule: schemas.RuleMaxLength,
				Message:   fmt.Sprintf("the line is %d bytes, above the limit of %d bytes per line", len(line), in.cfg.MaxLineBytes),
				MessageIT: fmt.Sprintf("la riga è di %d byte, oltre il limite di %d byte per riga", len(line), in.cfg.MaxLineBytes)}
			res.rejected++
			res.invalid = append(res.invalid, lineNo)
			res.errors = append(res.errors, LineError{Line: lineNo, Field: fe.Field, Rule: fe.Rule, Message: fe.Message, MessageIT: fe.MessageIT})
			res.msgs = append(res.msgs, in.deadLetter(c.stream, route, lineNo, tenant, nil, nil, []schemas.FieldError{fe}, now))
			res.lines = append(res.lines, lineNo)
			continue
		}
		rec, env, ferrs := c.decode(line, schemas.AtIntake, names)
		if env != nil && env.Tenant != "" && env.Tenant != tenant {
			res.forbidden = append(res.forbidden, LineError{Line: lineNo, Field: "tenant", Rule: schemas.RuleForbidden,
				Message: fmt.Sprintf("tenant %q does not match the token's tenant", env.Tenant)})
			continue
		}
		if len(ferrs) > 0 {
			res.rejected++
			res.invalid = append(res.invalid, lineNo)
			for _, fe := range ferrs {
				res.errors = append(res.errors, LineError{Line: lineNo, Field: fe.Field, Rule: fe.Rule, Message: fe.Message, MessageIT: fe.MessageIT})
			}
			res.msgs = append(res.msgs, in.deadLetter(c.stream, route, lineNo, tenant, line, env, ferrs, now))
			res.lines = append(res.lines, lineNo)
			continue
		}
		env.Person = in.cfg.Pseudonyms.Person(tenant, env.EmployeeID)
		env.EmployeeID = ""
		value, err := marshalRecord(rec)
		if err != nil { // cannot happen for these types; never drop silently
			res.rejected++
			res.invalid = append(res.invalid, lineNo)
			res.errors = append(res.errors, LineError{Line: lineNo, Rule: schemas.RuleFormat, Message: "encode: " + err.Error()})
			continue
		}
		res.accepted++
		res.valid = append(res.valid, lineNo)
		res.msgs = append(res.msgs, kafka.Message{Topic: topic, Key: []byte(tenant + "/" + env.Person), Value: value})
		res.lines = append(res.lines, lineNo)
	}
	return res
}

// deadLetter builds the dead-letter message of an invalid intake line:
// its reasons and a redacted payload (see redact.go) that names the person
// only by the pseudonym of the record's employee_id, when it has one.
func (in *Intake) deadLetter(stream schemas.Stream, route string, line int, tenant string, raw []byte, env *schemas.Envelope, ferrs []schemas.FieldError, at time.Time) kafka.Message {
	dl := schemas.DeadLetter{Source: "intake " + route, SourceLine: line, Tenant: tenant, At: at}
	person := ""
	if env != nil && env.EmployeeID != "" {
		person = in.cfg.Pseudonyms.Person(tenant, env.EmployeeID)
	}
	redactedDeadLetter(&dl, stream, raw, ferrs, person)
	if raw == nil { // a line refused unread (too long)
		dl.Payload = `{"~line":"~too_long"}`
	}
	value, _ := json.Marshal(dl)
	return kafka.Message{Topic: schemas.StreamDeadLetter.Topic(), Key: []byte(tenant), Value: value}
}

// splitLines splits an NDJSON body into lines; a body sent as
// application/json that holds exactly one JSON value is one record, which
// may span lines.
func splitLines(body []byte, single bool) [][]byte {
	if single && json.Valid(body) {
		return [][]byte{bytes.TrimSpace(body)}
	}
	lines := bytes.Split(body, []byte{'\n'})
	if n := len(lines); n > 0 && len(bytes.TrimSpace(lines[n-1])) == 0 {
		lines = lines[:n-1]
	}
	return lines
}
