package kafkaembed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/scram"
)

// SCRAM returns the SASL mechanism that logs a kafka-go client in as a.
func (c Credentials) SCRAM(a Account) (sasl.Mechanism, error) {
	algo := scram.SHA256
	if c.Mechanism == "SCRAM-SHA-512" {
		algo = scram.SHA512
	}
	m, err := scram.Mechanism(algo, a.User, a.Password)
	if err != nil {
		return nil, fmt.Errorf("kafka account %s: %w", a.User, err)
	}
	return m, nil
}

// grant lets each entity's account write and describe its topics, and
// nothing else: no read, no other topic, no group. The ACLs are created
// through the Kafka protocol as the service account, because kfake applies
// seeded ACLs only to a fresh data directory; creating an existing ACL
// again is a no-op, so every start brings them up to date.
func (b *Broker) grant(entities map[string][]string) error {
	var acls []kafka.ACLEntry
	for e, topics := range entities {
		a := b.creds.Entities[e]
		for _, t := range topics {
			acls = append(acls, kafka.ACLEntry{
				ResourceType: kafka.ResourceTypeTopic, ResourceName: t, ResourcePatternType: kafka.PatternTypeLiteral,
				Principal: "User:" + a.User, Host: "*", Operation: kafka.ACLOperationTypeWrite, PermissionType: kafka.ACLPermissionTypeAllow,
			})
		}
	}
	if len(acls) == 0 {
		return nil
	}
	mech, err := b.creds.SCRAM(b.creds.Service)
	if err != nil {
		return err
	}
	tr := &kafka.Transport{SASL: mech}
	defer tr.CloseIdleConnections()
	client := &kafka.Client{Addr: kafka.TCP(b.addr), Timeout: 10 * time.Second, Transport: tr}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := client.CreateACLs(ctx, &kafka.CreateACLsRequest{ACLs: acls})
	if err != nil {
		return fmt.Errorf("create the embedded kafka ACLs: %w", err)
	}
	if err := errors.Join(resp.Errors...); err != nil {
		return fmt.Errorf("create the embedded kafka ACLs: %w", err)
	}
	return nil
}
