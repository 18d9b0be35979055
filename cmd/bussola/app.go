package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/internal/chembed"
	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/internal/kafkaembed"
	"github.com/bussola-pa/bussola/schemas"
	"github.com/bussola-pa/bussola/scoring"
)

// Main is the running service: embedded components when configured, the
// store, the intake API, the consumers and the HTTP server. Tests run the
// same Main on port 0.
type Main struct {
	Config Config
	Log    *slog.Logger

	kafka *kafkaembed.Broker
	ch    *chembed.Server
	Store *clickhouse.Store
	pub   *ingest.Publisher
	disk  *ingest.DiskSpace // free space of the data directory (readyz, intake)
	// parts, when set, tells readyz about the engine's detached or broken
	// parts; openBackends sets it when the store can tell.
	parts brokenParts

	scoring    *scoring.Job // readiness scoring (scoring.go)
	scoringAPI *scoring.API // its routes; reads are mounted with the reports

	Registry *prometheus.Registry
	Metrics  *ingest.Metrics
	pipeline *pipelineMetrics // the one reader of Registry (pipeline_metrics.go)
	Engine   *gin.Engine

	brokers   []string
	kafkaAuth ingest.KafkaAuth
	tokens    map[string]string // tenant -> token
	opsTok    string            // the metrics token (ops.go); "" : /metrics off
	srv       *http.Server
	ln        net.Listener
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error

	// ExtraRoutes, when set before Open, mounts more routes (reports).
	ExtraRoutes func(m *Main, r *gin.Engine) error
	// background are the tasks the routes start (the reports' refresher):
	// they run from Open until Close.
	background []func(ctx context.Context)
}

// NewMain returns a Main for cfg.
func NewMain(cfg Config, log *slog.Logger) *Main {
	return &Main{Config: cfg, Log: log}
}

// Open starts everything and returns once the HTTP server listens.
func (m *Main) Open(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			m.Close()
		}
	}()
	cfg := &m.Config
	// The HTTP port is bound before any outbound connection opens: an
	// outbound connection (to Kafka, to ClickHouse) gets an ephemeral
	// source port, which may be the HTTP port itself when that is in the
	// ephemeral range and still free; binding after would then fail with
	// "address already in use". Requests queue in the listen backlog until
	// the server is ready to serve them.
	m.ln, err = net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("--http-addr %s: %w", cfg.HTTPAddr, err)
	}
	if cfg.Embedded {
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return fmt.Errorf("--data-dir: %w", err)
		}
	}
	// The tenants with a token are the entities with their own topics.
	secret, tokens, err := m.secrets()
	if err != nil {
		return err
	}
	m.tokens = tokens
	if err := m.openBackends(ctx); err != nil {
		return err
	}
	m.Registry = prometheus.NewRegistry()
	m.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.Metrics = ingest.NewMetrics(m.Registry)
	m.pipeline = &pipelineMetrics{reg: m.Registry}

	pseudo, err := schemas.NewPseudonymizer(secret)
	if err != nil {
		return fmt.Errorf("--pseudonym-secret: %w", err)
	}
	m.pub = ingest.NewPublisher(ingest.KafkaConfig{Brokers: m.brokers, Auth: m.kafkaAuth})
	byToken := map[string]string{}
	for tenant, tok := range tokens {
		byToken[tok] = tenant
	}
	m.disk = &ingest.DiskSpace{Dir: cfg.DataDir, MinFree: uint64(max(cfg.MinFreeBytes, 0))}
	intake, err := ingest.NewIntake(ingest.IntakeConfig{
		Tokens: byToken, Pseudonyms: pseudo, MaxBodyBytes: cfg.MaxBodyBytes, MaxLineBytes: cfg.MaxLineBytes,
		MaxInflight: cfg.IntakeMaxInflight, MaxInflightBytes: cfg.IntakeMaxInflightBytes, QueueWait: cfg.IntakeQueueWait, Disk: m.disk,
		Logger: m.Log, Metrics: m.Metrics, CheckSurvey: surveyChecker(), Retention: retention(m.Config),
		Keys: m.Store, // idempotency keys outlive this process (ClickHouse table intake_keys)
	}, m.pub)
	if err != nil {
		return err
	}

	gin.SetMode(gin.ReleaseMode)
	m.Engine = gin.New()
	m.Engine.Use(gin.Recovery())
	intake.Register(m.Engine)
	erasure, err := ingest.NewErasureAPI(ingest.ErasureConfig{Tokens: byToken, Pseudonyms: pseudo, Store: m.Store, Logger: m.Log})
	if err != nil {
		return err
	}
	erasure.Register(m.Engine)
	if err := mountScoring(m, m.Engine); err != nil {
		return err
	}
	m.Engine.GET("/healthz", func(g *gin.Context) { g.String(http.StatusOK, "ok\n") })
	m.Engine.GET("/readyz", m.readyz)
	if err := m.mountMetrics(m.Engine); err != nil {
		return err
	}
	if m.ExtraRoutes != nil {
		if err := m.ExtraRoutes(m, m.Engine); err != nil {
			return err
		}
	}

	if err := m.replayLost(ctx); err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.cancel = cancel
	if cfg.Consumers {
		m.startConsumers(runCtx)
	}
	startScoring(m, runCtx)
	for _, run := range m.background {
		m.wg.Go(func() { run(runCtx) })
	}
	m.srv = &http.Server{Handler: m.Engine, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := m.srv.Serve(m.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Log.Error("http server stopped", "err", err)
		}
	}()
	m.Log.Info("bussola listening", "http", "http://"+m.ln.Addr().String(), "kafka", m.brokers, "clickhouse", m.clickhouseURL())
	return nil
}

