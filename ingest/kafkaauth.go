package ingest

import (
	"crypto/tls"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/scram"
)

// KafkaAuth says how a client logs in to Kafka. The zero value is
// PLAINTEXT: no login, no TLS (only for a cluster configured that way on
// purpose; the embedded broker refuses it).
type KafkaAuth struct {
	// SASL logs the client in (SCRAM: see SCRAM); nil for none.
	SASL sasl.Mechanism
	// TLS encrypts the connections (SASL_SSL with SASL); nil for none.
	TLS *tls.Config
}

// SCRAM returns the SASL SCRAM mechanism for user and password;
// mechanism is SCRAM-SHA-256 or SCRAM-SHA-512.
func SCRAM(mechanism, user, password string) (sasl.Mechanism, error) {
	var algo scram.Algorithm
	switch mechanism {
	case "SCRAM-SHA-256":
		algo = scram.SHA256
	case "SCRAM-SHA-512":
		algo = scram.SHA512
	default:
		return nil, fmt.Errorf("kafka SASL mechanism: must be SCRAM-SHA-256 or SCRAM-SHA-512, got %q", mechanism)
	}
	if user == "" || password == "" {
		return nil, fmt.Errorf("kafka SASL %s: user and password are required", mechanism)
	}
	m, err := scram.Mechanism(algo, user, password)
	if err != nil {
		return nil, fmt.Errorf("kafka SASL %s for %s: %w", mechanism, user, err)
	}
	return m, nil
}

// Transport is a kafka-go transport (Writer, Client) that logs in as a says.
func (a KafkaAuth) Transport() *kafka.Transport {
	return &kafka.Transport{SASL: a.SASL, TLS: a.TLS}
}

// Dialer is a kafka-go dialer (Reader) that logs in as a says, with
// kafka-go's default timeout.
func (a KafkaAuth) Dialer() *kafka.Dialer {
	return &kafka.Dialer{Timeout: 10 * time.Second, DualStack: true, SASLMechanism: a.SASL, TLS: a.TLS}
}
