package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/internal/kafkaembed"
	"github.com/bussola-pa/bussola/internal/testenv"
	"github.com/bussola-pa/bussola/schemas"
)

// kafkaCredentials reads the embedded broker's credentials file, as the
// README has operators do.
func kafkaCredentials(tb testing.TB, m *Main) kafkaembed.Credentials {
	tb.Helper()
	b, err := os.ReadFile(m.Kafka().CredentialsFile())
	if err != nil {
		tb.Fatal(err)
	}
	var c kafkaembed.Credentials
	if err := json.Unmarshal(b, &c); err != nil {
		tb.Fatal(err)
	}
	return c
}

// entityLines are n valid intranet events of tenant, pseudonymised on the
// producer's side.
func entityLines(tenant string, n int) *bytes.Buffer {
	p, _ := schemas.NewPseudonymizer([]byte("a producer-side secret, 32 bytes"))
	var buf bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&buf, `{"event_id":"00000000-0000-4000-8000-%012d","tenant":"%s","org_unit":"Tributi","grade":"Istruttori","cohort":"comparison","person":"%s","ts":"2025-12-01T09:%02d:00Z","kind":"page_view","section":"notizie","page":"/notizie/%d","device":"desktop","remote":false}`+"\n",
			i, tenant, p.Person(tenant, fmt.Sprint("BOR-", i%40)), i%60, i)
	}
	return &buf
}

// otherEntityLine is a valid record claiming to be comune-aurelia's.
const otherEntityLine = `{"event_id":"00000000-0000-4000-8000-888888888888","tenant":"comune-aurelia","org_unit":"Tributi","grade":"B","cohort":"comparison","person":"0123456789abcdef","ts":"2025-12-01T09:00:00Z","kind":"page_view","section":"notizie","device":"desktop"}` + "\n"

// checkEntityRecords waits for n of comune-borgoverde's records, written
// on its own topic, to be stored exactly once, and checks that the record
// claiming comune-aurelia was not stored as anyone's but dead-lettered as
// comune-borgoverde's, naming the tenant field.
func checkEntityRecords(t *testing.T, m *Main, n int) {
	t.Helper()
	own := schemas.StreamIntranet.EntityTopic("comune-borgoverde")
	rowsExactlyOnce(t, m, "intranet_events", n)
	waitFor(t, "the other entity's record in the dead letters", time.Minute, func() (bool, string) {
		c := query1(t, m, "SELECT count() FROM bussola.dead_letters WHERE source = '"+own+"' AND tenant = 'comune-borgoverde' AND position(errors, 'forbidden') > 0 AND position(errors, 'tenant') > 0")
		return c == 1, fmt.Sprint(c)
	})
	if c := query1(t, m, "SELECT count() FROM bussola.intranet_events WHERE tenant = 'comune-aurelia' OR event_id = '00000000-0000-4000-8000-888888888888'"); c != 0 {
		t.Errorf("a record for comune-aurelia written with comune-borgoverde's account was stored (%d rows)", c)
	}
}

// TestEntityProducer has an entity's system write with its own Kafka
// account (kafka-go): its records on its own topic are stored, one claiming
// another entity is not, and its account cannot write another entity's
// topic or the stream's topic.
func TestEntityProducer(t *testing.T) {
	m := mustOpenMain(t, nil)
	c := kafkaCredentials(t, m)
	acct := c.Entities["comune-borgoverde"]
	mech, err := ingest.SCRAM(c.Mechanism, acct.User, acct.Password)
	if err != nil {
		t.Fatal(err)
	}
	const n = 200
	var msgs []kafka.Message
	own := schemas.StreamIntranet.EntityTopic("comune-borgoverde")
	for _, line := range bytes.Split(bytes.TrimSpace(append(entityLines("comune-borgoverde", n).Bytes(), otherEntityLine...)), []byte("\n")) {
		msgs = append(msgs, kafka.Message{Topic: own, Value: line})
	}
	w := &kafka.Writer{Addr: kafka.TCP(m.Brokers()...), RequiredAcks: kafka.RequireAll, Transport: ingest.KafkaAuth{SASL: mech}.Transport(), MaxAttempts: 2}
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	for _, topic := range []string{schemas.StreamIntranet.EntityTopic("comune-aurelia"), schemas.StreamIntranet.Topic()} {
		if err := w.WriteMessages(ctx, kafka.Message{Topic: topic, Value: []byte(otherEntityLine)}); err == nil {
			t.Errorf("comune-borgoverde's account wrote to %s", topic)
		}
	}
	checkEntityRecords(t, m, n)
}