// openBackends starts the embedded components when configured, creates the
// topics, opens the store and applies the migrations.
func (m *Main) openBackends(ctx context.Context) error {
	cfg := &m.Config
	chURL := cfg.ClickHouseURL
	m.brokers = cfg.KafkaBrokers
	ents := entities(m.tokens)
	if cfg.Embedded {
		ch, err := chembed.Start(ctx, embeddedClickHouse(cfg.DataDir, cfg.ClickHouseHTTPAddr, m.Log))
		if err != nil {
			return fmt.Errorf("embedded clickhouse: %w", err)
		}
		m.ch = ch
		chURL = ch.ServiceURL() + "/" // with the service account: never logged
		kb, err := kafkaembed.Start(embeddedKafka(*cfg, ents, m))
		if err != nil {
			return err
		}
		m.kafka = kb
		m.brokers = []string{kb.Addr()}
		if m.kafkaAuth, err = embeddedKafkaAuth(kb); err != nil {
			return err
		}
		m.Log.Info("embedded components started", "kafka", kb.Addr(), "kafka_credentials", kb.CredentialsFile(), "clickhouse", ch.URL(), "clickhouse_credentials", ch.CredentialsFile(), "data_dir", cfg.DataDir)
	} else {
		auth, err := externalKafkaAuth(*cfg)
		if err != nil {
			return err
		}
		m.kafkaAuth = auth
	}
	if err := ingest.EnsureTopics(ctx, ingest.KafkaConfig{Brokers: m.brokers, Partitions: cfg.KafkaPartitions, Entities: ents, Auth: m.kafkaAuth}); err != nil {
		return err
	}
	st, err := clickhouse.Open(ctx, clickhouse.Config{URL: chURL, DDL: schemas.DDLOptions{Database: cfg.Database, Cluster: cfg.Cluster, RetentionDays: cfg.RetentionDays}})
	if err != nil {
		return err
	}
	m.Store = st
	if bp, ok := any(st).(brokenParts); ok {
		m.parts = bp
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		m.Log.Info("clickhouse migrations applied", "versions", applied)
	}
	// Parts the engine set aside as broken (a merge written on a full
	// disk): the rollups' are derived again from the raw rows before any
	// consumer starts; a raw table's stays for an operator.
	healed, err := st.RepairRollups(ctx)
	for _, p := range healed {
		m.Log.Warn("rollup partition rebuilt from the raw events after a broken part", "table", p.Table, "partition", p.Partition, "part", p.Name, "reason", p.Reason)
	}
	if err != nil {
		return err
	}
	return nil
}

