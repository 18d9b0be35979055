package ingest

import (
	"context"
	"testing"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/bussola-pa/bussola/internal/kafkaembed"
	"github.com/bussola-pa/bussola/internal/testenv"
	"github.com/bussola-pa/bussola/schemas"
)

// BenchmarkPublish measures acks=all publishing of 400-byte messages to the
// embedded broker, in requests of 5,000 messages: as the service does, over
// SASL SCRAM on the locked-down broker, and, for the cost of the lockdown,
// on an open kfake broker (no SASL, no ACLs: the broker before the lockdown).
func BenchmarkPublish(b *testing.B) {
	topic := schemas.StreamIntranet.Topic()
	b.Run("sasl", func(b *testing.B) {
		br := testenv.MustStartKafka(b, kafkaembed.Config{DataDir: b.TempDir(), Topics: []string{topic}, Partitions: 3})
		benchPublish(b, KafkaConfig{Brokers: []string{br.Addr()}, Auth: loginAs(b, br, br.Credentials().Service)})
	})
	b.Run("plaintext", func(b *testing.B) {
		c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.DataDir(b.TempDir()), kfake.SeedTopics(3, topic))
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		benchPublish(b, KafkaConfig{Brokers: c.ListenAddrs()})
	})
}

func benchPublish(b *testing.B, cfg KafkaConfig) {
	pub := NewPublisher(cfg)
	defer pub.Close()
	value := make([]byte, 400)
	msgs := make([]kafka.Message, 5000)
	for i := range msgs {
		msgs[i] = kafka.Message{Topic: schemas.StreamIntranet.Topic(), Key: []byte{byte(i), byte(i >> 8)}, Value: value}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := pub.Publish(context.Background(), msgs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}
