// Package schemas is Bussola's shared vocabulary: the three evidence streams
// (diary entries, survey responses, intranet usage events) as Go types with
// their validation rules and error codes, the Kafka topic names and message
// format, keyed pseudonyms, instrument definitions, and the ClickHouse DDL as
// versioned migrations.
//
// It imports only the standard library. Every other package depends on it;
// it depends on none of them.
package schemas
