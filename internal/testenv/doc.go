// Package testenv gives tests their environment: the embedded Kafka broker
// (MustStartKafka) and the embedded ClickHouse (MustStartClickHouse, one
// engine per test binary and a fresh database per test), each stopped or
// dropped when the test ends, and SkipOrFail for tests whose inputs (the
// shared reference data, a browser, libchdb) are missing: they skip on a
// developer's machine and fail under CI=true.
//
// It must only be imported from tests. It imports the embedded engines'
// packages and their drivers, never the packages under test.
package testenv
