package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
	"github.com/bussola-pa/bussola/schemas"
)

// The fault-injection suite of exactly-once: each case drives the real
// protocols (HTTP intake, Kafka, consumer processes, ClickHouse) through a
// fault and then checks that every table a page reads says what the raw
// table says: raw rows (collapsed by event id) = distinct event ids =
// every rollup's total.

// rollupTotal is what a rollup column counts in all: the union of its
// sets of event ids (AggregatingMergeTree of uniqExact states), or the
// sum of its counts where a schema keeps counts.
func rollupTotal(tb testing.TB, m *Main, table, column string) uint64 {
	tb.Helper()
	var typ string
	if err := m.Store.Conn().QueryRow(context.Background(), "SELECT type FROM system.columns WHERE database = 'bussola' AND table = ? AND name = ?", table, column).Scan(&typ); err != nil {
		tb.Fatalf("type of %s.%s: %v", table, column, err)
	}
	if strings.HasPrefix(typ, "AggregateFunction") {
		return query1(tb, m, fmt.Sprintf("SELECT toUInt64(uniqExactMerge(%s)) FROM bussola.%s", column, table))
	}
	return query1(tb, m, fmt.Sprintf("SELECT toUInt64(sum(%s)) FROM bussola.%s", column, table))
}

// tablesAgree waits until intranet_events holds want distinct events, then
// until every count a page reads equals them, then checks they still agree
// after what may land late (a duplicate insert), and fails with all the
// figures if they do not. The rollups are waited for, not read at once:
// within one INSERT the engine commits the raw table's parts before its
// materialized views' parts, so for as long as that insert runs (a second
// and more on a loaded machine) the raw rows are visible and the rollups
// lack them. The insert returns, and the consumer commits its offsets, only
// once every view has its part; a rollup that lost rows never catches up
// and fails the wait with its figures.
func tablesAgree(tb testing.TB, m *Main, want int) {
	tb.Helper()
	waitFor(tb, fmt.Sprintf("%d distinct events in intranet_events", want), 2*time.Minute, func() (bool, string) {
		n := query1(tb, m, "SELECT uniqExact(event_id) FROM bussola.intranet_events")
		return n >= uint64(want), fmt.Sprintf("%d distinct events", n)
	})
	agree := func() (bool, string) {
		distinct := query1(tb, m, "SELECT uniqExact(event_id) FROM bussola.intranet_events")
		raw := query1(tb, m, "SELECT count() FROM bussola.intranet_events FINAL")
		cloud := query1(tb, m, "SELECT uniqExactIf(event_id, kind = 'cloud_tool') FROM bussola.intranet_events")
		daily := rollupTotal(tb, m, "intranet_daily", "events")
		weekly := rollupTotal(tb, m, "intranet_weekly", "events")
		weeklyCloud := rollupTotal(tb, m, "intranet_weekly", "cloud")
		state := fmt.Sprintf("want %d: distinct event ids %d, raw rows (FINAL) %d, intranet_daily %d, intranet_weekly %d; cloud-tool events %d, intranet_weekly cloud %d",
			want, distinct, raw, daily, weekly, cloud, weeklyCloud)
		return distinct == uint64(want) && raw == distinct && daily == distinct && weekly == distinct && weeklyCloud == cloud, state
	}
	waitFor(tb, "every rollup to count the raw events once", 30*time.Second, agree)
	deadline := time.Now().Add(5 * time.Second)
	for {
		ok, state := agree()
		if !ok {
			tb.Fatal("the tables disagree: " + state)
		}
		if time.Now().After(deadline) {
			tb.Log(state)
			return
		}
		time.Sleep(2 * time.Second) // agree now; still agree after what may land late?
	}
}

// childConsumer starts `bussola ingest` as a child process consuming the
// embedded broker and engine of m, as an external instance would.
func childConsumer(t *testing.T, m *Main, batchRows int, extraEnv ...string) *exec.Cmd {
	t.Helper()
	return childConsumerVia(t, m, m.ClickHouse().ServiceURL(), batchRows, extraEnv...)
}

