package kafkaembed

import (
	"context"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// serveLibrdkafkaSASL lets librdkafka clients (kcat, confluent-kafka-*)
// log in. kfake serves SASLHandshake v1 only, and librdkafka will not start
// a SCRAM login unless the broker's ApiVersions also lists v0 (its
// "SASL handshake" feature), although it then sends v1. So ApiVersions
// requests up to v3 (librdkafka's) are answered with kfake's own version
// ranges, SASLHandshake widened to 0-1; a v0 handshake is still refused by
// kfake. Later ApiVersions versions are left to kfake.
func serveLibrdkafkaSASL(c *kfake.Cluster, addr string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	client := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 10 * time.Second, Transport: tr}
	served, err := client.ApiVersions(ctx, &kafka.ApiVersionsRequest{})
	if err == nil {
		err = served.Error
	}
	if err != nil {
		return fmt.Errorf("read the embedded kafka API versions: %w", err)
	}
	keys := make([]kmsg.ApiVersionsResponseApiKey, 0, len(served.ApiKeys))
	for _, k := range served.ApiKeys {
		key := kmsg.NewApiVersionsResponseApiKey()
		key.ApiKey, key.MinVersion, key.MaxVersion = int16(k.ApiKey), int16(k.MinVersion), int16(k.MaxVersion)
		if key.ApiKey == int16(kmsg.SASLHandshake) {
			key.MinVersion = 0
		}
		keys = append(keys, key)
	}
	c.ControlKey(int16(kmsg.ApiVersions), func(r kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		req, ok := r.(*kmsg.ApiVersionsRequest)
		if !ok || req.Version > 3 {
			return nil, nil, false
		}
		resp := req.ResponseKind().(*kmsg.ApiVersionsResponse)
		resp.Version = req.Version
		resp.ApiKeys = keys
		return resp, nil, true
	})
	return nil
}
