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
	Logger         *slog.Logger
	Metrics        *Metrics
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
	Accepted int         `json:"accepted"`
	Rejected int         `json:"rejected"`
	Errors   []LineError `json:"errors,omitempty"`
	Error    string      `json:"error,omitempty"`
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
	in := &Intake{cfg: cfg, pub: pub}
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

func (in *Intake) handler(stream schemas.Stream) gin.HandlerFunc {
	c := codec{stream: stream, check: in.cfg.CheckSurvey, retention: in.cfg.Retention}
	route := Routes[stream]
	return func(g *gin.Context) {
		tenant, ok := in.tenantOf(g.GetHeader("Authorization"))
		if !ok {
			g.Header("WWW-Authenticate", `Bearer realm="bussola-intake"`)
			g.JSON(http.StatusUnauthorized, IntakeResponse{Error: "a valid bearer ingest token is required (Authorization: Bearer <token>)"})
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(g.Writer, g.Request.Body, in.cfg.MaxBodyBytes))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				g.JSON(http.StatusRequestEntityTooLarge, IntakeResponse{Error: fmt.Sprintf("request body exceeds %d bytes; split the batch", in.cfg.MaxBodyBytes)})
				return
			}
			g.JSON(http.StatusBadRequest, IntakeResponse{Error: "reading request body: " + err.Error()})
			return
		}
		res := in.process(c, route, tenant, body, strings.HasPrefix(g.ContentType(), "application/json"))
		m := in.cfg.Metrics
		if len(res.forbidden) > 0 {
			m.Received.WithLabelValues(string(stream), "forbidden").Add(float64(len(res.forbidden)))
			g.JSON(http.StatusForbidden, IntakeResponse{Rejected: len(res.forbidden), Errors: res.forbidden,
				Error: "the token of tenant " + tenant + " cannot write records of another tenant; nothing was accepted"})
			return
		}
		if res.accepted+len(res.errors) == 0 {
			g.JSON(http.StatusBadRequest, IntakeResponse{Error: "the request body holds no records"})
			return
		}
		ctx, cancel := context.WithTimeout(g.Request.Context(), in.cfg.PublishTimeout)
		defer cancel()
		start := time.Now()
		if err := in.pub.Publish(ctx, res.msgs...); err != nil {
			in.cfg.Logger.Warn("intake publish failed", "stream", stream, "records", len(res.msgs), "err", err)
			g.Header("Retry-After", "5")
			g.JSON(http.StatusServiceUnavailable, IntakeResponse{Error: "the event log (Kafka) is unavailable; nothing was accepted, retry later"})
			return
		}
		m.PublishLatency.WithLabelValues(string(stream)).Observe(time.Since(start).Seconds())
		m.Received.WithLabelValues(string(stream), "accepted").Add(float64(res.accepted))
		resp := IntakeResponse{Accepted: res.accepted, Rejected: res.rejected, Errors: res.errors}
		if res.rejected > 0 {
			m.Received.WithLabelValues(string(stream), "rejected").Add(float64(res.rejected))
			m.DeadLettered.WithLabelValues(string(stream), "intake").Add(float64(res.rejected))
			resp.Error = fmt.Sprintf("%d of %d records are invalid and were not accepted; they are listed in errors and kept in the dead-letter topic", res.rejected, res.rejected+res.accepted)
			g.JSON(http.StatusBadRequest, resp)
			return
		}
		g.JSON(http.StatusAccepted, resp)
	}
}

type processed struct {
	msgs      []kafka.Message // valid records and dead letters, in line order
	accepted  int
	rejected  int
	errors    []LineError
	forbidden []LineError
}

// process decodes, validates and pseudonymises every line of body.
func (in *Intake) process(c codec, route, tenant string, body []byte, single bool) processed {
	var res processed
	lines := splitLines(body, single)
	res.msgs = make([]kafka.Message, 0, len(lines))
	topic := c.stream.Topic()
	now := time.Now().UTC()
	names := interner{}
	for i, line := range lines {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		lineNo := i + 1
		rec, env, ferrs := c.decode(line, schemas.AtIntake, names)
		if env != nil && env.Tenant != "" && env.Tenant != tenant {
			res.forbidden = append(res.forbidden, LineError{Line: lineNo, Field: "tenant", Rule: schemas.RuleForbidden,
				Message: fmt.Sprintf("tenant %q does not match the token's tenant", env.Tenant)})
			continue
		}
		if len(ferrs) > 0 {
			res.rejected++
			for _, fe := range ferrs {
				res.errors = append(res.errors, LineError{Line: lineNo, Field: fe.Field, Rule: fe.Rule, Message: fe.Message, MessageIT: fe.MessageIT})
			}
			res.msgs = append(res.msgs, in.deadLetter(c.stream, route, lineNo, tenant, line, env, ferrs, now))
			continue
		}
		env.Person = in.cfg.Pseudonyms.Person(tenant, env.EmployeeID)
		env.EmployeeID = ""
		value, err := marshalRecord(rec)
		if err != nil { // cannot happen for these types; never drop silently
			res.rejected++
			res.errors = append(res.errors, LineError{Line: lineNo, Rule: schemas.RuleFormat, Message: "encode: " + err.Error()})
			continue
		}
		res.accepted++
		res.msgs = append(res.msgs, kafka.Message{Topic: topic, Key: []byte(tenant + "/" + env.Person), Value: value})
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