// childConsumerVia is childConsumer reaching ClickHouse at chURL.
func childConsumerVia(t *testing.T, m *Main, chURL string, batchRows int, extraEnv ...string) *exec.Cmd {
	t.Helper()
	kc := m.Kafka().Credentials()
	pwFile := filepath.Join(t.TempDir(), "kafka-password")
	if err := os.WriteFile(pwFile, []byte(kc.Service.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := fmt.Sprintf("ingest --kafka-brokers %s --kafka-sasl-mechanism %s --kafka-user %s --kafka-password-file %s --clickhouse-url %s/ --http-addr 127.0.0.1:0 --batch-rows %d --batch-wait 100ms --pseudonym-secret 0123456789abcdef0123 --ingest-tokens x=0123456789abcdef0123 --log-level warn",
		m.Brokers()[0], kc.Mechanism, kc.Service.User, pwFile, chURL, batchRows)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "BUSSOLA_TEST_CHILD="+args), extraEnv...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGCONT)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	})
	return cmd
}

func demoEvents(t *testing.T, scale float64) [][]byte {
	return generated(t, scale)[schemas.StreamIntranet]
}

func postIntranet(t *testing.T, m *Main, lines [][]byte) {
	t.Helper()
	postAll(t, m, map[schemas.Stream][][]byte{schemas.StreamIntranet: lines})
}

// TestRepostedRecordsCountOnce posts the same records twice more, as a
// client retrying requests it had no answer to (or `generate --intake`
// retrying): every record counts once everywhere.
func TestRepostedRecordsCountOnce(t *testing.T) {
	m := mustOpenMain(t, nil)
	events := demoEvents(t, 0.01)
	postIntranet(t, m, events)
	postIntranet(t, m, events)
	postIntranet(t, m, events[:len(events)/3])
	waitAllRead(t, m)
	tablesAgree(t, m, len(events))
}

// TestRelayRepeated puts copies of records already on the stream topic
// there again, as a relay repeated after a crash between its publish and
// its commit does (same event ids, same bytes).
func TestRelayRepeated(t *testing.T) {
	m := mustOpenMain(t, nil)
	events := demoEvents(t, 0.01)
	postIntranet(t, m, events)
	tablesAgree(t, m, len(events))

	topic := schemas.StreamIntranet.Topic()
	var copies []kafka.Message
	for p := 0; p < m.Config.KafkaPartitions; p++ {
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: m.Brokers(), Topic: topic, Partition: p, Dialer: m.KafkaAuth().Dialer(), MaxWait: 100 * time.Millisecond})
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		for {
			msg, err := r.ReadMessage(ctx)
			if err != nil {
				break // the partition is read to its end
			}
			if msg.Offset%2 == 0 {
				copies = append(copies, kafka.Message{Key: msg.Key, Value: msg.Value})
			}
		}
		cancel()
		r.Close()
	}
	if len(copies) < len(events)/4 {
		t.Fatalf("read %d messages back from %s, want about half of %d", len(copies), topic, len(events))
	}
	w := &kafka.Writer{Addr: kafka.TCP(m.Brokers()...), Topic: topic, Transport: m.KafkaAuth().Transport(), RequiredAcks: kafka.RequireAll, BatchSize: 1000}
	defer w.Close()
	if err := w.WriteMessages(context.Background(), copies...); err != nil {
		t.Fatal(err)
	}
	waitAllRead(t, m)
	t.Logf("relayed %d copies again", len(copies))
	tablesAgree(t, m, len(events))
}

// TestConsumerKilledAndReposted kills a consumer process (SIGKILL)
// mid-stream, then re-posts the records a client would hold in doubt (the
// last requests of a stream), and restarts the consumer.
func TestConsumerKilledAndReposted(t *testing.T) {
	m := mustOpenMain(t, func(c *Config) { c.Consumers = false })
	events := demoEvents(t, 0.02)
	postIntranet(t, m, events)
	killAfterFirstRows(t, m, childConsumer(t, m, 2000), len(events))
	inDoubt := events[len(events)-2000:]
	postIntranet(t, m, inDoubt)
	restart := time.Now()
	childConsumer(t, m, 2000)
	waitAllRead(t, m)
	t.Logf("recovery: the restarted consumer read the whole topic %s after its start (a figure, not a check)", time.Since(restart).Round(100*time.Millisecond))
	tablesAgree(t, m, len(events))
}

// killAfterFirstRows kills the consumer process (SIGKILL) once it inserted
// some rows, and returns how many rows there were then.
func killAfterFirstRows(t *testing.T, m *Main, consumer *exec.Cmd, events int) uint64 {
	t.Helper()
	waitFor(t, "the first consumer to insert some rows", 2*time.Minute, func() (bool, string) {
		n := query1(t, m, "SELECT count() FROM bussola.intranet_events")
		return n > 0, fmt.Sprint(n)
	})
	if err := consumer.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = consumer.Wait()
	n := query1(t, m, "SELECT count() FROM bussola.intranet_events")
	t.Logf("killed the consumer after %d of %d rows", n, events)
	return n
}

