package bench

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/bussola-pa/bussola/internal/synth"
)

const benchIntakeUsage = `usage: bussola bench intake [--requests N] [--lines L] [--concurrency 1,4,16,64]

Measures the intake's answer time, one request of --lines intranet events at
a time per client, at each level of concurrent clients, against the embedded
components (consumers running): p50 and p99 of the answers, how many were
accepted (202), shed (429, with Retry-After) or answered otherwise, and the
events acknowledged per second. Each request carries its own
Idempotency-Key; a shed request waits its Retry-After and is sent again
with the same key, and its time (p50, p99) runs from the first attempt to
the final answer; "answer p99" is that of every single answer, the fast
429s included.

Flags:
`

func runIntake(ctx context.Context, args []string, stdout, stderr io.Writer, open Open) error {
	fs := flag.NewFlagSet("bench intake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	requests := fs.Int("requests", 256, "requests per concurrency level (at least 4 per client)")
	lines := fs.Int("lines", 1000, "intranet events per request")
	levels := fs.String("concurrency", "1,4,16,64", "comma-separated numbers of concurrent clients")
	dir := fs.String("data-dir", "", "data directory (default: a temporary one, removed afterwards)")
	var extra []string
	fs.Func("serve-flag", "a service flag for the measured intake, as name=value (repeatable), e.g. intake-max-inflight=8", func(s string) error {
		extra = append(extra, "--"+s)
		return nil
	})
	fs.Usage = func() { fmt.Fprint(stderr, benchIntakeUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	var conc []int
	for _, f := range bytes.Split([]byte(*levels), []byte(",")) {
		var c int
		if _, err := fmt.Sscanf(string(bytes.TrimSpace(f)), "%d", &c); err != nil || c < 1 {
			return fmt.Errorf("bench intake: --concurrency: %q must be a positive number", f)
		}
		conc = append(conc, c)
	}
	if *lines < 1 || *requests < 1 {
		return errors.New("bench intake: --lines and --requests must be positive")
	}
	cleanup, err := orTempDir(dir, "bussola-bench-intake-")
	if err != nil {
		return err
	}
	defer cleanup()

	m, err := open(ctx, Setup{Kind: KindIntake, DataDir: *dir, ServiceFlags: extra, Stderr: stderr})
	if err != nil {
		return err
	}
	defer m.Close()

	n := *lines * max(*requests, 4*conc[len(conc)-1])
	fmt.Fprintf(stdout, "generating %d intranet events ...\n", n)
	all, err := intranetLines(n)
	if err != nil {
		return err
	}
	// Requests of one tenant's lines: a token writes for one tenant.
	byTenant := map[string][][]byte{}
	for _, l := range all {
		t, _ := synth.LineTenant(l)
		byTenant[t] = append(byTenant[t], l)
	}
	var bodies []benchBody
	for t, ls := range byTenant {
		for i := 0; i+*lines <= len(ls); i += *lines {
			bodies = append(bodies, benchBody{tenant: t, body: bytes.Join(ls[i:i+*lines], []byte("\n"))})
		}
	}
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	url := "http://" + m.HTTPAddr() + "/api/v1/events"
	fmt.Fprintf(stdout, "\nbussola bench intake: %d events per request, %d cores, GOMAXPROCS %d\n", *lines, runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Fprintf(stdout, "  %-8s %9s %9s %9s %11s %6s %6s %6s %12s\n", "clients", "requests", "p50", "p99", "answer p99", "202", "429", "other", "events/s")
	next := 0
	for _, c := range conc {
		reqs := max(*requests, 4*c)
		r := benchLevel(ctx, client, url, m.Tokens(), bodies, &next, c, reqs)
		fmt.Fprintf(stdout, "  %-8d %9d %9s %9s %11s %6d %6d %6d %12.0f\n", c, reqs, r.p50.Round(time.Millisecond), r.p99.Round(time.Millisecond),
			r.answerP99.Round(time.Millisecond), r.codes[http.StatusAccepted], r.codes[http.StatusTooManyRequests], reqs-r.codes[http.StatusAccepted],
			float64(r.codes[http.StatusAccepted]**lines)/r.elapsed.Seconds())
	}
	return nil
}

type benchBody struct {
	tenant string
	body   []byte
}

type levelResult struct {
	p50, p99  time.Duration // first attempt to final answer
	answerP99 time.Duration // of every single answer, 429s included
	codes     map[int]int
	elapsed   time.Duration
}

// benchLevel sends reqs requests from c clients. A client whose request
// is shed (429) waits the Retry-After it is told and sends it again with
// the same Idempotency-Key, as a well-behaved client does; the time of a
// request runs from its first attempt to its final answer. Each single
// answer's time is kept too.
func benchLevel(ctx context.Context, client *http.Client, url string, tokens map[string]string, bodies []benchBody, next *int, c, reqs int) levelResult {
	var mu sync.Mutex
	res := levelResult{codes: map[int]int{}}
	var times, answers []time.Duration
	work := make(chan benchBody)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				key := uuid.NewString()
				t0 := time.Now()
				for attempt := 0; ; attempt++ {
					req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b.body))
					req.Header.Set("Content-Type", "application/x-ndjson")
					req.Header.Set("Authorization", "Bearer "+tokens[b.tenant])
					req.Header.Set("Idempotency-Key", key)
					t1 := time.Now()
					resp, err := client.Do(req)
					code, wait := 0, time.Duration(0)
					if err == nil {
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						code = resp.StatusCode
						if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
							wait = time.Duration(s) * time.Second
						}
					}
					mu.Lock()
					answers = append(answers, time.Since(t1))
					res.codes[code]++
					mu.Unlock()
					if code != http.StatusTooManyRequests || attempt == 100 {
						break
					}
					time.Sleep(wait)
				}
				mu.Lock()
				times = append(times, time.Since(t0))
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < reqs; i++ {
		work <- bodies[*next%len(bodies)]
		*next++
	}
	close(work)
	wg.Wait()
	res.elapsed = time.Since(start)
	res.p50, res.p99 = percentiles(times)
	_, res.answerP99 = percentiles(answers)
	return res
}

func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2], ds[min(len(ds)-1, len(ds)*99/100)]
}
