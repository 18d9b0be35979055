package testenv

import (
	"io"
	"log/slog"
	"testing"

	"github.com/bussola-pa/bussola/internal/kafkaembed"
)

// MustStartKafka starts an embedded Kafka broker with cfg and closes it
// when the test ends. The broker keeps its log in memory unless
// cfg.DataDir is set; a nil cfg.Logger discards the broker's log.
func MustStartKafka(tb testing.TB, cfg kafkaembed.Config) *kafkaembed.Broker {
	tb.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	b, err := kafkaembed.Start(cfg)
	if err != nil {
		tb.Fatalf("start embedded Kafka: %v", err)
	}
	tb.Cleanup(b.Close)
	return b
}