// TestKcatProducer runs the README's example: a real third-party Kafka
// client (Debian's kcat) logs in with an entity's SCRAM account and
// produces raw JSON to the entity's topic.
func TestKcatProducer(t *testing.T) {
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		testenv.SkipOrFail(t, "kcat is not installed; run scripts/setup.sh")
	}
	m := mustOpenMain(t, nil)
	c := kafkaCredentials(t, m)
	acct := c.Entities["comune-borgoverde"]
	kcatAs := func(user, password, topic string, stdin *bytes.Buffer) ([]byte, error) {
		args := []string{"-P", "-b", m.Brokers()[0], "-t", topic, "-X", "message.timeout.ms=10000"}
		if user != "" {
			args = append(args, "-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanisms="+c.Mechanism,
				"-X", "sasl.username="+user, "-X", "sasl.password="+password)
		}
		cmd := exec.Command(kcat, args...)
		cmd.Stdin = stdin
		return cmd.CombinedOutput()
	}
	const n = 500
	buf := entityLines("comune-borgoverde", n)
	buf.WriteString(`{"event_id":"00000000-0000-4000-8000-999999999999","tenant":"comune-borgoverde","org_unit":"Tributi","grade":"B","cohort":"comparison","employee_id":"BOR-7","ts":"2025-12-01T09:00:00Z","kind":"page_view","section":"notizie","device":"desktop"}` + "\n")
	buf.WriteString(otherEntityLine)
	own := schemas.StreamIntranet.EntityTopic("comune-borgoverde")
	if out, err := kcatAs(acct.User, acct.Password, own, buf); err != nil {
		t.Fatalf("kcat: %v: %s", err, out)
	}
	if out, err := kcatAs(acct.User, acct.Password, schemas.StreamIntranet.EntityTopic("comune-aurelia"), bytes.NewBufferString(otherEntityLine)); err == nil {
		t.Errorf("kcat with comune-borgoverde's account wrote comune-aurelia's topic: %s", out)
	}
	if out, err := kcatAs("", "", own, bytes.NewBufferString(otherEntityLine)); err == nil {
		t.Errorf("kcat without an account produced: %s", out)
	}
	checkEntityRecords(t, m, n)
	waitFor(t, "the raw-identifier message in the dead letters", time.Minute, func() (bool, string) {
		c := query1(t, m, "SELECT count() FROM bussola.dead_letters WHERE source = '"+own+"' AND position(errors, 'raw_identifier') > 0")
		return c == 1, fmt.Sprint(c)
	})
	if c := query1(t, m, "SELECT count() FROM bussola.dead_letters WHERE position(payload, 'BOR-7') > 0"); c != 0 {
		t.Error("the dead letter must not keep the raw identifier")
	}
}

