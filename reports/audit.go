package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// AuditLog records who viewed or exported what.
type AuditLog interface {
	Record(ctx context.Context, e AuditEntry) error
}

// AuditEntry is one view, data request, export, login or refusal.
type AuditEntry struct {
	At   time.Time `json:"at"`
	User string    `json:"user"`
	// Credential is what the request presented: "session", "api_token:<id>",
	// "bearer:invalid" (an ingest token, say), "none" (JSON APIs only).
	Credential string `json:"credential,omitempty"`
	Action     string `json:"action"` // view, data, export, login, login_failed, logout, denied, api_read, api_denied
	Route      string `json:"route"`
	Page       string `json:"page,omitempty"`
	Tenant     string `json:"tenant,omitempty"`
	Filters    string `json:"filters,omitempty"`
	Format     string `json:"format,omitempty"` // csv, xlsx, pdf, json
	Status     int    `json:"status"`
}

// JSONLAudit appends one JSON object per line to a writer.
type JSONLAudit struct {
	mu sync.Mutex
	w  io.Writer
	c  io.Closer
}

var _ AuditLog = (*JSONLAudit)(nil)

// NewJSONLAudit writes audit lines to w.
func NewJSONLAudit(w io.Writer) *JSONLAudit { return &JSONLAudit{w: w} }

// OpenAuditFile appends audit lines to the file at path (created 0600).
func OpenAuditFile(path string) (*JSONLAudit, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open audit file: %w", err)
	}
	return &JSONLAudit{w: f, c: f}, nil
}

// Record implements AuditLog.
func (a *JSONLAudit) Record(_ context.Context, e AuditEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit record: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := a.w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("audit record: %w", err)
	}
	return nil
}

// Close closes the file opened by OpenAuditFile.
func (a *JSONLAudit) Close() error {
	if a.c == nil {
		return nil
	}
	return a.c.Close()
}
