// Package ingest moves evidence from producers into storage: the intake API
// (Gin handlers that validate, pseudonymise and publish NDJSON to Kafka,
// answering 202 only once Kafka acknowledged) and the consumers (kafka-go
// consumer groups that batch, insert through a Sink and commit offsets only
// after the insert succeeded; invalid messages go to the dead-letter topic).
// Systems writing straight to Kafka write to their entity's own topics; the
// consumers of those check that each record is the entity's and relay the
// valid ones to the stream's topic (Relay). Every client logs in as
// KafkaAuth says (SASL SCRAM, TLS). The erasure API (ErasureAPI), behind
// the same ingest tokens, has one person's data erased through the
// Eraser interface it declares.
//
// It knows Kafka; it writes to storage only through the interfaces it
// declares (Sink, Eraser). Refusals that are error codes take their HTTP
// status from schemas.HTTPStatus. It must not import reports, assessment,
// analytics, internal/... or any database driver.
package ingest
