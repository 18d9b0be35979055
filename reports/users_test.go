package reports

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// mustHash returns a bcrypt hash of password at cost, for test users
// cheaper than BcryptCost.
func mustHash(tb testing.TB, password string, cost int) string {
	tb.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		tb.Fatal(err)
	}
	return string(h)
}

func TestUnknownUserCostsAsMuchAsWrongPassword(t *testing.T) {
	const cost = 8
	store, err := NewUserStore(UsersFile{Users: []UserRecord{
		{Username: "cheap", PasswordHash: mustHash(t, "prova-password-1", cost-2)},
		{Username: "hr.a", PasswordHash: mustHash(t, "prova-password-2", cost)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the dummy hash has the highest cost among the users' hashes", func(t *testing.T) {
		got, err := bcrypt.Cost(store.dummy)
		if err != nil || got != cost {
			t.Fatalf("dummy hash cost %d (%v), want %d", got, err, cost)
		}
	})
	t.Run("an unknown user takes at least half as long as a wrong password", func(t *testing.T) {
		ctx := context.Background()
		timed := func(user string) time.Duration {
			start := time.Now()
			if _, err := store.Authenticate(ctx, user, "wrong-password"); err != ErrBadCredentials {
				t.Fatalf("%s: %v, want ErrBadCredentials", user, err)
			}
			return time.Since(start)
		}
		var unknown, wrong []time.Duration
		for range 5 {
			unknown = append(unknown, timed("nobody"))
			wrong = append(wrong, timed("hr.a"))
		}
		slices.Sort(unknown)
		slices.Sort(wrong)
		if u, w := unknown[2], wrong[2]; u < w/2 {
			t.Fatalf("median unknown user %v, median wrong password %v: usernames can be told apart", u, w)
		}
	})
}

func TestSetPasswordRewritesTheUsersFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	f := UsersFile{Users: []UserRecord{
		{Username: "hr.a", PasswordHash: mustHash(t, "prova-password-1", bcrypt.MinCost), Roles: map[string][]Role{"comune-alfa": {RoleHR}}},
		{Username: "lead.a", PasswordHash: mustHash(t, "prova-password-2", bcrypt.MinCost)},
	}}
	if err := writeUsersFile(path, f); err != nil {
		t.Fatal(err)
	}
	store, err := NewFileUserStore(path)
	if err != nil {
		t.Fatal(err)
	}
	store.cost = bcrypt.MinCost + 2
	ctx := context.Background()
	if err := store.SetPassword(ctx, "hr.a", "nuova-password-1"); err != nil {
		t.Fatal(err)
	}
	t.Run("OK the file holds the new hash, keeps the order and the roles, and is 0600", func(t *testing.T) {
		again, err := NewFileUserStore(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := again.Authenticate(ctx, "hr.a", "nuova-password-1"); err != nil {
			t.Fatalf("new password after reading the file again: %v", err)
		}
		if _, err := again.Authenticate(ctx, "hr.a", "prova-password-1"); err != ErrBadCredentials {
			t.Fatalf("old password after reading the file again: %v", err)
		}
		if u, _ := again.Lookup(ctx, "hr.a"); len(u.Roles["comune-alfa"]) != 1 || again.order[0] != "hr.a" {
			t.Fatalf("roles or order lost: %+v %v", u, again.order)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v (%v), want 0600", fi.Mode().Perm(), err)
		}
	})
	t.Run("OK an unknown user costs as much as the new, dearer hash", func(t *testing.T) {
		if c, _ := bcrypt.Cost(store.dummy); c != bcrypt.MinCost+2 {
			t.Fatalf("dummy cost %d, want %d", c, bcrypt.MinCost+2)
		}
	})
	t.Run("ErrUnknownUser an unknown user's password is not set", func(t *testing.T) {
		if err := store.SetPassword(ctx, "nobody", "nuova-password-1"); err != ErrUnknownUser {
			t.Fatalf("%v, want ErrUnknownUser", err)
		}
	})
}
