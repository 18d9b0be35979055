package ingest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/bussola-pa/bussola/schemas"
)

// TestPublishNamesTheUnacknowledged publishes, through a real broker,
// messages of which one is over the broker's message size: its partition's
// batch is refused, the others are acknowledged, and the error names
// exactly the message that was not.
func TestPublishNamesTheUnacknowledged(t *testing.T) {
	topic := schemas.StreamDiary.Topic()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, topic),
		kfake.BrokerConfigs(map[string]string{"message.max.bytes": "2000"}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Keys the writer's hash balancer sends to partition 0 and to 1.
	keyTo := map[int][]byte{}
	for i := 0; len(keyTo) < 2; i++ {
		k := []byte(fmt.Sprintf("k%d", i))
		p := (&kafka.Hash{}).Balance(kafka.Message{Key: k}, 0, 1)
		if keyTo[p] == nil {
			keyTo[p] = k
		}
	}
	msgs := make([]kafka.Message, 6)
	for i := range msgs {
		msgs[i] = kafka.Message{Topic: topic, Key: keyTo[0], Value: []byte(`{}`)}
	}
	msgs[4] = kafka.Message{Topic: topic, Key: keyTo[1], Value: make([]byte, 3000)}
	pub := NewPublisher(KafkaConfig{Brokers: c.ListenAddrs()})
	defer pub.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err = pub.Publish(ctx, msgs...)
	var pe *PublishError
	if !errors.As(err, &pe) {
		t.Fatalf("want a *PublishError, got %v", err)
	}
	if want := []int{4}; !reflect.DeepEqual(pe.Unacked, want) {
		t.Errorf("unacknowledged messages %v, want %v (%v)", pe.Unacked, want, err)
	}
	if schemas.ErrorCode(err) != schemas.EUNAVAILABLE {
		t.Errorf("error code %s, want %s", schemas.ErrorCode(err), schemas.EUNAVAILABLE)
	}
}
