// Package kafkaembed runs Bussola's embedded Kafka broker: franz-go's kfake,
// a Kafka-protocol broker written in Go, persisted under a data directory.
// Every client (kafka-go in the app, kcat for users) talks to it over TCP.
//
// The broker is locked down: every client logs in with SASL SCRAM (an
// anonymous client can do nothing but ask for the API versions and start
// the handshake), and ACLs decide what each account may do. Bussola's own
// account is the superuser; each entity's producer account may only write
// (and describe) the topics given for it. The accounts live in a
// credentials file (mode 0600) created with random passwords on first start.
//
// It is for one machine, the demo and the tests; production points the same
// code at a real Kafka cluster. It imports no other Bussola package.
package kafkaembed

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sort"

	"github.com/twmb/franz-go/pkg/kfake"
)

// Config configures the embedded broker.
type Config struct {
	// DataDir holds the broker's log segments and offsets; reopened on
	// restart. Empty keeps everything in memory.
	DataDir string
	// Addr is the loopback address to listen on; port 0 picks a free one.
	Addr string
	// Topics are created with Partitions partitions when the broker starts.
	Topics     []string
	Partitions int
	// SyncWrites fsyncs every produced batch (slower; survives power loss,
	// not only process crashes).
	SyncWrites bool
	// CredentialsFile holds the accounts (see Credentials); created on
	// first start. Empty keeps fresh random accounts in memory only.
	CredentialsFile string
	// Entities are the producers that write straight to the topics, each
	// with the topics its account may write; an account is created for
	// every entity that has none.
	Entities map[string][]string
	Logger   *slog.Logger
}

// Broker is a running embedded broker.
type Broker struct {
	cluster   *kfake.Cluster
	addr      string
	creds     Credentials
	credsFile string
}

// Start starts the broker and returns once it accepts connections.
func Start(cfg Config) (*Broker, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Partitions <= 0 {
		cfg.Partitions = 3
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.DataDir != "" {
		// The log segments hold every record: the owner only.
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("kafka data directory: %w", err)
		}
		if err := os.Chmod(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("kafka data directory: %w", err)
		}
		// kfake persists the SCRAM accounts it knew (sasl.json) and, on
		// restart, loads them over the configured ones; the credentials
		// file is the one source of the accounts, so they are configured
		// afresh on every start.
		if err := os.Remove(filepath.Join(cfg.DataDir, "sasl.json")); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("kafka data directory: %w", err)
		}
	}
	entities := make([]string, 0, len(cfg.Entities))
	for e := range cfg.Entities {
		entities = append(entities, e)
	}
	sort.Strings(entities)
	var creds Credentials
	if cfg.CredentialsFile != "" {
		var err error
		if creds, err = LoadOrCreateCredentials(cfg.CredentialsFile, entities); err != nil {
			return nil, err
		}
	} else {
		creds = Credentials{Mechanism: Mechanism, Service: Account{User: ServiceUser, Password: newPassword()}, Entities: map[string]Account{}}
		for _, e := range entities {
			creds.Entities[e] = Account{User: EntityUserPrefix + e, Password: newPassword()}
		}
	}
	opts := []kfake.Opt{
		kfake.EnableSASL(),
		kfake.EnableACLs(),
		kfake.Superuser(creds.Mechanism, creds.Service.User, creds.Service.Password),
		kfake.NumBrokers(1),
		kfake.Ports(0),
		kfake.ListenFn(func(network, _ string) (net.Listener, error) {
			return net.Listen(network, cfg.Addr)
		}),
		kfake.DefaultNumPartitions(cfg.Partitions),
		kfake.WithLogger(logger{cfg.Logger}),
	}
	if len(cfg.Topics) > 0 {
		opts = append(opts, kfake.SeedTopics(int32(cfg.Partitions), cfg.Topics...))
	}
	if cfg.DataDir != "" {
		opts = append(opts, kfake.DataDir(cfg.DataDir))
	}
	if cfg.SyncWrites {
		opts = append(opts, kfake.SyncWrites())
	}
	for _, e := range entities {
		a := creds.Entities[e]
		opts = append(opts, kfake.User(creds.Mechanism, a.User, a.Password))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("start embedded kafka on %s (data %s): %w", cfg.Addr, cfg.DataDir, err)
	}
	addrs := c.ListenAddrs()
	if len(addrs) == 0 {
		c.Close()
		return nil, fmt.Errorf("start embedded kafka: no listener")
	}
	b := &Broker{cluster: c, addr: addrs[0], creds: creds, credsFile: cfg.CredentialsFile}
	if err := serveLibrdkafkaSASL(c, b.addr); err != nil {
		c.Close()
		return nil, err
	}
	if err := b.grant(cfg.Entities); err != nil {
		c.Close()
		return nil, err
	}
	return b, nil
}

// Credentials are the broker's accounts. Never log them.
func (b *Broker) Credentials() Credentials { return b.creds }

// CredentialsFile is where the accounts are kept ("" when in memory only).
func (b *Broker) CredentialsFile() string { return b.credsFile }

// Addr is the host:port the broker listens on.
func (b *Broker) Addr() string { return b.addr }

// Close stops the broker and persists its state.
func (b *Broker) Close() { b.cluster.Close() }

type logger struct{ l *slog.Logger }

func (g logger) Logf(level kfake.LogLevel, msg string, args ...any) {
	switch level {
	case kfake.LogLevelError:
		g.l.Error("kafka broker: " + fmt.Sprintf(msg, args...))
	case kfake.LogLevelWarn:
		g.l.Debug("kafka broker: " + fmt.Sprintf(msg, args...))
	}
}
