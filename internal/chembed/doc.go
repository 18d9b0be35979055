// Package chembed runs an embedded ClickHouse engine (chDB's libchdb.so,
// the ClickHouse 26.5 engine as a library) behind a loopback endpoint that
// speaks the ClickHouse HTTP interface, so the rest of Bussola talks to it
// exactly as it talks to a real server: through clickhouse-go/v2 with the
// HTTP protocol. curl and other HTTP ClickHouse clients work too.
//
// The library is loaded at run time with purego (dlopen), so the binary
// builds and its tests run with CGO_ENABLED=0 and without the library.
//
// What it does for a request: it takes one connection from a small pool
// (one lock per connection, held for the whole life of a query or stream),
// applies URL settings with SET ... / SET k=DEFAULT, maps param_* onto
// chDB's parameterised query call, writes INSERT bodies to a temporary file
// and runs INSERT ... FROM INFILE (data is never appended to query text),
// answers the clickhouse-go handshake with revision 0 so chDB's Native output
// passes through byte for byte, and streams results block by block.
//
// Locked down: every query needs one of two accounts (credentials.go,
// auth.go), the service's or the read-only operator's, whose random
// passwords live in a 0600 file; every GET and every operator query runs on
// a read-only connection; nothing reaches files, the network or other
// processes, for any account: the engine's own grants refuse most of it
// (access.go) and a guard that reads the SQL on ClickHouse's token
// boundaries refuses the rest (guard.go).
//
// chDB is a process-wide engine: one data directory per process. A data
// directory in use by another process is reported with that process's PID.
//
// This package must not import any other Bussola package: it is an adapter
// over a C library and an HTTP endpoint, nothing more.
package chembed