// TestConsumerPausedPastTakeover holds a consumer's insert of intranet
// events on the network (a TCP proxy between it and ClickHouse stalls the
// request, as a loaded machine stalls a slow insert), stops the consumer
// (SIGSTOP) past the group's session timeout and past the settle window
// of the versions that waited for other consumers' inserts (3 s for them
// here), lets a second consumer take its partitions over and store
// everything, then lets the first one and its insert go on: the late
// insert lands, and must count nothing twice.
func TestConsumerPausedPastTakeover(t *testing.T) {
	m := mustOpenMain(t, func(c *Config) { c.Consumers = false })
	events := demoEvents(t, 0.02)
	postIntranet(t, m, events)
	const oldSettle = "BUSSOLA_INSERT_SETTLE=3s"
	u, err := url.Parse(m.ClickHouse().ServiceURL())
	if err != nil {
		t.Fatal(err)
	}
	stall := newStallProxy(t, u.Host, "intranet_events")
	u.Host = stall.addr
	first := childConsumerVia(t, m, u.String(), 2000, oldSettle)
	select {
	case <-stall.held:
	case <-time.After(2 * time.Minute):
		t.Fatal("the first consumer sent no insert of intranet events in 2 minutes")
	}
	if err := first.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	// Other batch boundaries: the late insert is not the same block as
	// any of the second consumer's, so insert deduplication cannot drop
	// it and its rows land twice in the raw table.
	childConsumer(t, m, 1500, oldSettle)
	waitAllRead(t, m)
	if err := first.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	before := query1(t, m, "SELECT count() FROM bussola.intranet_events")
	close(stall.release)
	select {
	case <-stall.answered:
	case <-time.After(time.Minute):
		t.Fatal("ClickHouse did not answer the held insert in a minute")
	}
	t.Logf("the held insert was answered: %d rows before it, %d after, for %d events", before, query1(t, m, "SELECT count() FROM bussola.intranet_events"), len(events))
	tablesAgree(t, m, len(events))
}

// stallProxy forwards TCP connections to a ClickHouse HTTP endpoint and
// holds the first request whose opening bytes name both INSERT and its
// table until release is closed; answered closes when the server's answer
// to it passes.
type stallProxy struct {
	addr     string
	held     chan struct{}
	release  chan struct{}
	answered chan struct{}
}

