package schemas

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"sync"
)

// Pseudonymizer turns raw employee identifiers into keyed pseudonyms. Each
// tenant gets its own key, derived from one secret, so the same employee
// identifier in two entities yields unrelated pseudonyms and a leaked
// pseudonym of one tenant says nothing about another. Without the secret a
// pseudonym cannot be linked back to a person, nor recomputed from a guess.
type Pseudonymizer struct {
	secret []byte
	keys   sync.Map // tenant -> []byte, the derived per-tenant key
}

// NewPseudonymizer returns a Pseudonymizer keyed by secret, which must be at
// least 16 bytes.
func NewPseudonymizer(secret []byte) (*Pseudonymizer, error) {
	if len(secret) < 16 {
		return nil, Errorf(EINVALID, "pseudonym secret must be at least 16 bytes, got %d", len(secret))
	}
	return &Pseudonymizer{secret: append([]byte(nil), secret...)}, nil
}

func (p *Pseudonymizer) tenantKey(tenant string) []byte {
	if k, ok := p.keys.Load(tenant); ok {
		return k.([]byte)
	}
	m := hmac.New(sha256.New, p.secret)
	m.Write([]byte("bussola/pseudonym/v1/"))
	m.Write([]byte(tenant))
	k := m.Sum(nil)
	p.keys.Store(tenant, k)
	return k
}

// Person returns the pseudonym of employeeID within tenant as 16 lower-case
// hex digits: the first 64 bits of HMAC-SHA256 under the tenant's key.
func (p *Pseudonymizer) Person(tenant, employeeID string) string {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], p.PersonID(tenant, employeeID))
	return hex.EncodeToString(buf[:])
}

// PersonID is Person as an integer, the form stored in ClickHouse.
func (p *Pseudonymizer) PersonID(tenant, employeeID string) uint64 {
	m := hmac.New(sha256.New, p.tenantKey(tenant))
	m.Write([]byte(employeeID))
	return binary.BigEndian.Uint64(m.Sum(nil)[:8])
}

// ParsePerson converts a 16-hex pseudonym into its integer form.
func ParsePerson(s string) (uint64, error) {
	if !isPerson(s) {
		return 0, Errorf(EINVALID, "person: must be 16 lower-case hex digits")
	}
	return strconv.ParseUint(s, 16, 64)
}

// FormatPerson is the inverse of ParsePerson.
func FormatPerson(id uint64) string {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], id)
	return hex.EncodeToString(buf[:])
}
