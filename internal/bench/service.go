package bench

import (
	"context"
	"io"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
)

// Service is the running embedded Bussola a benchmark measures: intake,
// consumers and store on the embedded Kafka broker and ClickHouse engine,
// as cmd/bussola starts it.
type Service interface {
	HTTPAddr() string
	Tokens() map[string]string // tenant -> intake token
	Brokers() []string
	KafkaAuth() ingest.KafkaAuth
	Store() *clickhouse.Store
	// ClickHouseURL is the engine's HTTP endpoint with the service
	// account's credentials.
	ClickHouseURL() string
	// ExecDirect runs one statement straight on the engine (the endpoint
	// refuses INFILE from any client).
	ExecDirect(ctx context.Context, sql string, settings map[string]any) error
	// LoadDemo posts the generated data to the intake and waits until
	// every record is queryable.
	LoadDemo(ctx context.Context, cfg synth.Config, stdout, stderr io.Writer) error
	// ScoreStale scores every wave with unscored answers and prints what
	// it did.
	ScoreStale(ctx context.Context, stdout io.Writer) error
	// ReportServer builds the report server over the service's store;
	// with fresh, over a figures.Refresher it returns (not running: the
	// caller refreshes it).
	ReportServer(opt clickhouse.ReportOptions, fresh bool) (*reports.Server, *figures.Refresher, error)
	Close() error
}

// Kind says which benchmark a service is started for; each has its own
// configuration (partitions, batch sizes, consumer group).
type Kind int

const (
	KindIngest  Kind = iota // bench ingest
	KindIntake              // bench intake: the service flags apply
	KindReports             // bench reports
)

// Setup is what a benchmark asks of the service it starts.
type Setup struct {
	Kind    Kind
	DataDir string
	// ServiceFlags are service flags (--name=value) for the measured
	// service (bench intake --serve-flag).
	ServiceFlags []string
	Stderr       io.Writer // where flag errors go
}

// Open starts the service for a benchmark and returns once it listens.
type Open func(ctx context.Context, s Setup) (Service, error)
