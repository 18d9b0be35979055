package ingest

import (
	"context"
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/internal/kafkaembed"
	"github.com/bussola-pa/bussola/schemas"
)

// BenchmarkPublish measures acks=all publishing of 400-byte messages to the
// embedded broker, in requests of 5,000 messages.
func BenchmarkPublish(b *testing.B) {
	br, err := kafkaembed.Start(kafkaembed.Config{DataDir: b.TempDir(), Topics: []string{schemas.StreamIntranet.Topic()}, Partitions: 3})
	if err != nil {
		b.Fatal(err)
	}
	defer br.Close()
	pub := NewPublisher(KafkaConfig{Brokers: []string{br.Addr()}, Auth: loginAs(b, br, br.Credentials().Service)})
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