// replayLost reads again from Kafka what broken parts of raw tables took
// with them (the spans of the span log that miss rows), before any
// consumer starts, through the consumers' own decoding and insert, and
// then removes the parts. The rollups' views see the rows again too (they
// hold sets of event ids: nothing counts twice). What Kafka no longer
// holds is logged with its offsets, and the parts stay for /readyz to
// report (parts: broken).
func (m *Main) replayLost(ctx context.Context) error {
	lost, err := m.Store.LostRawRanges(ctx)
	if err != nil {
		return err
	}
	for _, l := range lost {
		m.Log.Warn("broken parts of a raw table: reading their records again from Kafka", "stream", l.Stream, "parts", len(l.Parts), "rows_missing", l.Rows, "ranges", l.Ranges)
		gone, err := ingest.Replay(ctx, ingest.ConsumerConfig{
			Brokers: m.brokers, Auth: m.kafkaAuth, Group: m.Config.ConsumerGroup, Stream: l.Stream,
			MaxRows: m.Config.BatchRows, Retention: retention(m.Config), CheckSurvey: surveyChecker(), Logger: m.Log, Metrics: m.Metrics,
		}, l.Ranges, m.Store, m.pub)
		if err != nil {
			return fmt.Errorf("read again what broken parts of %s held: %w", l.Stream.Table(), err)
		}
		if len(gone) > 0 {
			m.Log.Error("broken parts of a raw table: Kafka no longer holds some of their records; they are lost (the parts stay detached, /readyz says parts broken)", "stream", l.Stream, "ranges", gone)
			continue
		}
		if err := m.Store.DropDetached(ctx, l.Parts); err != nil {
			return err
		}
		m.Log.Warn("broken parts of a raw table: their records were read again from Kafka", "stream", l.Stream, "parts", len(l.Parts), "rows_missing", l.Rows)
	}
	return nil
}

func (m *Main) startConsumers(ctx context.Context) {
	run := func(c *ingest.Consumer, s schemas.Stream, entity string) {
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			if err := c.Run(ctx); err != nil {
				m.Log.Error("consumer stopped", "stream", s, "entity", entity, "err", err)
			}
		}()
	}
	for _, s := range append(append([]schemas.Stream(nil), schemas.Streams...), schemas.StreamDeadLetter) {
		run(ingest.NewConsumer(ingest.ConsumerConfig{
			Brokers: m.brokers, Auth: m.kafkaAuth, Group: m.Config.ConsumerGroup, Stream: s,
			MaxRows: m.Config.BatchRows, MaxWait: m.Config.BatchWait, Retention: retention(m.Config),
			CheckSurvey: surveyChecker(), Logger: m.Log, Metrics: m.Metrics,
		}, m.Store, m.pub), s, "")
	}
	// The entities' own topics: each record is checked to be the
	// entity's, then relayed to the stream's topic (ingest.Relay). Their
	// insert and lag figures are not the store's: only their dead letters
	// are counted on /metrics.
	relayMetrics := ingest.NewMetrics(nil)
	relayMetrics.DeadLettered = m.Metrics.DeadLettered
	relay := ingest.NewRelay(m.pub)
	for _, e := range entities(m.tokens) {
		for _, s := range schemas.Streams {
			run(ingest.NewConsumer(ingest.ConsumerConfig{
				Brokers: m.brokers, Auth: m.kafkaAuth, Group: m.Config.ConsumerGroup, Stream: s, Entity: e,
				MaxRows: m.Config.BatchRows, MaxWait: m.Config.BatchWait, Retention: retention(m.Config),
				CheckSurvey: surveyChecker(), Logger: m.Log, Metrics: relayMetrics,
			}, relay, m.pub), s, e)
		}
	}
}

// retention is the period records are kept for (0: until erased).
func retention(cfg Config) time.Duration {
	return time.Duration(cfg.RetentionDays) * 24 * time.Hour
}

// brokenParts is what readyz asks the store about the engine's parts, when
// the store can tell: how many are detached or broken (0 when none).
type brokenParts interface {
	BrokenParts(ctx context.Context) (int, error)
}

// readyz answers per component, never per entity: kafka and clickhouse ok
// or unavailable, disk ok or low (below --min-free-bytes, when the intake
// answers 507), lag ok or behind (the consumers' lag over every stream
// above --ready-max-lag), and parts ok or broken when the store reports
// them. Unavailable backends and a low disk answer 503; lag behind does
// not (the intake still takes records). The reasons go to the log, not to
// anonymous callers.
func (m *Main) readyz(g *gin.Context) {
	ctx, cancel := context.WithTimeout(g.Request.Context(), 3*time.Second)
	defer cancel()
	status := gin.H{"kafka": "ok", "clickhouse": "ok", "disk": "ok", "lag": "ok"}
	code := http.StatusOK
	if err := ingest.PingKafka(ctx, m.brokers, m.kafkaAuth); err != nil {
		m.Log.Warn("readyz: kafka", "err", err)
		status["kafka"], code = "unavailable", http.StatusServiceUnavailable
	}
	if err := m.Store.Ping(ctx); err != nil {
		m.Log.Warn("readyz: clickhouse", "err", err)
		status["clickhouse"], code = "unavailable", http.StatusServiceUnavailable
	}
	if free, low, err := m.disk.Free(); err != nil {
		m.Log.Warn("readyz: disk", "err", err)
		status["disk"] = "unknown"
	} else if low {
		m.Log.Warn("readyz: disk low", "free_bytes", free, "min_free_bytes", m.Config.MinFreeBytes)
		status["disk"], code = "low", http.StatusServiceUnavailable
	}
	if lag := m.consumerLag(); lag > float64(m.Config.ReadyMaxLag) {
		m.Log.Warn("readyz: consumer lag", "messages", lag, "ready_max_lag", m.Config.ReadyMaxLag)
		status["lag"] = "behind"
	}
	if m.parts != nil {
		status["parts"] = "ok"
		switch n, err := m.parts.BrokenParts(ctx); {
		case err != nil: // the engine cannot be asked: it is unavailable, not broken
			m.Log.Warn("readyz: parts", "err", err)
			status["parts"], code = "unavailable", http.StatusServiceUnavailable
		case n > 0:
			m.Log.Warn("readyz: parts", "broken", n)
			status["parts"], code = "broken", http.StatusServiceUnavailable
		}
	}
	g.JSON(code, status)
}

