package kafkaembed

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
)

// Mechanism is the SASL mechanism of every account of the embedded broker.
const Mechanism = "SCRAM-SHA-256"

// ServiceUser is the account Bussola's own producer and consumers use. It
// is the broker's superuser: it creates topics and ACLs and bypasses them.
const ServiceUser = "bussola"

// EntityUserPrefix starts the user name of each entity's producer account:
// "entity-comune-aurelia".
const EntityUserPrefix = "entity-"

// Account is one SASL SCRAM login.
type Account struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

// Credentials are the broker's accounts, kept in the credentials file.
type Credentials struct {
	// Mechanism is the SASL mechanism every account logs in with.
	Mechanism string `json:"mechanism"`
	// Service is Bussola's account (superuser).
	Service Account `json:"service"`
	// Entities are the producer accounts of systems writing straight to
	// the topics, by entity (tenant): each may only write its own topics.
	Entities map[string]Account `json:"entities"`
}

var entityName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// LoadOrCreateCredentials reads the credentials file at path, creating it
// (mode 0600) with random passwords when it does not exist, and adds an
// account for every entity that has none yet. A file others could read is
// made private again. Passwords are never logged.
func LoadOrCreateCredentials(path string, entities []string) (Credentials, error) {
	var c Credentials
	changed := false
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &c); err != nil {
			return Credentials{}, fmt.Errorf("read Kafka credentials %s: %w", path, err)
		}
		if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(path, 0o600); err != nil {
				return Credentials{}, fmt.Errorf("make Kafka credentials %s private: %w", path, err)
			}
		}
	case errors.Is(err, fs.ErrNotExist):
		c = Credentials{Mechanism: Mechanism, Service: Account{User: ServiceUser, Password: newPassword()}}
		changed = true
	default:
		return Credentials{}, fmt.Errorf("read Kafka credentials: %w", err)
	}
	if c.Entities == nil {
		c.Entities = map[string]Account{}
	}
	for _, e := range entities {
		if !entityName.MatchString(e) {
			return Credentials{}, fmt.Errorf("kafka entity %q: must be a lower-case slug of letters, digits, '-' or '_' (at most 63)", e)
		}
		if _, ok := c.Entities[e]; !ok {
			c.Entities[e] = Account{User: EntityUserPrefix + e, Password: newPassword()}
			changed = true
		}
	}
	if err := c.validate(); err != nil {
		return Credentials{}, fmt.Errorf("kafka credentials %s: %w", path, err)
	}
	if changed {
		if err := writePrivate(path, c); err != nil {
			return Credentials{}, fmt.Errorf("write Kafka credentials: %w", err)
		}
	}
	return c, nil
}

// validate checks that every account can log in and none is shared.
func (c Credentials) validate() error {
	if c.Mechanism != "SCRAM-SHA-256" && c.Mechanism != "SCRAM-SHA-512" {
		return fmt.Errorf("mechanism: must be SCRAM-SHA-256 or SCRAM-SHA-512, got %q", c.Mechanism)
	}
	seen := map[string]string{}
	check := func(who string, a Account) error {
		if a.User == "" {
			return fmt.Errorf("%s: user is required", who)
		}
		if len(a.Password) < 16 {
			return fmt.Errorf("%s: password must be at least 16 characters", who)
		}
		if other, ok := seen[a.User]; ok {
			return fmt.Errorf("%s: user %q is already the account of %s", who, a.User, other)
		}
		seen[a.User] = who
		return nil
	}
	if err := check("service", c.Service); err != nil {
		return err
	}
	names := make([]string, 0, len(c.Entities))
	for e := range c.Entities {
		names = append(names, e)
	}
	sort.Strings(names)
	for _, e := range names {
		if err := check("entity "+e, c.Entities[e]); err != nil {
			return err
		}
	}
	return nil
}

// writePrivate replaces path with c, readable by the owner only.
func writePrivate(path string, c Credentials) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kafka-credentials-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func newPassword() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