func newStallProxy(t *testing.T, target, table string) *stallProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &stallProxy{addr: ln.Addr().String(), held: make(chan struct{}), release: make(chan struct{}), answered: make(chan struct{})}
	var once, answer sync.Once
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			var holder atomic.Bool // this connection carried the held request
			go func() {
				defer c.Close()
				buf := make([]byte, 64<<10)
				for {
					n, err := s.Read(buf)
					if n > 0 {
						if _, werr := c.Write(buf[:n]); werr != nil {
							return
						}
						if holder.Load() {
							answer.Do(func() { close(p.answered) })
						}
					}
					if err != nil {
						if holder.Load() {
							answer.Do(func() { close(p.answered) }) // closed instead of answering
						}
						return
					}
				}
			}()
			go func() {
				defer s.Close()
				buf := make([]byte, 64<<10)
				for {
					n, err := c.Read(buf)
					if n > 0 {
						chunk := string(buf[:n])
						if strings.Contains(chunk, "INSERT") && strings.Contains(chunk, table) {
							once.Do(func() { close(p.held); <-p.release; holder.Store(true) })
						}
						if _, werr := s.Write(buf[:n]); werr != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return p
}

// waitAllRead waits until the intranet consumers stored a row at the last
// offset of every partition of the topic: they read all it holds.
func waitAllRead(t *testing.T, m *Main) {
	t.Helper()
	cl := &kafka.Client{Addr: kafka.TCP(m.Brokers()...), Transport: m.KafkaAuth().Transport()}
	topic := schemas.StreamIntranet.Topic()
	var reqs []kafka.OffsetRequest
	for p := 0; p < m.Config.KafkaPartitions; p++ {
		reqs = append(reqs, kafka.LastOffsetOf(p))
	}
	resp, err := cl.ListOffsets(context.Background(), &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		t.Fatal(err)
	}
	var end uint64
	for _, po := range resp.Topics[topic] {
		end += uint64(po.LastOffset)
	}
	waitFor(t, "the consumers to read the whole topic", 2*time.Minute, func() (bool, string) {
		n := query1(t, m, "SELECT toUInt64(sum(m)) FROM (SELECT kafka_partition, max(kafka_offset) + 1 AS m FROM bussola.intranet_events GROUP BY kafka_partition)")
		return n >= end, fmt.Sprintf("read up to %d of %d messages", n, end)
	})
}

// TestBrokenRollupPartHealed runs the service on a small tmpfs, fills the
// disk to the brim (a merge then fails), frees it, and restarts with a
// rollup part damaged as a full disk left one in the field: a merged part
// of intranet_daily committed with empty checksums.txt and columns.txt,
// which the engine sets aside on start (broken-on-start). The service
// must derive what that part held from the raw rows before it serves.
func TestBrokenRollupPartHealed(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=512m"); err != nil {
		t.Skipf("cannot mount a tmpfs for the data directory (%v): the full-disk case needs one (run as root, or with CAP_SYS_ADMIN)", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) }) // after the service closed
	events := demoEvents(t, 0.01)
	half := events[:len(events)/2]
	m := mustOpenMain(t, func(c *Config) { c.DataDir = dir })
	postIntranet(t, m, half)
	tablesAgree(t, m, len(half))

	filler, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for {
		if _, err := filler.Write(chunk); err != nil {
			break // ENOSPC: the disk is full
		}
	}
	filler.Close()
	err = m.Store.Conn().Exec(context.Background(), "OPTIMIZE TABLE bussola.intranet_daily FINAL")
	t.Logf("a merge of intranet_daily on the full disk: %v", err)
	if err := os.Remove(filepath.Join(dir, "filler")); err != nil {
		t.Fatal(err)
	}
	if err := m.Store.Conn().Exec(context.Background(), "OPTIMIZE TABLE bussola.intranet_daily FINAL"); err != nil {
		t.Fatal(err)
	}
	part, _ := damageLargestPart(t, m, "intranet_daily")

	m2 := mustOpenMain(t, func(c *Config) { c.DataDir = dir })
	if n := query1(t, m2, "SELECT count() FROM system.parts WHERE database = 'bussola' AND table = 'intranet_daily' AND active AND name = '"+part+"'"); n != 0 {
		t.Fatalf("the engine kept the damaged part %s active: the case tests nothing", part)
	}
	n, err := m2.Store.BrokenParts(context.Background())
	if err != nil || n != 0 {
		t.Fatalf("after the restart no broken part may be left unhealed, got %d (%v)", n, err)
	}
	tablesAgree(t, m2, len(half))
	postIntranet(t, m2, events[len(half):])
	tablesAgree(t, m2, len(events))
}

