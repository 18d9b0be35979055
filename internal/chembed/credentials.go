package chembed

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The endpoint has two accounts, both required on every query:
//   - the service account, used by Bussola itself (clickhouse-go sends it
//     as HTTP Basic auth from the DSN): reads and writes the service's
//     databases, creates and alters its tables;
//   - the operator account, for curl and dashboards: read-only, as every
//     query by GET is for either account.
// Neither reaches files, the network or other processes (guard.go and
// access.go). Their passwords are generated on first start into a JSON
// file readable by the service's user only.

// Default account names.
const (
	ServiceUser  = "bussola"
	OperatorUser = "operator"
)

// CredentialsFileName is the credentials file's name in the data
// directory when Config.CredentialsFile is empty.
const CredentialsFileName = "credentials.json"

// Account is one user of the endpoint.
type Account struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

// Credentials are the endpoint's accounts.
type Credentials struct {
	// Service reads and writes; Bussola connects with it.
	Service Account `json:"service"`
	// Operator only reads: for curl, Grafana and other dashboards.
	Operator Account `json:"operator"`
}

// LoadOrCreateCredentials reads the credentials file at path, or creates it
// with fresh random passwords (mode 0600) when it does not exist. A file
// that others could read is made private again.
func LoadOrCreateCredentials(path string) (Credentials, error) {
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		var c Credentials
		if err := json.Unmarshal(b, &c); err != nil {
			return Credentials{}, fmt.Errorf("read ClickHouse credentials %s: %w", path, err)
		}
		if err := c.validate(); err != nil {
			return Credentials{}, fmt.Errorf("read ClickHouse credentials %s: %w", path, err)
		}
		if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(path, 0o600); err != nil {
				return Credentials{}, fmt.Errorf("make ClickHouse credentials %s private: %w", path, err)
			}
		}
		return c, nil
	case !errors.Is(err, fs.ErrNotExist):
		return Credentials{}, fmt.Errorf("read ClickHouse credentials: %w", err)
	}
	c := Credentials{
		Service:  Account{User: ServiceUser, Password: newPassword()},
		Operator: Account{User: OperatorUser, Password: newPassword()},
	}
	b, err = json.MarshalIndent(c, "", "  ")
	if err != nil {
		return Credentials{}, fmt.Errorf("create ClickHouse credentials: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Credentials{}, fmt.Errorf("create ClickHouse credentials: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Credentials{}, fmt.Errorf("create ClickHouse credentials: %w", err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		os.Remove(path)
		return Credentials{}, fmt.Errorf("create ClickHouse credentials: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return Credentials{}, fmt.Errorf("create ClickHouse credentials: %w", err)
	}
	return c, nil
}

// validate checks that both accounts are usable and distinct.
func (c Credentials) validate() error {
	for _, a := range []struct {
		field string
		acct  Account
	}{{"service", c.Service}, {"operator", c.Operator}} {
		if !isIdentifier(a.acct.User) {
			return fmt.Errorf("%s.user %q: must be a plain name (letters, digits, _)", a.field, a.acct.User)
		}
		if len(a.acct.Password) < 16 {
			return fmt.Errorf("%s.password: must have at least 16 characters", a.field)
		}
	}
	if c.Service.User == c.Operator.User {
		return fmt.Errorf("operator.user %q: must differ from service.user", c.Operator.User)
	}
	return nil
}

// newPassword returns 256 random bits, URL-safe, so it fits a DSN as is.
func newPassword() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}
