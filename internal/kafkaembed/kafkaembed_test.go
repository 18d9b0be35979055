package kafkaembed

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
)

const (
	topicA = "bussola.intranet.v1.comune-a"
	topicB = "bussola.intranet.v1.comune-b"
	shared = "bussola.intranet.v1"
)

// mustStart starts a locked-down broker with two entities under dir.
func mustStart(tb testing.TB, dir string, entities map[string][]string) *Broker {
	tb.Helper()
	b, err := Start(Config{DataDir: dir, CredentialsFile: filepath.Join(dir, "..", "kafka-credentials.json"),
		Topics: []string{shared, topicA, topicB}, Partitions: 1, Entities: entities})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(b.Close)
	return b
}

func twoEntities() map[string][]string {
	return map[string][]string{"comune-a": {topicA}, "comune-b": {topicB}}
}

// produce writes one message to topic as mech (nil: anonymous).
func produce(b *Broker, mech sasl.Mechanism, topic string) error {
	w := &kafka.Writer{Addr: kafka.TCP(b.Addr()), Topic: topic, RequiredAcks: kafka.RequireAll, MaxAttempts: 1,
		WriteTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second}
	if mech != nil {
		w.Transport = &kafka.Transport{SASL: mech}
	}
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return w.WriteMessages(ctx, kafka.Message{Value: []byte(`{"tenant":"comune-a"}`)})
}

func mustSCRAM(tb testing.TB, b *Broker, a Account) sasl.Mechanism {
	tb.Helper()
	m, err := b.Credentials().SCRAM(a)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// fetch reads topic's first message as mech (nil: anonymous).
func fetch(b *Broker, mech sasl.Mechanism, topic string) (kafka.Message, error) {
	d := &kafka.Dialer{Timeout: 5 * time.Second, SASLMechanism: mech}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{b.Addr()}, Topic: topic, Partition: 0, Dialer: d, MaxAttempts: 1})
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return r.ReadMessage(ctx)
}

func TestAnonymousProduceRefused(t *testing.T) {
	b := mustStart(t, filepath.Join(t.TempDir(), "kafka"), twoEntities())
	if err := produce(b, mustSCRAM(t, b, b.Credentials().Service), shared); err != nil {
		t.Fatalf("the service account must produce: %v", err)
	}
	for _, topic := range []string{shared, topicA} {
		if err := produce(b, nil, topic); err == nil {
			t.Errorf("an anonymous client produced to %s", topic)
		}
	}
}

func TestAnonymousFetchRefused(t *testing.T) {
	b := mustStart(t, filepath.Join(t.TempDir(), "kafka"), twoEntities())
	svc := mustSCRAM(t, b, b.Credentials().Service)
	if err := produce(b, svc, shared); err != nil {
		t.Fatal(err)
	}
	if _, err := fetch(b, svc, shared); err != nil {
		t.Fatalf("the service account must fetch: %v", err)
	}
	if m, err := fetch(b, nil, shared); err == nil {
		t.Errorf("an anonymous client read %q off %s", m.Value, shared)
	}
}

func TestEntityWritesOnlyItsOwnTopic(t *testing.T) {
	b := mustStart(t, filepath.Join(t.TempDir(), "kafka"), twoEntities())
	a := mustSCRAM(t, b, b.Credentials().Entities["comune-a"])
	if err := produce(b, a, topicA); err != nil {
		t.Fatalf("an entity must write its own topic: %v", err)
	}
	for _, topic := range []string{topicB, shared} {
		err := produce(b, a, topic)
		if err == nil {
			t.Errorf("comune-a's account wrote to %s", topic)
		} else if !errors.Is(err, kafka.TopicAuthorizationFailed) {
			t.Logf("write to %s refused: %v", topic, err)
		}
	}
	if m, err := fetch(b, a, topicA); err == nil {
		t.Errorf("an entity's producer account read %q back: it may only write", m.Value)
	}
	wrong := b.Credentials().Entities["comune-a"]
	wrong.Password += "x"
	if err := produce(b, mustSCRAM(t, b, wrong), topicA); err == nil {
		t.Error("a wrong password was accepted")
	}
}

// TestRestartKeepsAccountsAndAddsEntities restarts on the same data
// directory with one more entity: the old accounts still log in, the new
// one gets its account and ACL, and the file stays private.
func TestRestartKeepsAccountsAndAddsEntities(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kafka")
	b := mustStart(t, dir, map[string][]string{"comune-a": {topicA}})
	b.Close()
	b2 := mustStart(t, dir, twoEntities())
	c := b2.Credentials()
	if err := produce(b2, mustSCRAM(t, b2, c.Entities["comune-a"]), topicA); err != nil {
		t.Errorf("comune-a after the restart: %v", err)
	}
	if err := produce(b2, mustSCRAM(t, b2, c.Entities["comune-b"]), topicB); err != nil {
		t.Errorf("comune-b, added at the restart: %v", err)
	}
	if err := produce(b2, mustSCRAM(t, b2, c.Entities["comune-b"]), topicA); err == nil {
		t.Error("comune-b wrote comune-a's topic after the restart")
	}
	st, err := os.Stat(b2.CredentialsFile())
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("credentials file: %v, mode %v; want 0600", err, st.Mode().Perm())
	}
	if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("kafka data directory must be private to the owner: %v %v", err, st.Mode().Perm())
	}
}