// TestZombieCopiesUnseenByPages stalls a survey consumer's insert on the
// network, stops the consumer past the group's session timeout while a
// second one takes its partitions over and stores everything, then lets
// the held insert land: its rows are copies of stored answers, with other
// batch boundaries (insert deduplication cannot drop them). Right after,
// before any merge, the pages must read the table as it was: the answers
// as the pages read them = distinct answers, and the page's figures (the
// page-feedback ratings, a mean over answers) unchanged.
func TestZombieCopiesUnseenByPages(t *testing.T) {
	m := mustOpenMain(t, func(c *Config) { c.Consumers = false })
	surveys := generated(t, 0.02)[schemas.StreamSurvey]
	postAll(t, m, map[schemas.Stream][][]byte{schemas.StreamSurvey: surveys})
	u, err := url.Parse(m.ClickHouse().ServiceURL())
	if err != nil {
		t.Fatal(err)
	}
	stall := newStallProxy(t, u.Host, "survey_answers")
	u.Host = stall.addr
	first := childConsumerVia(t, m, u.String(), 2000)
	select {
	case <-stall.held:
	case <-time.After(2 * time.Minute):
		t.Fatal("the first consumer sent no insert of survey answers in 2 minutes")
	}
	if err := first.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	// Small batches: the new owner's ranges are never the held one's, so
	// insert deduplication cannot drop the late insert.
	childConsumer(t, m, 100)
	want := uint64(surveyRows(t, surveys))
	const distinct = "SELECT uniqExact(event_id, item) FROM bussola.survey_answers"
	waitFor(t, "every answer stored by the new owner", 2*time.Minute, func() (bool, string) {
		n := query1(t, m, distinct)
		return n >= want, fmt.Sprint(n)
	})
	raw, err := m.Store.WithReports(clickhouse.ReportOptions{Pilots: synth.DemoPilots(), NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	st := figures.New(raw)
	ctx := context.Background()
	page := reports.Query{Tenant: "comune-aurelia", Tenants: []string{"comune-aurelia"}}
	before, err := st.Communication(ctx, page)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	close(stall.release)
	select {
	case <-stall.answered:
	case <-time.After(time.Minute):
		t.Fatal("ClickHouse did not answer the held insert in a minute")
	}
	stored := query1(t, m, "SELECT count() FROM bussola.survey_answers")
	copies := query1(t, m, "SELECT toUInt64(count() - uniqExact(event_id, item)) FROM bussola.survey_answers WHERE tenant = 'comune-aurelia' AND instrument_id = 'page-feedback' AND item = 'stars'")
	if stored <= want || copies == 0 {
		t.Fatalf("the held insert left %d rows for %d answers, %d copies of page ratings: the case tests nothing", stored, want, copies)
	}
	// The answers as the pages read them (their FROM clause), before any merge.
	pages := query1(t, m, "SELECT count() FROM bussola.survey_answers FINAL")
	after, err := st.Communication(ctx, page)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d answers: %d rows stored with the zombie's copies (%d copies of page ratings), %d as the pages read them", want, stored, copies, pages)
	if pages != want {
		t.Errorf("the pages read %d answers for %d distinct ones", pages, want)
	}
	if !reflect.DeepEqual(before.Ratings, after.Ratings) {
		t.Errorf("the page ratings changed when the zombie's copies landed (the page counts them):\nbefore %+v\nafter  %+v", before.Ratings, after.Ratings)
	}
}

// TestBrokenRawPartReplayed damages the largest part of intranet_events
// as a full disk leaves one (empty checksums.txt and columns.txt), with
// the parts it replaced gone, and restarts: the engine sets the part
// aside (broken-on-start), and the service must read the records it held
// again from Kafka before it serves, so raw rows = distinct event ids =
// every rollup's total, and no broken part is left to report.
func TestBrokenRawPartReplayed(t *testing.T) {
	dir := t.TempDir()
	events := demoEvents(t, 0.01)
	m := mustOpenMain(t, func(c *Config) { c.DataDir = dir })
	postIntranet(t, m, events)
	tablesAgree(t, m, len(events))
	ctx := context.Background()
	if err := m.Store.Conn().Exec(ctx, "OPTIMIZE TABLE bussola.intranet_events"); err != nil {
		t.Fatal(err)
	}
	part, held := damageLargestPart(t, m, "intranet_events")
	t.Logf("damaged part %s holding %d of %d rows", part, held, len(events))

	m2 := mustOpenMain(t, func(c *Config) { c.DataDir = dir })
	if n := query1(t, m2, "SELECT count() FROM system.parts WHERE database = 'bussola' AND table = 'intranet_events' AND active AND name = '"+part+"'"); n != 0 {
		t.Fatalf("the engine kept the damaged part %s active: the case tests nothing", part)
	}
	if n, err := m2.Store.BrokenParts(ctx); err != nil || n != 0 {
		t.Errorf("after the restart no broken part may be left, got %d (%v)", n, err)
	}
	if n := query1(t, m2, "SELECT count() FROM bussola.intranet_events"); n != uint64(len(events)) {
		t.Errorf("intranet_events holds %d rows for %d events", n, len(events))
	}
	tablesAgree(t, m2, len(events))
}

// damageLargestPart closes m and damages the largest active part of table
// as a full disk left one in the field: committed with empty checksums.txt
// and columns.txt, the parts it replaced long gone (cleaned up minutes
// after the merge; they would cover its loss). It returns the part's name
// and rows.
func damageLargestPart(t *testing.T, m *Main, table string) (string, uint64) {
	t.Helper()
	ctx := context.Background()
	var part string
	var rows uint64
	if err := m.Store.Conn().QueryRow(ctx, "SELECT path, rows FROM system.parts WHERE database = 'bussola' AND table = ? AND active ORDER BY rows DESC LIMIT 1", table).Scan(&part, &rows); err != nil {
		t.Fatal(err)
	}
	list, err := m.Store.Conn().Query(ctx, "SELECT path FROM system.parts WHERE database = 'bussola' AND table = ? AND NOT active", table)
	if err != nil {
		t.Fatal(err)
	}
	var outdated []string
	for list.Next() {
		var p string
		if err := list.Scan(&p); err != nil {
			t.Fatal(err)
		}
		outdated = append(outdated, p)
	}
	list.Close()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range outdated {
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"checksums.txt", "columns.txt"} {
		if err := os.Truncate(filepath.Join(part, f), 0); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Base(part), rows
}
