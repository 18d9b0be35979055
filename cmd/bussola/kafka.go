package main

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/internal/kafkaembed"
	"github.com/bussola-pa/bussola/schemas"
)

// kafkaCredentialsFile holds the embedded broker's accounts in the data
// directory (mode 0600): Bussola's, and one producer account per entity
// that may write only that entity's topics.
const kafkaCredentialsFile = "kafka-credentials.json"

// embeddedKafka configures the embedded broker under dataDir: its log in
// kafka/, its accounts in kafka-credentials.json, a producer account for
// each entity with the right to write its own topics.
func embeddedKafka(cfg Config, entities []string, m *Main) kafkaembed.Config {
	var topics []string
	for _, s := range append(append([]schemas.Stream(nil), schemas.Streams...), schemas.StreamDeadLetter) {
		topics = append(topics, s.Topic())
	}
	writes := map[string][]string{}
	for _, e := range entities {
		for _, s := range schemas.Streams {
			writes[e] = append(writes[e], s.EntityTopic(e))
			topics = append(topics, s.EntityTopic(e))
		}
	}
	return kafkaembed.Config{DataDir: filepath.Join(cfg.DataDir, "kafka"), Addr: cfg.KafkaAddr,
		Topics: topics, Partitions: cfg.KafkaPartitions, Logger: m.Log,
		CredentialsFile: filepath.Join(cfg.DataDir, kafkaCredentialsFile), Entities: writes}
}

// embeddedKafkaAuth logs Bussola in to the embedded broker as its service
// account.
func embeddedKafkaAuth(kb *kafkaembed.Broker) (ingest.KafkaAuth, error) {
	c := kb.Credentials()
	mech, err := ingest.SCRAM(c.Mechanism, c.Service.User, c.Service.Password)
	if err != nil {
		return ingest.KafkaAuth{}, err
	}
	return ingest.KafkaAuth{SASL: mech}, nil
}

// externalKafkaAuth is the login to external brokers the flags describe
// (checked by Config.checkKafkaLogin); the password is read from its file.
func externalKafkaAuth(cfg Config) (ingest.KafkaAuth, error) {
	var auth ingest.KafkaAuth
	if cfg.KafkaTLS {
		auth.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if cfg.KafkaSASLMechanism == "none" {
		return auth, nil
	}
	b, err := os.ReadFile(cfg.KafkaPasswordFile)
	if err != nil {
		return auth, fmt.Errorf("--kafka-password-file: %w", err)
	}
	password := strings.TrimRight(string(b), "\r\n")
	if password == "" {
		return auth, fmt.Errorf("--kafka-password-file %s: is empty", cfg.KafkaPasswordFile)
	}
	auth.SASL, err = ingest.SCRAM(cfg.KafkaSASLMechanism, cfg.KafkaUser, password)
	return auth, err
}

// entities are the tenants with an ingest token, sorted: each gets its own
// topics and, with the embedded broker, its producer account.
func entities(tokens map[string]string) []string {
	out := make([]string, 0, len(tokens))
	for t := range tokens {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// KafkaAuth is how Bussola logs in to Kafka (tests and tools use it too).
func (m *Main) KafkaAuth() ingest.KafkaAuth { return m.kafkaAuth }