// consumerLag is the consumers' lag over every stream and partition.
func (m *Main) consumerLag() float64 {
	snap, err := m.pipeline.snapshot()
	if err != nil {
		return 0
	}
	return snap.totalLag()
}

// HTTPAddr is the address the HTTP server listens on.
func (m *Main) HTTPAddr() string { return m.ln.Addr().String() }

// Brokers are the Kafka brokers in use.
func (m *Main) Brokers() []string { return m.brokers }

// Tokens are the ingest tokens by tenant.
func (m *Main) Tokens() map[string]string { return m.tokens }

// ClickHouse is the embedded ClickHouse endpoint (nil with an external server).
func (m *Main) ClickHouse() *chembed.Server { return m.ch }

// Kafka is the embedded broker (nil with an external cluster).
func (m *Main) Kafka() *kafkaembed.Broker { return m.kafka }

func (m *Main) clickhouseURL() string {
	if m.ch != nil {
		return m.ch.URL()
	}
	return "(external)"
}

// Close shuts down gracefully: the HTTP server stops taking requests and
// finishes those in flight, the consumers flush and commit what they read,
// then the backends close. Nothing acknowledged is lost: acknowledged
// records are in Kafka, and consumers commit only what they inserted.
func (m *Main) Close() error {
	m.closeOnce.Do(func() {
		var errs []error
		if m.srv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			errs = append(errs, m.srv.Shutdown(ctx))
			cancel()
		} else if m.ln != nil { // bound, never served (Open failed)
			_ = m.ln.Close()
		}
		if m.cancel != nil {
			m.cancel()
		}
		m.wg.Wait()
		if m.pub != nil {
			errs = append(errs, m.pub.Close())
		}
		if m.Store != nil {
			errs = append(errs, m.Store.Close())
		}
		if m.kafka != nil {
			m.kafka.Close()
		}
		if m.ch != nil {
			errs = append(errs, m.ch.Close())
		}
		m.closeErr = errors.Join(errs...)
	})
	return m.closeErr
}

// secrets returns the pseudonym secret and the ingest tokens. In embedded
// mode, missing ones are generated once and kept in <data-dir>/secrets.json
// (mode 0600) so pseudonyms stay stable across restarts.
func (m *Main) secrets() ([]byte, map[string]string, error) {
	cfg := m.Config
	secret, tokens := cfg.PseudonymSecret, cfg.IngestTokens
	if secret != "" && len(tokens) > 0 {
		return []byte(secret), tokens, nil
	}
	if !cfg.Embedded {
		return nil, nil, errors.New("--pseudonym-secret and --ingest-tokens are required with external Kafka and ClickHouse")
	}
	path := filepath.Join(cfg.DataDir, "secrets.json")
	var saved struct {
		PseudonymSecret string            `json:"pseudonym_secret"`
		IngestTokens    map[string]string `json:"ingest_tokens"`
	}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &saved); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
	} else {
		saved.PseudonymSecret = randomHex(32)
		saved.IngestTokens = map[string]string{}
		for _, t := range demoTenants {
			saved.IngestTokens[t] = randomHex(24)
		}
		b, _ := json.MarshalIndent(saved, "", "  ")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return nil, nil, fmt.Errorf("write generated secrets: %w", err)
		}
		m.Log.Info("generated a pseudonym secret and ingest tokens", "file", path)
	}
	if secret == "" {
		secret = saved.PseudonymSecret
	}
	if len(tokens) == 0 {
		tokens = saved.IngestTokens
	}
	return []byte(secret), tokens, nil
}

// demoTenants get generated ingest tokens in embedded mode.
var demoTenants = []string{"comune-aurelia", "comune-borgoverde"}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
