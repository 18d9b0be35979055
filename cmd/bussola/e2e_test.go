package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/internal/testenv"
	"github.com/bussola-pa/bussola/schemas"
)

// TestMain lets the test binary act as a `bussola` child process, so a test
// can SIGKILL a real consumer process mid-stream.
func TestMain(m *testing.M) {
	if args := os.Getenv("BUSSOLA_TEST_CHILD"); args != "" {
		ctx, stop := signalContext()
		err := run(ctx, strings.Fields(args), os.Stdout, os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func signalContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 1)
	signalNotify(ch)
	go func() { <-ch; cancel() }()
	return ctx, cancel
}

// mustOpenMain starts the whole service, embedded, on free ports in a
// fresh data directory, and closes it when the test ends.
func mustOpenMain(tb testing.TB, edit func(*Config)) *Main {
	tb.Helper()
	testenv.RequireClickHouseLibrary(tb)
	cfg := testConfig(tb.TempDir())
	if edit != nil {
		edit(&cfg)
	}
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	m.ExtraRoutes = mountReports
	if err := m.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	return m
}

func testConfig(dir string) Config {
	return Config{Embedded: true, DataDir: dir, HTTPAddr: "127.0.0.1:0", KafkaAddr: "127.0.0.1:0", ClickHouseHTTPAddr: "127.0.0.1:0",
		KafkaPartitions: 3, Database: "bussola", RetentionDays: 0, ConsumerGroup: "bussola-ingest", BatchRows: 5000,
		BatchWait: 200 * time.Millisecond, Consumers: true, MaxBodyBytes: 4 << 20}
}

func post(tb testing.TB, m *Main, route, tenant string, body []byte, contentType string) (int, IntakeReply) {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+m.HTTPAddr()+route, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if tenant != "" {
		req.Header.Set("Authorization", "Bearer "+m.Tokens()[tenant])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var r IntakeReply
	_ = json.NewDecoder(resp.Body).Decode(&r)
	return resp.StatusCode, r
}

// IntakeReply mirrors the intake's answer.
type IntakeReply struct {
	Accepted int
	Rejected int
	Error    string
	Errors   []struct {
		Line        int
		Field, Rule string
	}
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(tb testing.TB, what string, timeout time.Duration, cond func() (bool, string)) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	last := ""
	for time.Now().Before(deadline) {
		ok, state := cond()
		if ok {
			return
		}
		last = state
		time.Sleep(100 * time.Millisecond)
	}
	tb.Fatalf("timed out waiting for %s (last: %s)", what, last)
}

func query1(tb testing.TB, m *Main, sql string) uint64 {
	tb.Helper()
	var n uint64
	if err := m.Store.Conn().QueryRow(context.Background(), sql).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
	return n
}

// rowsExactlyOnce waits until the table holds want distinct records and
// checks both guarantees: nothing posted is lost (distinct events equal
// want), and no Kafka message is inserted twice. The second is checked
// against the messages on the topic, because an intake client that
// retried a request after a 503 may have put some records on Kafka twice;
// the raw tables collapse such copies by event id, and the rollups, which
// hold sets of event ids, count them once: their totals equal want.
func rowsExactlyOnce(tb testing.TB, m *Main, table string, want int) {
	tb.Helper()
	key := "event_id"
	if table == "survey_answers" {
		key = "event_id, item" // one row per answered item
	}
	waitFor(tb, fmt.Sprintf("%d distinct rows in %s", want, table), 2*time.Minute, func() (bool, string) {
		n := query1(tb, m, "SELECT uniqExact("+key+") FROM bussola."+table)
		return n >= uint64(want), fmt.Sprintf("%d distinct rows", n)
	})
	time.Sleep(500 * time.Millisecond) // a late duplicate batch would land now
	if n := query1(tb, m, "SELECT uniqExact("+key+") FROM bussola."+table); n != uint64(want) {
		tb.Errorf("%s: want %d distinct rows, got %d", table, want, n)
	}
	if table != "intranet_events" {
		if n := query1(tb, m, "SELECT count() FROM bussola."+table); n != uint64(want) {
			tb.Errorf("%s: want exactly %d rows, got %d", table, want, n)
		}
		return
	}
	messages := validMessages(tb, m, schemas.StreamIntranet)
	if messages != want {
		tb.Logf("the topic holds %d valid messages for %d events: an intake client re-sent some records", messages, want)
	}
	if n := query1(tb, m, "SELECT count() FROM bussola.intranet_events"); n < uint64(want) || n > uint64(messages) {
		tb.Errorf("intranet_events: want between %d and %d rows (one per message at most), got %d", want, messages, n)
	}
	tablesAgree(tb, m, want)
}

// validMessages is the number of messages on the stream's topic minus those
// sent to the dead letters.
func validMessages(tb testing.TB, m *Main, s schemas.Stream) int {
	tb.Helper()
	cl := &kafka.Client{Addr: kafka.TCP(m.Brokers()...), Transport: m.KafkaAuth().Transport()}
	var reqs []kafka.OffsetRequest
	for p := 0; p < m.Config.KafkaPartitions; p++ {
		reqs = append(reqs, kafka.LastOffsetOf(p))
	}
	resp, err := cl.ListOffsets(context.Background(), &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{s.Topic(): reqs}})
	if err != nil {
		tb.Fatalf("list offsets of %s: %v", s.Topic(), err)
	}
	var total int64
	for _, po := range resp.Topics[s.Topic()] {
		if po.Error != nil {
			tb.Fatalf("list offsets of %s/%d: %v", s.Topic(), po.Partition, po.Error)
		}
		total += po.LastOffset
	}
	dead := query1(tb, m, fmt.Sprintf("SELECT count() FROM bussola.dead_letters WHERE source = '%s'", s.Topic()))
	return int(total) - int(dead)
}

// generated returns the demo data at a small scale, by stream.
func generated(tb testing.TB, scale float64) map[schemas.Stream][][]byte {
	tb.Helper()
	out := map[schemas.Stream][][]byte{}
	err := synth.Generate(synth.Config{Seed: 3, Scale: scale}, func(s schemas.Stream, l []byte) error {
		out[s] = append(out[s], append([]byte(nil), l...))
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func postAll(tb testing.TB, m *Main, data map[schemas.Stream][][]byte) {
	tb.Helper()
	p := &synth.Poster{BaseURL: "http://" + m.HTTPAddr(), Tokens: m.Tokens(), BatchLines: 2000, Concurrency: 4}
	up := p.Start(context.Background())
	for _, s := range schemas.Streams {
		for _, l := range data[s] {
			if err := up.Emit(s, l); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := up.Close(); err != nil {
		tb.Fatal(err)
	}
}

func surveyRows(tb testing.TB, lines [][]byte) int {
	n := 0
	for _, l := range lines {
		var r schemas.SurveyResponse
		if err := json.Unmarshal(l, &r); err != nil {
			tb.Fatal(err)
		}
		n += len(r.Answers) + len(r.Choices) + len(r.Texts)
	}
	return n
}

func TestEndToEnd(t *testing.T) {
	m := mustOpenMain(t, nil)
	data := generated(t, 0.01)
	postAll(t, m, data)
	rowsExactlyOnce(t, m, "diary_entries", len(data[schemas.StreamDiary]))
	rowsExactlyOnce(t, m, "survey_answers", surveyRows(t, data[schemas.StreamSurvey]))
	rowsExactlyOnce(t, m, "intranet_events", len(data[schemas.StreamIntranet]))
	if n := query1(t, m, "SELECT uniqExact(event_id) FROM bussola.survey_answers"); n != uint64(len(data[schemas.StreamSurvey])) {
		t.Errorf("want %d survey responses, got %d", len(data[schemas.StreamSurvey]), n)
	}

	t.Run("OK no raw employee identifier reaches ClickHouse", func(t *testing.T) {
		if n := query1(t, m, "SELECT countIf(position(text, 'AUR-') > 0) FROM bussola.diary_entries"); n != 0 {
			t.Errorf("%d diary rows hold a raw identifier", n)
		}
		var line struct {
			EmployeeID string `json:"employee_id"`
			Tenant     string
		}
		_ = json.Unmarshal(data[schemas.StreamIntranet][0], &line)
		p, _ := schemas.NewPseudonymizer([]byte("not the service secret at all!!"))
		if query1(t, m, fmt.Sprintf("SELECT count() FROM bussola.intranet_events WHERE person = %d", p.PersonID(line.Tenant, line.EmployeeID))) != 0 {
			t.Error("a pseudonym computed without the service's secret must not match")
		}
	})

	t.Run("OK the status page and metrics report the counts to the metrics token", func(t *testing.T) {
		resp := opsGet(t, m, "/status.json", m.opsTok)
		defer resp.Body.Close()
		var st struct {
			Streams []struct {
				Name string
				Rows uint64
			}
		}
		if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
			t.Fatal(err)
		}
		for _, s := range st.Streams {
			if s.Name == "intranet" && s.Rows != uint64(len(data[schemas.StreamIntranet])) {
				t.Errorf("status page: intranet rows %d, want %d", s.Rows, len(data[schemas.StreamIntranet]))
			}
		}
		resp2 := opsGet(t, m, "/metrics", m.opsTok)
		b, _ := io.ReadAll(resp2.Body)
		resp2.Body.Close()
		want := fmt.Sprintf(`bussola_consumer_rows_inserted_total{stream="intranet"} %d`, len(data[schemas.StreamIntranet]))
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %q", want)
		}
		for _, path := range []string{"/healthz", "/readyz"} {
			r, err := http.Get("http://" + m.HTTPAddr() + path)
			if err != nil || r.StatusCode != http.StatusOK {
				t.Errorf("%s: %v %v", path, r.StatusCode, err)
			}
			r.Body.Close()
		}
	})
}

func TestIntakeErrors(t *testing.T) {
	m := mustOpenMain(t, nil)
	data := generated(t, 0.005)
	good := data[schemas.StreamDiary][:3]
	bad := bytes.Replace(good[1], []byte(`"productivity":`), []byte(`"productivity":9,"x":`), 1)
	body := bytes.Join([][]byte{good[0], bad, []byte(`{not json`), good[2]}, []byte("\n"))

	t.Run("ErrInvalid lines get 400 with reasons while valid lines are taken", func(t *testing.T) {
		code, r := post(t, m, "/api/v1/diary", "comune-aurelia", body, "application/x-ndjson")
		if code != http.StatusBadRequest || r.Accepted != 2 || r.Rejected != 2 {
			t.Fatalf("want 400 with 2 accepted and 2 rejected, got %d %+v", code, r)
		}
		lines := map[int]string{}
		for _, e := range r.Errors {
			lines[e.Line] = e.Rule
		}
		if lines[2] == "" || lines[3] != schemas.RuleSyntax {
			t.Errorf("want errors on lines 2 and 3 (json_syntax), got %+v", r.Errors)
		}
		rowsExactlyOnce(t, m, "diary_entries", 2)
		waitFor(t, "2 dead letters", time.Minute, func() (bool, string) {
			n := query1(t, m, "SELECT count() FROM bussola.dead_letters WHERE source = 'intake /api/v1/diary'")
			return n == 2, fmt.Sprint(n)
		})
		if n := query1(t, m, "SELECT count() FROM bussola.dead_letters WHERE position(payload, 'AUR-') > 0"); n != 0 {
			t.Errorf("%d dead letters keep a raw employee identifier", n)
		}
	})
	t.Run("ErrUnauthorized without a valid token", func(t *testing.T) {
		if code, _ := post(t, m, "/api/v1/diary", "", good[0], "application/x-ndjson"); code != http.StatusUnauthorized {
			t.Errorf("want 401, got %d", code)
		}
	})
	t.Run("ErrForbidden for another tenant's records", func(t *testing.T) {
		code, r := post(t, m, "/api/v1/diary", "comune-borgoverde", good[0], "application/x-ndjson")
		if code != http.StatusForbidden || r.Accepted != 0 {
			t.Errorf("want 403 with nothing accepted, got %d %+v", code, r)
		}
	})
	t.Run("ErrTooLarge above the size limit", func(t *testing.T) {
		big := bytes.Repeat(append(append([]byte(nil), good[0]...), '\n'), (5<<20)/len(good[0]))
		if code, _ := post(t, m, "/api/v1/diary", "comune-aurelia", big, "application/x-ndjson"); code != http.StatusRequestEntityTooLarge {
			t.Errorf("want 413, got %d", code)
		}
	})
	t.Run("ErrUnavailable when Kafka is stopped, with nothing acknowledged", func(t *testing.T) {
		m.Kafka().Close()
		code, r := post(t, m, "/api/v1/diary", "comune-aurelia", good[0], "application/x-ndjson")
		if code != http.StatusServiceUnavailable || r.Accepted != 0 {
			t.Errorf("want 503 with nothing accepted, got %d %+v", code, r)
		}
	})
}

func TestClickHouseOutage(t *testing.T) {
	m := mustOpenMain(t, nil)
	data := generated(t, 0.005)
	events := data[schemas.StreamIntranet]
	half := len(events) / 2
	postAll(t, m, map[schemas.Stream][][]byte{schemas.StreamIntranet: events[:half]})
	rowsExactlyOnce(t, m, "intranet_events", half)

	m.ClickHouse().SetUnavailable(true)
	postAll(t, m, map[schemas.Stream][][]byte{schemas.StreamIntranet: events[half:]}) // Kafka still takes them
	time.Sleep(3 * time.Second)
	lag := counterValueOf(t, m, "bussola_consumer_insert_failures_total")
	if lag == 0 {
		t.Error("consumers must have tried and failed to insert while ClickHouse was down")
	}
	m.ClickHouse().SetUnavailable(false)
	rowsExactlyOnce(t, m, "intranet_events", len(events))
}

func counterValueOf(tb testing.TB, m *Main, name string) float64 {
	mfs, err := m.Registry.Gather()
	if err != nil {
		tb.Fatal(err)
	}
	var v float64
	for _, mf := range mfs {
		if mf.GetName() == name {
			for _, mt := range mf.GetMetric() {
				v += mt.GetCounter().GetValue() + mt.GetGauge().GetValue()
			}
		}
	}
	return v
}

// TestConsumerKilled kills a real consumer process (SIGKILL) mid-stream
// and checks that a new one loses nothing and inserts nothing twice.
func TestConsumerKilled(t *testing.T) {
	m := mustOpenMain(t, func(c *Config) { c.Consumers = false })
	t.Cleanup(func() {
		if t.Failed() {
			explainDuplicates(t, m)
		}
	})
	data := generated(t, 0.02)
	events := data[schemas.StreamIntranet]
	postAll(t, m, map[schemas.Stream][][]byte{schemas.StreamIntranet: events})

	// The child logs in to the embedded broker as an external one: with
	// the service account's password in a file.
	child := func() *exec.Cmd { return childConsumer(t, m, 2000) }
	partial := killAfterFirstRows(t, m, child(), len(events))
	if partial >= uint64(len(events)) {
		t.Logf("the consumer finished before the kill; the restart still must not duplicate")
	}
	second := child()
	defer func() { _ = second.Process.Signal(syscall.SIGTERM); _ = second.Wait() }()
	rowsExactlyOnce(t, m, "intranet_events", len(events))
}

// explainDuplicates logs the Kafka positions stored more than once and
// the logged batch spans around them.
func explainDuplicates(t *testing.T, m *Main) {
	dump := func(title, sql string) {
		rows, err := m.Store.Conn().Query(context.Background(), sql)
		if err != nil {
			t.Logf("%s: %v", title, err)
			return
		}
		defer rows.Close()
		t.Log(title + ":")
		cols := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			for i, ct := range rows.ColumnTypes() {
				vals[i] = reflect.New(ct.ScanType()).Interface()
			}
			if err := rows.Scan(vals...); err != nil {
				t.Log(err)
				return
			}
			var sb strings.Builder
			for i, v := range vals {
				fmt.Fprintf(&sb, " %s=%v", cols[i], reflect.ValueOf(v).Elem().Interface())
			}
			t.Log(sb.String())
		}
	}
	dump("positions stored more than once", `SELECT kafka_partition, min(kafka_offset) lo, max(kafka_offset) hi, count() n, groupUniqArray(c) copies
		FROM (SELECT kafka_partition, kafka_offset, count() c FROM bussola.intranet_events GROUP BY ALL HAVING c > 1) GROUP BY ALL ORDER BY ALL`)
	dump("rows by part", `SELECT _part, kafka_partition, min(kafka_offset), max(kafka_offset), count() FROM bussola.intranet_events GROUP BY ALL ORDER BY kafka_partition, 3`)
	dump("logged spans", `SELECT partition, first_offset, last_offset, rows, token, inserted_at FROM bussola.ingest_batches WHERE topic = 'bussola.intranet.v1' ORDER BY partition, first_offset, inserted_at`)
}

// TestGracefulShutdown closes the service right after the intake
// acknowledged records, mid-batch, and checks that after a restart on the
// same data directory every acknowledged record is there exactly once:
// what the consumers had read was flushed and committed at shutdown, and
// the rest was still in the embedded broker's persisted log.
func TestGracefulShutdown(t *testing.T) {
	dir := t.TempDir()
	data := generated(t, 0.005)
	events := data[schemas.StreamIntranet]
	m := mustOpenMain(t, func(c *Config) { c.DataDir = dir; c.BatchWait = 5 * time.Second; c.BatchRows = 1_000_000 })
	postAll(t, m, map[schemas.Stream][][]byte{schemas.StreamIntranet: events})
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m2 := mustOpenMain(t, func(c *Config) { c.DataDir = dir })
	t.Logf("%d of %d events were inserted before the shutdown", query1(t, m2, "SELECT count() FROM bussola.intranet_events"), len(events))
	rowsExactlyOnce(t, m2, "intranet_events", len(events))
}
