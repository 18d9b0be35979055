package reports

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// API tokens are the bearer credentials of report users for the JSON APIs
// (the assessment API): an administrator creates one for a named report
// user (`bussola api-token create`), the token is shown once, and the file
// keeps only its SHA-256. A token acts with its user's current roles,
// looked up on every request, so removing a user or a role takes effect at
// once; a token can be revoked or given an expiry.
//
// A token is "bsk_" + 16 hex characters of id + "_" + 43 characters of
// base64url secret (256 random bits). The id finds the record; the hash of
// the whole token is compared in constant time. SHA-256 (not bcrypt) is
// enough for 256 random bits and keeps a request cheap; HTTP Basic with the
// report password is not accepted, since it would put a bcrypt comparison
// on every request and bypass the sign-in form's throttling.

// APITokenPrefix starts every API token.
const APITokenPrefix = "bsk_"

// APITokenRecord is one API token of the tokens file (never the token).
type APITokenRecord struct {
	ID       string    `json:"id"`
	Username string    `json:"username"`
	Label    string    `json:"label,omitempty"`
	SHA256   string    `json:"sha256"` // hex SHA-256 of the whole token
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires,omitzero"` // zero: no expiry
}

// APITokensFile is the JSON form of the tokens file.
type APITokensFile struct {
	Tokens []APITokenRecord `json:"tokens"`
}

// Errors of API tokens.
var (
	ErrBadToken = errors.New("not a valid API token")
)

var tokenRE = regexp.MustCompile(`^bsk_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$`)

// NewAPIToken returns a new token for username and its record.
func NewAPIToken(username, label string, now time.Time, ttl time.Duration) (string, APITokenRecord, error) {
	if username == "" {
		return "", APITokenRecord{}, errors.New("api token: username is required")
	}
	id := make([]byte, 8)
	secret := make([]byte, 32)
	if _, err := rand.Read(id); err != nil {
		return "", APITokenRecord{}, err
	}
	if _, err := rand.Read(secret); err != nil {
		return "", APITokenRecord{}, err
	}
	tok := APITokenPrefix + hex.EncodeToString(id) + "_" + base64.RawURLEncoding.EncodeToString(secret)
	sum := sha256.Sum256([]byte(tok))
	rec := APITokenRecord{ID: hex.EncodeToString(id), Username: username, Label: label, SHA256: hex.EncodeToString(sum[:]), Created: now.UTC()}
	if ttl > 0 {
		rec.Expires = now.Add(ttl).UTC()
	}
	return tok, rec, nil
}

// ReadAPITokensFile reads the tokens file at path; a missing file is an
// empty one.
func ReadAPITokensFile(path string) (APITokensFile, error) {
	var f APITokensFile
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("read api tokens file: %w", err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return f, fmt.Errorf("parse api tokens file %s: %w", path, err)
	}
	for i, t := range f.Tokens {
		if len(t.ID) != 16 || len(t.SHA256) != 64 || t.Username == "" {
			return f, fmt.Errorf("api tokens file %s: tokens[%d] needs id (16 hex), username and sha256 (64 hex)", path, i)
		}
	}
	return f, nil
}

// WriteAPITokensFile replaces the tokens file at path (mode 0600) through
// a temporary file, so the service never reads half a file.
func WriteAPITokensFile(path string, f APITokensFile) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write api tokens file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write api tokens file: %w", err)
	}
	return nil
}

// APITokens checks API tokens against the tokens file, read again whenever
// it changes on disk (tokens created or revoked while the service runs take
// effect on the next request).
type APITokens struct {
	path string
	now  func() time.Time

	mu    sync.Mutex
	mod   time.Time
	size  int64
	byID  map[string]APITokenRecord
	valid bool
}

// NewAPITokens returns the checker over the tokens file at path ("" : no
// token is valid).
func NewAPITokens(path string) (*APITokens, error) {
	t := &APITokens{path: path, now: time.Now}
	if path != "" {
		if _, err := t.records(); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (t *APITokens) records() (map[string]APITokenRecord, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fi, err := os.Stat(t.path)
	if errors.Is(err, os.ErrNotExist) {
		t.byID, t.valid = nil, false
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if t.valid && fi.ModTime().Equal(t.mod) && fi.Size() == t.size {
		return t.byID, nil
	}
	f, err := ReadAPITokensFile(t.path)
	if err != nil {
		return nil, err
	}
	by := make(map[string]APITokenRecord, len(f.Tokens))
	for _, r := range f.Tokens {
		by[r.ID] = r
	}
	t.byID, t.mod, t.size, t.valid = by, fi.ModTime(), fi.Size(), true
	return by, nil
}

// Check returns the record of a valid, unexpired token, or ErrBadToken.
func (t *APITokens) Check(token string) (APITokenRecord, error) {
	if t == nil || t.path == "" {
		return APITokenRecord{}, ErrBadToken
	}
	m := tokenRE.FindStringSubmatch(token)
	if m == nil {
		return APITokenRecord{}, ErrBadToken
	}
	by, err := t.records()
	if err != nil {
		return APITokenRecord{}, fmt.Errorf("api tokens: %w", err)
	}
	rec, ok := by[m[1]]
	sum := sha256.Sum256([]byte(token))
	want, _ := hex.DecodeString(rec.SHA256)
	if !ok || subtle.ConstantTimeCompare(sum[:], want) != 1 {
		return APITokenRecord{}, ErrBadToken
	}
	if !rec.Expires.IsZero() && !t.now().Before(rec.Expires) {
		return APITokenRecord{}, ErrBadToken
	}
	return rec, nil
}

// RevokeAPIToken removes the token with id from f.
func RevokeAPIToken(f APITokensFile, id string) (APITokensFile, error) {
	i := slices.IndexFunc(f.Tokens, func(r APITokenRecord) bool { return r.ID == strings.TrimSpace(id) })
	if i < 0 {
		return f, fmt.Errorf("api token id %q: no such token", id)
	}
	f.Tokens = slices.Delete(f.Tokens, i, i+1)
	return f, nil
}
