package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/schemas"
)

const benchUsage = `usage: bussola bench ingest [--events N] [--backlog M]

Measures, in one run on the same generated intranet events and the embedded
components: events/s end to end (NDJSON intake -> Kafka -> rows queryable in
ClickHouse), events/s of the consumer path alone (Kafka -> ClickHouse, a
fresh consumer group over the same messages), and the engine's own insert
rate for the same rows (INSERT ... FROM INFILE of a Native file), with the
ratios. With --backlog, it also queues M messages and samples the consumer's
heap while it drains them.

Flags:
`

// Run runs `bussola bench <ingest|intake|reports> [flags]`, starting the
// service under measure with open.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, open Open) error {
	if len(args) > 0 && args[0] == "reports" {
		return runReports(ctx, args[1:], stdout, stderr, open)
	}
	if len(args) > 0 && args[0] == "intake" {
		return runIntake(ctx, args[1:], stdout, stderr, open)
	}
	if len(args) == 0 || args[0] != "ingest" {
		fmt.Fprint(stderr, benchUsage)
		return errors.New("bench: the benchmarks are 'ingest', 'intake' and 'reports'")
	}
	fs := flag.NewFlagSet("bench ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	events := fs.Int("events", 1_000_000, "intranet events to push through")
	backlog := fs.Int("backlog", 0, "also measure consumer memory draining a backlog of this many messages (e.g. 10000000)")
	dir := fs.String("data-dir", "", "data directory (default: a temporary one, removed afterwards)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	phase := fs.String("profile-phase", "all", "what --cpuprofile covers: all, e2e, consumer or engine")
	fs.Usage = func() { fmt.Fprint(stderr, benchUsage); fs.PrintDefaults() }
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *events < 1000 {
		return fmt.Errorf("bench: --events must be at least 1000")
	}
	cleanup, err := orTempDir(dir, "bussola-bench-")
	if err != nil {
		return err
	}
	defer cleanup()
	prof := &phaseProfile{phase: *phase}
	switch *phase {
	case "all", "e2e", "consumer", "engine":
	default:
		return fmt.Errorf("bench: --profile-phase must be all, e2e, consumer or engine, got %q", *phase)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		prof.w = f
		defer prof.stop("all")
		if err := prof.start("all"); err != nil {
			return err
		}
	}
	return benchIngest(ctx, open, *events, *backlog, *dir, stdout, prof)
}

// orTempDir leaves *dir as it is, or, when empty, points it at a new
// temporary directory that cleanup removes.
func orTempDir(dir *string, prefix string) (cleanup func(), err error) {
	if *dir != "" {
		return func() {}, nil
	}
	tmp, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, err
	}
	*dir = tmp
	return func() { os.RemoveAll(tmp) }, nil
}

// phaseProfile writes a CPU profile of one phase of the benchmark, or of
// all of it.
type phaseProfile struct {
	w     io.Writer // nil: no profile
	phase string
}

func (p *phaseProfile) start(phase string) error {
	if p.w == nil || phase != p.phase {
		return nil
	}
	return pprof.StartCPUProfile(p.w)
}

func (p *phaseProfile) stop(phase string) {
	if p.w != nil && phase == p.phase {
		pprof.StopCPUProfile()
	}
}

