package reports

import (
	"context"
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
