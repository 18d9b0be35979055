package reports_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/reports"
)

// BenchmarkSignInUnderAttack measures a legitimate user's sign-in (login
// form, then the password post) with hashes at BcryptCost, while two
// goroutines post wrong passwords for other usernames:
//
//   - quiet: no attack;
//   - one-address: every guess from one address, which the per-address
//     limit locks after 20 failures (then 429 without a password check);
//   - distributed: every guess from a new address for a new username, which
//     no limit stops: each costs a full bcrypt comparison.
//
// It reports p50 and p95 of the user's sign-in, the attack's guesses per
// second and the share of them answered 429. Run it with
//
//	go test -run '^$' -bench SignInUnderAttack -benchtime 20x ./reports/
func BenchmarkSignInUnderAttack(b *testing.B) {
	hash, err := reports.HashPassword("prova-password-2025")
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []string{"quiet", "one-address", "distributed"} {
		b.Run(mode, func(b *testing.B) {
			users, err := reports.NewUserStore(reports.UsersFile{Users: []reports.UserRecord{{Username: "hr.a", PasswordHash: hash}}})
			if err != nil {
				b.Fatal(err)
			}
			e := mustStartWith(b, startOpts{users: users, config: trustLoopback})
			var stop atomic.Bool
			var guesses, throttled atomic.Int64
			var wg sync.WaitGroup
			if mode != "quiet" {
				for g := range 2 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := 0; !stop.Load(); i++ {
							addr := "10.66.0.1"
							if mode == "distributed" {
								addr = fmt.Sprintf("10.%d.%d.%d", 100+g, i>>8&255, i&255)
							}
							r := e.signIn(b, fmt.Sprintf("guess.%d.%d", g, i), "wrong-password", addr, "")
							guesses.Add(1)
							if r.status == http.StatusTooManyRequests {
								throttled.Add(1)
							}
						}
					}()
				}
				time.Sleep(200 * time.Millisecond) // let the attack reach its pace
			}
			start := time.Now()
			guesses.Store(0)
			throttled.Store(0)
			var ds []time.Duration
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				if r := e.signIn(b, "hr.a", "prova-password-2025", "10.1.1.1", ""); r.status != http.StatusSeeOther {
					b.Fatalf("legitimate sign-in: status %d", r.status)
				}
				ds = append(ds, time.Since(t0))
			}
			b.StopTimer()
			elapsed := time.Since(start)
			stop.Store(true)
			wg.Wait()
			slices.Sort(ds)
			at := func(p float64) float64 { return float64(ds[int(float64(len(ds)-1)*p+0.5)]) / 1e6 }
			b.ReportMetric(at(0.50), "p50-ms")
			b.ReportMetric(at(0.95), "p95-ms")
			b.ReportMetric(float64(guesses.Load())/elapsed.Seconds(), "guesses/s")
			if n := guesses.Load(); n > 0 {
				b.ReportMetric(float64(throttled.Load())/float64(n), "429-share")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}
