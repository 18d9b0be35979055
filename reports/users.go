package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// UserStore authenticates users and looks up their roles.
type UserStore interface {
	// Authenticate checks a password and returns the user, or
	// ErrBadCredentials.
	Authenticate(ctx context.Context, username, password string) (User, error)
	// Lookup returns the current roles of a signed-in user, or
	// ErrUnknownUser; sessions call it on every request so a revoked role
	// takes effect at once.
	Lookup(ctx context.Context, username string) (User, error)
}

// Errors of a UserStore.
var (
	ErrBadCredentials = errors.New("wrong username or password")
	ErrUnknownUser    = errors.New("unknown user")
)

// UsersFile is the JSON form of the users file.
//
//	{"users": [{"username": "hr.a", "password_hash": "$2a$12$...",
//	            "roles": {"tenant-a": ["hr"]}}]}
type UsersFile struct {
	Users []UserRecord `json:"users"`
}

// UserRecord is one user of the users file.
type UserRecord struct {
	Username     string            `json:"username"`
	PasswordHash string            `json:"password_hash"` // bcrypt, from HashPassword
	Roles        map[string][]Role `json:"roles"`         // tenant -> roles
}

// FileUserStore is a UserStore read from a JSON users file. Its
// passwords can be changed while the service runs (SetPassword), which
// rewrites the file.
type FileUserStore struct {
	mu    sync.RWMutex
	users map[string]UserRecord
	order []string // usernames in the file's order
	dummy []byte
	path  string // "" when built in memory: nothing is written
	cost  int    // of the hashes SetPassword makes: BcryptCost
}

var (
	_ UserStore      = (*FileUserStore)(nil)
	_ PasswordSetter = (*FileUserStore)(nil)
)

// PasswordSetter is a UserStore whose passwords can be changed while the
// service runs. The server ends every session of a user whose password it
// changes.
type PasswordSetter interface {
	SetPassword(ctx context.Context, username, password string) error
}

// BcryptCost is the cost of new password hashes.
const BcryptCost = 12

// MinPasswordLength is the shortest password HashPassword accepts.
const MinPasswordLength = 8

// HashPassword returns the bcrypt hash of a password for the users file.
func HashPassword(password string) (string, error) { return hashPassword(password, BcryptCost) }

func hashPassword(password string, cost int) (string, error) {
	if len(password) < MinPasswordLength {
		return "", fmt.Errorf("hash password: must be at least %d characters", MinPasswordLength)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// NewFileUserStore reads and validates the users file at path.
func NewFileUserStore(path string) (*FileUserStore, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read users file: %w", err)
	}
	var f UsersFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("parse users file %s: %w", path, err)
	}
	s, err := NewUserStore(f)
	if err != nil {
		return nil, err
	}
	s.path = path
	return s, nil
}

// NewUserStore validates f and returns a store over it.
func NewUserStore(f UsersFile) (*FileUserStore, error) {
	s := &FileUserStore{users: map[string]UserRecord{}, cost: BcryptCost}
	valid := []Role{RoleAdmin, RoleHR, RoleProjectLead, RoleExecutive}
	for i, u := range f.Users {
		where := fmt.Sprintf("users[%d]", i)
		if u.Username == "" {
			return nil, fmt.Errorf("users file %s.username: is required", where)
		}
		if _, dup := s.users[u.Username]; dup {
			return nil, fmt.Errorf("users file %s.username: %q appears twice", where, u.Username)
		}
		if _, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
			return nil, fmt.Errorf("users file %s.password_hash: must be a bcrypt hash (see HashPassword)", where)
		}
		for t, rs := range u.Roles {
			if !tenantRE.MatchString(t) {
				return nil, fmt.Errorf("users file %s.roles: tenant %q must be a lower-case slug", where, t)
			}
			for _, r := range rs {
				if !slices.Contains(valid, r) {
					return nil, fmt.Errorf("users file %s.roles[%s]: %q is not one of admin, hr, project_lead, executive", where, t, r)
				}
			}
		}
		s.users[u.Username] = u
		s.order = append(s.order, u.Username)
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("not-a-password"), dummyCost(s.users))
	if err != nil {
		return nil, fmt.Errorf("users file: dummy hash: %w", err)
	}
	s.dummy = dummy
	return s, nil
}

// dummyCost is the cost of the hash an unknown user is compared with: the
// highest cost among the users' hashes, or BcryptCost without users, so an
// unknown user takes as long as a wrong password.
func dummyCost(users map[string]UserRecord) int {
	if len(users) == 0 {
		return BcryptCost
	}
	highest := bcrypt.MinCost
	for _, u := range users {
		c, _ := bcrypt.Cost([]byte(u.PasswordHash)) // validated above
		highest = max(highest, c)
	}
	return highest
}

// Authenticate implements UserStore. An unknown user costs a bcrypt
// comparison too, so timing does not tell which usernames exist.
func (s *FileUserStore) Authenticate(_ context.Context, username, password string) (User, error) {
	s.mu.RLock()
	u, ok := s.users[username]
	dummy := s.dummy
	s.mu.RUnlock()
	if !ok {
		_ = bcrypt.CompareHashAndPassword(dummy, []byte(password))
		return User{}, ErrBadCredentials
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return User{}, ErrBadCredentials
	}
	return User{Username: u.Username, Roles: u.Roles}, nil
}

// Lookup implements UserStore.
func (s *FileUserStore) Lookup(_ context.Context, username string) (User, error) {
	s.mu.RLock()
	u, ok := s.users[username]
	s.mu.RUnlock()
	if !ok {
		return User{}, ErrUnknownUser
	}
	return User{Username: u.Username, Roles: u.Roles}, nil
}

// SetPassword implements PasswordSetter: it hashes password at BcryptCost
// and, for a store read from a file, rewrites the file (mode 0600, through
// a temporary file renamed over it) before the new password takes effect.
func (s *FileUserStore) SetPassword(_ context.Context, username, password string) error {
	h, err := hashPassword(password, s.cost)
	if err != nil {
		return err
	}
	s.mu.RLock()
	_, ok := s.users[username]
	dummyCost, _ := bcrypt.Cost(s.dummy)
	s.mu.RUnlock()
	if !ok {
		return ErrUnknownUser
	}
	var dummy []byte
	if dummyCost < s.cost { // an unknown user must keep costing as much as the dearest hash
		if dummy, err = bcrypt.GenerateFromPassword([]byte("not-a-password"), s.cost); err != nil {
			return fmt.Errorf("set password: dummy hash: %w", err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[username]
	if !ok {
		return ErrUnknownUser
	}
	u.PasswordHash = h
	if s.path != "" {
		f := UsersFile{}
		for _, name := range s.order {
			r := s.users[name]
			if name == username {
				r = u
			}
			f.Users = append(f.Users, r)
		}
		if err := writeUsersFile(s.path, f); err != nil {
			return err
		}
	}
	s.users[username] = u
	if dummy != nil {
		s.dummy = dummy
	}
	return nil
}

// writeUsersFile replaces the users file at path with f (mode 0600).
func writeUsersFile(path string, f UsersFile) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("write users file: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".users-*.json")
	if err != nil {
		return fmt.Errorf("write users file: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	// os.CreateTemp creates the file with mode 0600.
	_, err = tmp.Write(append(b, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write users file: %w", err)
	}
	return nil
}
