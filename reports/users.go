package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"

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

// FileUserStore is a UserStore read once from a JSON users file.
type FileUserStore struct {
	users map[string]UserRecord
	dummy []byte
}

var _ UserStore = (*FileUserStore)(nil)

// BcryptCost is the cost of new password hashes.
const BcryptCost = 12

// HashPassword returns the bcrypt hash of a password for the users file.
func HashPassword(password string) (string, error) {
	if len(password) < 8 {
		return "", errors.New("hash password: must be at least 8 characters")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), BcryptCost)
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
	return NewUserStore(f)
}

// NewUserStore validates f and returns a store over it.
func NewUserStore(f UsersFile) (*FileUserStore, error) {
	s := &FileUserStore{users: map[string]UserRecord{}}
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
	u, ok := s.users[username]
	if !ok {
		_ = bcrypt.CompareHashAndPassword(s.dummy, []byte(password))
		return User{}, ErrBadCredentials
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return User{}, ErrBadCredentials
	}
	return User{Username: u.Username, Roles: u.Roles}, nil
}

// Lookup implements UserStore.
func (s *FileUserStore) Lookup(_ context.Context, username string) (User, error) {
	u, ok := s.users[username]
	if !ok {
		return User{}, ErrUnknownUser
	}
	return User{Username: u.Username, Roles: u.Roles}, nil
}
