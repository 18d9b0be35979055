package main

import (
	"log/slog"
	"path/filepath"

	"github.com/bussola-pa/bussola/internal/chembed"
)

// clickHouseCredentialsFile holds the embedded endpoint's accounts in the
// data directory (mode 0600): the service's, which Bussola uses, and the
// operator's, read-only, for curl and dashboards.
const clickHouseCredentialsFile = "clickhouse-credentials.json"

// embeddedClickHouse configures the embedded engine under dataDir: its data
// in clickhouse/, its accounts in clickhouse-credentials.json (created with
// random passwords on first start).
func embeddedClickHouse(dataDir, addr string, log *slog.Logger) chembed.Config {
	return chembed.Config{
		DataDir:         filepath.Join(dataDir, "clickhouse"),
		CredentialsFile: filepath.Join(dataDir, clickHouseCredentialsFile),
		Addr:            addr,
		Logger:          log,
	}
}
