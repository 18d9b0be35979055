// Package kafkaembed runs Bussola's embedded Kafka broker: franz-go's kfake,
// a Kafka-protocol broker written in Go, persisted under a data directory.
// Every client (kafka-go in the app, kcat for users) talks to it over TCP.
//
// It is for one machine, the demo and the tests; production points the same
// code at a real Kafka cluster. It imports no other Bussola package.
package kafkaembed

import (
	"fmt"
	"log/slog"
	"net"
	"os"

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
	Logger     *slog.Logger
}

// Broker is a running embedded broker.
type Broker struct {
	cluster *kfake.Cluster
	addr    string
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
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("kafka data directory: %w", err)
		}
	}
	opts := []kfake.Opt{
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
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("start embedded kafka on %s (data %s): %w", cfg.Addr, cfg.DataDir, err)
	}
	addrs := c.ListenAddrs()
	if len(addrs) == 0 {
		c.Close()
		return nil, fmt.Errorf("start embedded kafka: no listener")
	}
	return &Broker{cluster: c, addr: addrs[0]}, nil
}

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