// TestExternalKafkaLogin checks the login flags of external brokers:
// PLAINTEXT only when said, SCRAM with a user and a password file.
func TestExternalKafkaLogin(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("s3cret-password-0123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"--kafka-brokers", "k1:9092", "--clickhouse-url", "http://ch:8123/"}
	cases := []struct {
		name string
		args []string
		err  string // "" for OK
	}{
		{"OK with SCRAM-SHA-512, a user and a password file", []string{"--kafka-sasl-mechanism", "SCRAM-SHA-512", "--kafka-user", "bussola", "--kafka-password-file", pw}, ""},
		{"OK with none, said explicitly", []string{"--kafka-sasl-mechanism", "none"}, ""},
		{"ErrNoMechanism: PLAINTEXT is never assumed", nil, "--kafka-sasl-mechanism: required"},
		{"ErrUnknownMechanism", []string{"--kafka-sasl-mechanism", "PLAIN", "--kafka-user", "u", "--kafka-password-file", pw}, "must be SCRAM-SHA-256, SCRAM-SHA-512 or none"},
		{"ErrNoUser", []string{"--kafka-sasl-mechanism", "SCRAM-SHA-256", "--kafka-password-file", pw}, "--kafka-user: required"},
		{"ErrNoPasswordFile", []string{"--kafka-sasl-mechanism", "SCRAM-SHA-256", "--kafka-user", "u"}, "--kafka-password-file: required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			var c Config
			r := configFlags(fs, &c)
			if err := fs.Parse(append(append([]string(nil), base...), tc.args...)); err != nil {
				t.Fatal(err)
			}
			err := c.finish(r)
			if tc.err == "" {
				if err != nil {
					t.Fatalf("want OK, got %v", err)
				}
				auth, err := externalKafkaAuth(c)
				if err != nil {
					t.Fatal(err)
				}
				if (auth.SASL == nil) != (c.KafkaSASLMechanism == "none") {
					t.Errorf("mechanism %s: SASL set = %v", c.KafkaSASLMechanism, auth.SASL != nil)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("want an error with %q, got %v", tc.err, err)
			}
		})
	}
}

// syncBuffer is a log sink safe for the service's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

// entityWriter writes to tenant's own topic of stream with that entity's
// Kafka account, as another system of the entity would.
func entityWriter(tb testing.TB, m *Main, tenant string, stream schemas.Stream) *kafka.Writer {
	tb.Helper()
	c := kafkaCredentials(tb, m)
	acct, ok := c.Entities[tenant]
	if !ok {
		tb.Fatalf("no Kafka account for %s", tenant)
	}
	mech, err := ingest.SCRAM(c.Mechanism, acct.User, acct.Password)
	if err != nil {
		tb.Fatal(err)
	}
	return &kafka.Writer{Addr: kafka.TCP(m.Brokers()...), Topic: stream.EntityTopic(tenant), RequiredAcks: kafka.RequireAll,
		BatchTimeout: 10 * time.Millisecond, Transport: ingest.KafkaAuth{SASL: mech}.Transport()}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestKafkaCredentialsFile: the embedded broker's accounts are written to
// a 0600 file the log names, and no password reaches the log, even at
// debug level with kafka-go's own lines, while the service and an entity
// produce.
func TestKafkaCredentialsFile(t *testing.T) {
	testenv.RequireClickHouseLibrary(t)
	var log syncBuffer
	m := NewMain(testConfig(t.TempDir()), slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	path := filepath.Join(m.Config.DataDir, kafkaCredentialsFile)
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v; want mode 0600", path, err)
	}
	c := kafkaCredentials(t, m)
	if len(c.Entities) != len(demoTenants) {
		t.Fatalf("want an account per tenant, got %d", len(c.Entities))
	}
	events := generated(t, 0.002)[schemas.StreamIntranet]
	postAll(t, m, map[schemas.Stream][][]byte{schemas.StreamIntranet: events[:min(len(events), 100)]})
	acct := c.Entities["comune-borgoverde"]
	mech, err := ingest.SCRAM(c.Mechanism, acct.User, acct.Password)
	if err != nil {
		t.Fatal(err)
	}
	w := &kafka.Writer{Addr: kafka.TCP(m.Brokers()...), Transport: ingest.KafkaAuth{SASL: mech}.Transport()}
	defer w.Close()
	if err := w.WriteMessages(context.Background(), kafka.Message{Topic: schemas.StreamIntranet.EntityTopic("comune-borgoverde"), Value: []byte(otherEntityLine)}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the relayed record in the dead letters", time.Minute, func() (bool, string) {
		n := query1(t, m, "SELECT count() FROM bussola.dead_letters")
		return n == 1, fmt.Sprint(n)
	})
	out := log.String()
	for who, a := range map[string]kafkaembed.Account{"service": c.Service, "comune-aurelia": c.Entities["comune-aurelia"], "comune-borgoverde": acct} {
		if strings.Contains(out, a.Password) {
			t.Errorf("the log shows the Kafka password of %s", who)
		}
	}
	if !strings.Contains(out, path) {
		t.Errorf("the log does not say where the Kafka accounts are")
	}
}
