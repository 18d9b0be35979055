package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"
)

// TestListenerBoundBeforeOutbound checks that the HTTP port is bound before
// the service opens its first outbound connection: a stand-in for the
// Kafka broker, at its first connection, dials the HTTP address. Were
// outbound connections opened first, one could take the HTTP port as its
// source port and the bind would fail ("address already in use").
func TestListenerBoundBeforeOutbound(t *testing.T) {
	broker, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	// A free port for the HTTP server, chosen here so the broker knows it.
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	httpAddr := probe.Addr().String()
	probe.Close()

	bound := make(chan bool, 1)
	go func() {
		c, err := broker.Accept()
		if err != nil {
			bound <- false
			return
		}
		h, err := net.DialTimeout("tcp", httpAddr, time.Second)
		if err == nil {
			h.Close()
		}
		bound <- err == nil
		c.Close()
		for { // refuse the rest, so Open gives up
			c, err := broker.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()

	cfg := Config{HTTPAddr: httpAddr, KafkaBrokers: []string{broker.Addr().String()}, KafkaSASLMechanism: "none",
		ClickHouseURL: "http://127.0.0.1:1/", DataDir: t.TempDir(), KafkaPartitions: 1, Database: "bussola",
		IngestTokens: map[string]string{"comune-aurelia": "0123456789abcdef0123"}, PseudonymSecret: "0123456789abcdef0123456789abcdef"}
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := m.Open(ctx); err == nil {
		m.Close()
		t.Fatal("Open succeeded against a broker that closes every connection")
	}
	select {
	case ok := <-bound:
		if !ok {
			t.Error("the HTTP port was not bound when the first outbound (Kafka) connection opened")
		}
	case <-ctx.Done():
		t.Fatal("the service never connected to the broker")
	}
	// Open failed: the port it bound is free again.
	ln, err := net.Listen("tcp", httpAddr)
	if err != nil {
		t.Fatalf("the HTTP port stays bound after a failed Open: %v", err)
	}
	ln.Close()
}