func benchIngest(ctx context.Context, open Open, n, backlog int, dir string, out io.Writer, prof *phaseProfile) error {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	fmt.Fprintf(out, "generating %d intranet events ...\n", n)
	lines, err := intranetLines(n)
	if err != nil {
		return err
	}
	m, err := open(ctx, Setup{Kind: KindIngest, DataDir: dir})
	if err != nil {
		return err
	}
	defer m.Close()

	// 1. End to end.
	if err := prof.start("e2e"); err != nil {
		return err
	}
	start := time.Now()
	p := &synth.Poster{BaseURL: "http://" + m.HTTPAddr(), Tokens: m.Tokens(), BatchLines: 5000, Concurrency: 4,
		Client: &http.Client{Timeout: 2 * time.Minute}}
	up := p.Start(ctx)
	for _, l := range lines {
		if err := up.Emit(schemas.StreamIntranet, l); err != nil {
			break
		}
	}
	if err := up.Close(); err != nil {
		return fmt.Errorf("post: %w", err)
	}
	posted := time.Since(start)
	if err := WaitDistinct(ctx, m.Store(), "intranet_events", n, 30*time.Minute); err != nil {
		return err
	}
	e2e := time.Since(start)
	prof.stop("e2e")

	// 2 and 3. The consumer path alone (a fresh group over the same
	// messages into another database) and the engine's own insert of the
	// same rows from a Native file, in alternating rounds, each from an
	// idle engine (no merge of an earlier phase running). The engine's
	// rate varies by a third from one run to the next on a shared machine;
	// the medians of the rounds, measured side by side, are what compare.
	file, err := exportRows(ctx, m, dir, n)
	if err != nil {
		return err
	}
	defer os.Remove(file)
	var consumer, raw []time.Duration
	for round := 1; round <= rounds; round++ {
		if err := waitMergesIdle(ctx, m.Store(), 2*time.Minute); err != nil {
			return err
		}
		d, err := consumerPath(ctx, m, log, n, round, prof)
		if err != nil {
			return err
		}
		consumer = append(consumer, d)
		if err := waitMergesIdle(ctx, m.Store(), 2*time.Minute); err != nil {
			return err
		}
		if d, err = rawInsert(ctx, m, file, n, round, prof); err != nil {
			return err
		}
		raw = append(raw, d)
	}

	rate := func(d time.Duration) float64 { return float64(n) / d.Seconds() }
	rates := func(ds []time.Duration) string {
		var parts []string
		for _, d := range ds {
			parts = append(parts, fmt.Sprintf("%.0f", rate(d)))
		}
		return strings.Join(parts, ", ")
	}
	mc, mr := median(consumer), median(raw)
	fmt.Fprintf(out, "\nbussola bench ingest: %d intranet events, %d cores, GOMAXPROCS %d\n", n, runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Fprintf(out, "  end to end (intake -> kafka -> clickhouse)   %10.0f events/s  (%s; intake acknowledged all in %s)\n", rate(e2e), e2e.Round(time.Millisecond), posted.Round(time.Millisecond))
	fmt.Fprintf(out, "  consumer path alone (kafka -> clickhouse)    %10.0f events/s  (median of %d rounds: %s)\n", rate(mc), rounds, rates(consumer))
	fmt.Fprintf(out, "  engine insert, Native FROM INFILE            %10.0f events/s  (median of %d rounds: %s)\n", rate(mr), rounds, rates(raw))
	fmt.Fprintf(out, "  ratios: consumer/engine %.2f (target >= 0.50; per round %s), end-to-end/engine %.2f; end to end target >= 100000 events/s\n",
		rate(mc)/rate(mr), roundRatios(consumer, raw), rate(e2e)/rate(mr))

	if backlog > 0 {
		posted := len(lines)
		lines = nil // the heap measured next is the service's, not the bench's input
		runtime.GC()
		return benchBacklog(ctx, m, log, posted, backlog, out)
	}
	return nil
}

// intranetLines generates n intranet event lines of the demo data.
func intranetLines(n int) ([][]byte, error) {
	lines := make([][]byte, 0, n)
	stop := errors.New("enough")
	for scale := 1.0; ; scale *= 2 {
		lines = lines[:0]
		err := synth.Generate(synth.Config{Seed: 7, Scale: scale, Streams: []schemas.Stream{schemas.StreamIntranet}}, func(_ schemas.Stream, l []byte) error {
			lines = append(lines, append([]byte(nil), l...))
			if len(lines) == n {
				return stop
			}
			return nil
		})
		if errors.Is(err, stop) {
			return lines, nil
		}
		if err != nil {
			return nil, err
		}
		if scale > 64 {
			return nil, fmt.Errorf("cannot generate %d events", n)
		}
	}
}

func benchStore(ctx context.Context, m Service, db string) (*clickhouse.Store, error) {
	st, err := clickhouse.Open(ctx, clickhouse.Config{URL: m.ClickHouseURL() + "/", DDL: schemas.DDLOptions{Database: db}})
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// WaitDistinct waits until table holds n distinct events (an intake
// request retried by its client may have put an event on Kafka twice; the
// copy collapses in ClickHouse, and must not count as progress). It polls
// the cheap count() and checks distinct events only once that reaches n.
func WaitDistinct(ctx context.Context, st *clickhouse.Store, table string, n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		rows, err := st.Count(ctx, table)
		if err != nil {
			return err
		}
		if rows >= uint64(n) {
			got, err := st.DistinctEvents(ctx, table)
			if err != nil {
				return err
			}
			if got >= uint64(n) {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not reach %d distinct events in %s", table, n, timeout)
}

// waitMergesIdle waits until the engine runs no merge, so that a timed
// phase does not pay for the previous phase's background work.
func waitMergesIdle(ctx context.Context, st *clickhouse.Store, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		var running uint64
		if err := st.Conn().QueryRow(ctx, "SELECT count() FROM system.merges").Scan(&running); err != nil {
			return fmt.Errorf("read running merges: %w", err)
		}
		if running == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the engine still runs %d merges after %s", running, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// rawColumns are the columns a consumer writes into intranet_events: the
// engine's own insert writes the same ones.
const rawColumns = "tenant, person, event_id, org_unit, grade, cohort, ts, kind, section, page, device, remote, tool, referent, kafka_partition, kafka_offset"

// exportRows writes n of the rows the first phase inserted to a Native file.
func exportRows(ctx context.Context, m Service, dir string, n int) (string, error) {
	file := filepath.Join(dir, "raw-"+strconv.FormatInt(time.Now().UnixNano(), 36)+".native")
	err := exportNative(ctx, m.ClickHouseURL(), fmt.Sprintf("SELECT %s FROM bussola.intranet_events LIMIT 1 BY event_id LIMIT %d FORMAT Native", rawColumns, n), file)
	return file, err
}

// consumerPath times a fresh consumer group reading the topic into a
// fresh database until it holds the n events.
func consumerPath(ctx context.Context, m Service, log *slog.Logger, n, round int, prof *phaseProfile) (time.Duration, error) {
	db := fmt.Sprintf("bench_consumer_%d", round)
	cst, err := benchStore(ctx, m, db)
	if err != nil {
		return 0, err
	}
	defer cst.Close()
	if round == 1 {
		if err := prof.start("consumer"); err != nil {
			return 0, err
		}
		defer prof.stop("consumer")
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := ingest.NewConsumer(ingest.ConsumerConfig{Brokers: m.Brokers(), Auth: m.KafkaAuth(), Group: db, Stream: schemas.StreamIntranet,
		MaxRows: 100_000, MaxWait: 500 * time.Millisecond, Logger: log}, cst, nopPublisher{})
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- c.Run(cctx) }()
	err = WaitDistinct(ctx, cst, "intranet_events", n, 30*time.Minute)
	d := time.Since(start)
	cancel()
	<-done
	return d, err
}

// rawInsert times the engine inserting the exported rows into a fresh
// table, with the consumers' insert settings: the same work for the same
// rows.
func rawInsert(ctx context.Context, m Service, file string, n, round int, prof *phaseProfile) (time.Duration, error) {
	db := fmt.Sprintf("bench_raw_%d", round)
	st, err := benchStore(ctx, m, db)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	if round == 1 {
		if err := prof.start("engine"); err != nil {
			return 0, err
		}
	}
	start := time.Now()
	// Straight on the engine: the endpoint refuses INFILE from any client.
	err = m.ExecDirect(ctx, fmt.Sprintf("INSERT INTO %s.intranet_events (%s) FROM INFILE '%s' FORMAT Native", db, rawColumns, file),
		clickhouse.InsertSettings(db))
	d := time.Since(start)
	if round == 1 {
		prof.stop("engine")
	}
	if err != nil {
		return 0, fmt.Errorf("raw insert: %w", err)
	}
	got, err := st.Count(ctx, "intranet_events")
	if err != nil || got != uint64(n) {
		return 0, fmt.Errorf("raw insert: want %d rows, got %d (%v)", n, got, err)
	}
	return d, nil
}

// rounds is how many times the consumer path and the engine insert are
// measured.
const rounds = 3

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// roundRatios lists consumer/engine rate ratios round by round.
func roundRatios(consumer, raw []time.Duration) string {
	var parts []string
	for i := range consumer {
		parts = append(parts, fmt.Sprintf("%.2f", raw[i].Seconds()/consumer[i].Seconds()))
	}
	return strings.Join(parts, ", ")
}

// benchBacklog queues count messages (copies of the posted events, already
// on the topic) and samples the heap while a fresh consumer group drains
// them together with the posted ones.
func benchBacklog(ctx context.Context, m Service, log *slog.Logger, posted, count int, out io.Writer) error {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: m.Brokers(), Dialer: m.KafkaAuth().Dialer(), Topic: schemas.StreamIntranet.Topic(), Partition: 0, MaxBytes: 8 << 20})
	var values [][]byte
	for len(values) < 10_000 {
		msg, err := r.ReadMessage(ctx)
		if err != nil {
			r.Close()
			return err
		}
		values = append(values, msg.Value)
	}
	r.Close()
	fmt.Fprintf(out, "\nqueueing a backlog of %d messages ...\n", count)
	pub := ingest.NewPublisher(ingest.KafkaConfig{Brokers: m.Brokers(), Auth: m.KafkaAuth()})
	defer pub.Close()
	const chunk = 20_000
	msgs := make([]kafka.Message, 0, chunk)
	for i := 0; i < count; i++ {
		msgs = append(msgs, kafka.Message{Topic: "bussola.intranet.v1", Key: []byte(strconv.Itoa(i)), Value: values[i%len(values)]})
		if len(msgs) == chunk || i == count-1 {
			if err := pub.Publish(ctx, msgs...); err != nil {
				return err
			}
			msgs = msgs[:0]
		}
	}
	st, err := benchStore(ctx, m, "bench_backlog")
	if err != nil {
		return err
	}
	defer st.Close()
	metrics := ingest.NewMetrics(nil)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := ingest.NewConsumer(ingest.ConsumerConfig{Brokers: m.Brokers(), Auth: m.KafkaAuth(), Group: "bench-backlog", Stream: schemas.StreamIntranet,
		MaxRows: 100_000, MaxWait: 500 * time.Millisecond, Logger: log, Metrics: metrics}, st, nopPublisher{})
	done := make(chan error, 1)
	go func() { done <- c.Run(cctx) }()
	total := count + posted
	start := time.Now()
	var peak uint64
	fmt.Fprintf(out, "  %8s %12s %10s\n", "elapsed", "consumed", "heap MiB")
	next := 0.1
	for {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
		got := metricValue(metrics)
		if float64(got) >= next*float64(total) || got >= float64(total) {
			fmt.Fprintf(out, "  %8s %12.0f %10.1f\n", time.Since(start).Round(time.Second), got, float64(ms.HeapInuse)/(1<<20))
			next += 0.1
		}
		if got >= float64(total) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	cancel()
	<-done
	fmt.Fprintf(out, "  drained %d messages in %s; peak heap in use %.1f MiB (whole process, embedded engines included)\n",
		total, time.Since(start).Round(time.Second), float64(peak)/(1<<20))
	return nil
}

// counterValue reads a Prometheus counter.
func counterValue(c prometheus.Counter) float64 {
	var pb dto.Metric
	if err := c.Write(&pb); err != nil {
		return 0
	}
	return pb.GetCounter().GetValue()
}

func metricValue(m *ingest.Metrics) float64 {
	var total float64
	for _, s := range []string{"intranet"} {
		c, err := m.Inserted.GetMetricWithLabelValues(s)
		if err == nil {
			total += counterValue(c)
		}
	}
	return total
}

type nopPublisher struct{}

func (nopPublisher) Publish(context.Context, ...kafka.Message) error { return nil }

// exportNative saves a query's result in the Native format to file, over
// the HTTP interface.
func exportNative(ctx context.Context, baseURL, query, file string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/", strings.NewReader(query))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("export native file: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("export native file: %s: %s", resp.Status, b)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return fmt.Errorf("export native file: %w", err)
	}
	return f.Close()
}
