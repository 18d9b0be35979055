package main

import (
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the service, read from flags and BUSSOLA_*
// environment variables (a flag wins over its variable). Each field's
// default is in configFlags below, next to its flag.
type Config struct {
	HTTPAddr string

	// unsafeNoLatticeProtection is for the attacker's protection-off run
	// only (reports.PrivacyConfig.UnsafeNoLatticeProtection); no flag sets it.
	unsafeNoLatticeProtection bool

	Embedded           bool
	DataDir            string
	KafkaAddr          string
	ClickHouseHTTPAddr string

	KafkaBrokers    []string
	KafkaPartitions int
	// External Kafka's login (the embedded broker generates its own).
	KafkaSASLMechanism string
	KafkaUser          string
	KafkaPasswordFile  string
	KafkaTLS           bool
	ClickHouseURL      string
	Database           string
	Cluster            string
	RetentionDays      int

	ConsumerGroup string
	BatchRows     int
	BatchWait     time.Duration
	Consumers     bool

	ScoringInterval time.Duration
	// ReportRefreshInterval is how often the report pages' data version is
	// polled (figures.Refresher); 0 reads ClickHouse on every request.
	ReportRefreshInterval time.Duration

	IngestTokens    map[string]string // tenant -> token
	PseudonymSecret string
	MaxBodyBytes    int64
	MaxLineBytes    int
	// Load shedding and the disk: see ingest.IntakeConfig.
	IntakeMaxInflight      int
	IntakeMaxInflightBytes int64
	IntakeQueueWait        time.Duration
	MinFreeBytes           int64
	ReadyMaxLag            int64

	UsersFile     string
	AssetsDir     string
	ChromiumPath  string
	AuditFile     string
	APITokensFile string
	MetricsToken  string
	SecureCookies bool
	PilotsFile    string
	LabelsFile    string

	SessionIdleTimeout time.Duration
	SessionLifetime    time.Duration
	LoginUserFailures  int
	LoginAddrFailures  int
	TrustedProxies     []netip.Prefix

	LogLevel  string
	LogFormat string

	OIDC oidcConfig // single sign-on
}

// configFlags registers the service flags on fs, each defaulting to its
// environment variable and then to the documented default.
func configFlags(fs *flag.FlagSet, c *Config) *rawConfig {
	r := &rawConfig{}
	str := func(p *string, name, env, def, usage string) {
		fs.StringVar(p, name, envOr(env, def), usage+" ($"+env+")")
	}
	str(&c.HTTPAddr, "http-addr", "BUSSOLA_HTTP_ADDR", "127.0.0.1:8080", "address of the HTTP server (intake API, reports, metrics); port 0 picks a free one")
	fs.BoolVar(&c.Embedded, "embedded", envBool("BUSSOLA_EMBEDDED", false), "start the embedded Kafka broker and ClickHouse engine under --data-dir; implied when neither --kafka-brokers nor --clickhouse-url is set ($BUSSOLA_EMBEDDED)")
	str(&c.DataDir, "data-dir", "BUSSOLA_DATA_DIR", "bussola-data", "directory of the embedded components' data and of generated secrets")
	str(&c.KafkaAddr, "kafka-addr", "BUSSOLA_KAFKA_ADDR", "127.0.0.1:9092", "listen address of the embedded Kafka broker; port 0 picks a free one")
	str(&c.ClickHouseHTTPAddr, "clickhouse-http-addr", "BUSSOLA_CLICKHOUSE_HTTP_ADDR", "127.0.0.1:8123", "listen address of the embedded ClickHouse HTTP endpoint; port 0 picks a free one")
	str(&r.brokers, "kafka-brokers", "BUSSOLA_KAFKA_BROKERS", "", "comma-separated external Kafka brokers (host:port); empty uses the embedded broker")
	fs.IntVar(&c.KafkaPartitions, "kafka-partitions", envInt("BUSSOLA_KAFKA_PARTITIONS", 3), "partitions of each topic created by Bussola (the most consumers of one stream that can work at once) ($BUSSOLA_KAFKA_PARTITIONS)")
	str(&c.KafkaSASLMechanism, "kafka-sasl-mechanism", "BUSSOLA_KAFKA_SASL_MECHANISM", "", "login to the external Kafka brokers: SCRAM-SHA-256 or SCRAM-SHA-512, or none for a cluster without SASL (PLAINTEXT); required with --kafka-brokers. The embedded broker always uses SCRAM-SHA-256 with the accounts it generates in --data-dir")
	str(&c.KafkaUser, "kafka-user", "BUSSOLA_KAFKA_USER", "", "SASL user of Bussola on the external Kafka brokers")
	str(&c.KafkaPasswordFile, "kafka-password-file", "BUSSOLA_KAFKA_PASSWORD_FILE", "", "file holding the SASL password of --kafka-user (one line)")
	fs.BoolVar(&c.KafkaTLS, "kafka-tls", envBool("BUSSOLA_KAFKA_TLS", false), "connect to the external Kafka brokers over TLS (SASL_SSL), trusting the system's certificate authorities ($BUSSOLA_KAFKA_TLS)")
	str(&c.ClickHouseURL, "clickhouse-url", "BUSSOLA_CLICKHOUSE_URL", "", "external ClickHouse: http://host:8123/ or clickhouse://host:9000/ with ?username=&password=; empty uses the embedded engine")
	str(&c.Database, "clickhouse-database", "BUSSOLA_CLICKHOUSE_DATABASE", "bussola", "ClickHouse database of Bussola's tables")
	str(&c.Cluster, "clickhouse-cluster", "BUSSOLA_CLICKHOUSE_CLUSTER", "", "ClickHouse cluster name: migrations use ON CLUSTER, Replicated* and Distributed tables; empty for one server")
	fs.IntVar(&c.RetentionDays, "retention-days", envInt("BUSSOLA_RETENTION_DAYS", 1095), "days evidence rows are kept (TTL from the day they are about); 0 keeps them until erased ($BUSSOLA_RETENTION_DAYS)")
	str(&c.ConsumerGroup, "consumer-group", "BUSSOLA_CONSUMER_GROUP", "bussola-ingest", "Kafka consumer group prefix; instances with the same prefix share the partitions")
	fs.IntVar(&c.BatchRows, "batch-rows", envInt("BUSSOLA_BATCH_ROWS", 50000), "consumer batch size in messages ($BUSSOLA_BATCH_ROWS)")
	fs.DurationVar(&c.BatchWait, "batch-wait", envDuration("BUSSOLA_BATCH_WAIT", time.Second), "longest a consumer batch waits before it is inserted ($BUSSOLA_BATCH_WAIT)")
	fs.BoolVar(&c.Consumers, "consumers", envBool("BUSSOLA_CONSUMERS", true), "run the consumers in this process ($BUSSOLA_CONSUMERS)")
	fs.DurationVar(&c.ScoringInterval, "scoring-interval", envDuration("BUSSOLA_SCORING_INTERVAL", 30*time.Second), "how often the readiness scoring job looks for survey waves with new answers and scores them; 0 disables the loop (scoring on demand through the API still works; set 0 on extra ingest workers) ($BUSSOLA_SCORING_INTERVAL)")
	fs.DurationVar(&c.ReportRefreshInterval, "report-refresh-interval", envDuration("BUSSOLA_REPORT_REFRESH_INTERVAL", 5*time.Second), "how often the report pages' data version is polled: after new data (settled for 2 s), the estimates, lattices and protected patterns of every page are computed again in the background and the pages switch to them at once, saying how fresh they are; 0 computes each page from ClickHouse on the request ($BUSSOLA_REPORT_REFRESH_INTERVAL)")
	str(&r.tokens, "ingest-tokens", "BUSSOLA_INGEST_TOKENS", "", "ingest bearer tokens as tenant=token,tenant=token (at least 16 characters each); embedded mode generates one per demo tenant when empty")
	str(&c.PseudonymSecret, "pseudonym-secret", "BUSSOLA_PSEUDONYM_SECRET", "", "secret keying the employee pseudonyms (at least 16 bytes); embedded mode generates one in --data-dir when empty")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", envInt64("BUSSOLA_MAX_BODY_BYTES", 32<<20), "largest intake request body; larger ones get 413 ($BUSSOLA_MAX_BODY_BYTES)")
	fs.IntVar(&c.MaxLineBytes, "max-line-bytes", envInt("BUSSOLA_MAX_LINE_BYTES", 1<<20), "longest intake line; a longer line is refused on its own (400, field line, rule max_length) and the request's other lines are taken ($BUSSOLA_MAX_LINE_BYTES)")
	fs.IntVar(&c.IntakeMaxInflight, "intake-max-inflight", envInt("BUSSOLA_INTAKE_MAX_INFLIGHT", 8), "intake requests processed and published at once; more wait up to --intake-queue-wait, then are shed with 429 and Retry-After ($BUSSOLA_INTAKE_MAX_INFLIGHT)")
	fs.Int64Var(&c.IntakeMaxInflightBytes, "intake-max-inflight-bytes", envInt64("BUSSOLA_INTAKE_MAX_INFLIGHT_BYTES", 64<<20), "request bytes the intake holds at once; more are shed with 429 (one request is always admitted) ($BUSSOLA_INTAKE_MAX_INFLIGHT_BYTES)")
	fs.DurationVar(&c.IntakeQueueWait, "intake-queue-wait", envDuration("BUSSOLA_INTAKE_QUEUE_WAIT", time.Second), "how long an intake request over the in-flight limits waits for its turn (first come, first served) before it is shed with 429; 0 sheds at once ($BUSSOLA_INTAKE_QUEUE_WAIT)")
	fs.Int64Var(&c.MinFreeBytes, "min-free-bytes", envInt64("BUSSOLA_MIN_FREE_BYTES", 1<<30), "free space the file system of --data-dir must keep: below it the intake answers 507 and /readyz says disk low; 0 turns the check off ($BUSSOLA_MIN_FREE_BYTES)")
	fs.Int64Var(&c.ReadyMaxLag, "ready-max-lag", envInt64("BUSSOLA_READY_MAX_LAG", 100_000), "consumer lag, in messages over all streams, above which /readyz says lag behind ($BUSSOLA_READY_MAX_LAG)")
	str(&c.UsersFile, "users-file", "BUSSOLA_USERS_FILE", "", "JSON file of report users (bcrypt hashes, roles per tenant); embedded mode writes demo users into --data-dir when empty")
	str(&c.AssetsDir, "assets-dir", "BUSSOLA_ASSETS_DIR", "", "directory holding echarts.min.js, served under /assets/; empty uses the cache filled by scripts/setup.sh")
	str(&c.ChromiumPath, "chromium", "BUSSOLA_CHROMIUM", "", "Chromium (or Chrome) binary the PDF export prints pages with; empty looks for chromium, chromium-browser, google-chrome in PATH; without one the PDF export answers 503")
	str(&c.AuditFile, "audit-file", "BUSSOLA_AUDIT_FILE", "", "JSON-lines audit log of report views and exports; empty writes audit.log in --data-dir")
	str(&c.APITokensFile, "api-tokens-file", "BUSSOLA_API_TOKENS_FILE", "", "JSON file of the report users' API tokens (SHA-256 only; managed with bussola api-token) for the assessment API; empty uses api-tokens.json in --data-dir")
	str(&c.MetricsToken, "metrics-token", "BUSSOLA_METRICS_TOKEN", "", "bearer token that /metrics and the detailed status (/status.json) require (at least 16 characters); embedded mode generates metrics.token in --data-dir when empty; otherwise /metrics is off when empty")
	str(&c.PilotsFile, "pilots-file", "BUSSOLA_PILOTS_FILE", "", "JSON array of pilot definitions (cohorts, start dates, comparison) for the impact page; embedded mode writes the demo pilots into --data-dir when empty")
	str(&c.LabelsFile, "labels-file", "BUSSOLA_LABELS_FILE", "", "JSON file of display names per tenant (entity, units, grades, cohorts, waves, pages, instruments) for the report pages and exports' label columns; embedded mode writes the demo names into --data-dir when empty; otherwise identifiers show in a readable form")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", envBool("BUSSOLA_SECURE_COOKIES", false), "mark session cookies Secure (set behind TLS) ($BUSSOLA_SECURE_COOKIES)")
	fs.DurationVar(&c.SessionIdleTimeout, "session-idle-timeout", envDuration("BUSSOLA_SESSION_IDLE_TIMEOUT", 30*time.Minute), "a report session unused for this long ends ($BUSSOLA_SESSION_IDLE_TIMEOUT)")
	fs.DurationVar(&c.SessionLifetime, "session-lifetime", envDuration("BUSSOLA_SESSION_LIFETIME", 8*time.Hour), "a report session ends this long after sign-in, used or not ($BUSSOLA_SESSION_LIFETIME)")
	fs.IntVar(&c.LoginUserFailures, "login-user-failures", envInt("BUSSOLA_LOGIN_USER_FAILURES", 5), "failed sign-ins a username has before it is locked with a doubling back-off (429 with Retry-After) ($BUSSOLA_LOGIN_USER_FAILURES)")
	fs.IntVar(&c.LoginAddrFailures, "login-addr-failures", envInt("BUSSOLA_LOGIN_ADDR_FAILURES", 20), "failed sign-ins a client address (IPv6: its /64) has before it is locked the same way ($BUSSOLA_LOGIN_ADDR_FAILURES)")
	str(&r.proxies, "trusted-proxies", "BUSSOLA_TRUSTED_PROXIES", "", "comma-separated addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For names the client (for the per-address sign-in limit); empty trusts none")
	str(&c.LogLevel, "log-level", "BUSSOLA_LOG_LEVEL", "info", "debug, info, warn or error")
	str(&c.LogFormat, "log-format", "BUSSOLA_LOG_FORMAT", "text", "text or json")
	oidcFlags(fs, &c.OIDC)
	return r
}

// rawConfig holds flag values that need parsing after flag.Parse.
type rawConfig struct {
	brokers string
	tokens  string
	proxies string
}

// finish parses the raw values and applies the embedded-mode rule.
func (c *Config) finish(r *rawConfig) error {
	for _, b := range strings.Split(r.brokers, ",") {
		if b = strings.TrimSpace(b); b != "" {
			c.KafkaBrokers = append(c.KafkaBrokers, b)
		}
	}
	if len(c.KafkaBrokers) == 0 && c.ClickHouseURL == "" {
		c.Embedded = true
	}
	if !c.Embedded && (len(c.KafkaBrokers) == 0 || c.ClickHouseURL == "") {
		return fmt.Errorf("--kafka-brokers and --clickhouse-url go together; set both, or neither for the embedded components")
	}
	if err := c.checkKafkaLogin(); err != nil {
		return err
	}
	c.IngestTokens = map[string]string{}
	for _, kv := range strings.Split(r.tokens, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		tenant, tok, ok := strings.Cut(kv, "=")
		if !ok || tenant == "" || len(tok) < 16 {
			return fmt.Errorf("--ingest-tokens: %q must be tenant=token with a token of at least 16 characters", kv)
		}
		c.IngestTokens[tenant] = tok
	}
	for _, p := range strings.Split(r.proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			a, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return fmt.Errorf("--trusted-proxies: %q must be an IP address or a CIDR prefix", p)
			}
			pfx = netip.PrefixFrom(a, a.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, pfx.Masked())
	}
	if c.SessionIdleTimeout <= 0 || c.SessionLifetime <= 0 {
		return fmt.Errorf("--session-idle-timeout, --session-lifetime: must be positive")
	}
	if c.LoginUserFailures < 1 || c.LoginAddrFailures < 1 {
		return fmt.Errorf("--login-user-failures, --login-addr-failures: must be at least 1")
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return fmt.Errorf("--metrics-token: must be at least 16 characters, got %d", len(c.MetricsToken))
	}
	if c.RetentionDays < 0 {
		return fmt.Errorf("--retention-days: must be 0 or positive, got %d", c.RetentionDays)
	}
	if c.ScoringInterval < 0 {
		return fmt.Errorf("--scoring-interval: must be 0 (off) or positive, got %s", c.ScoringInterval)
	}
	if c.MaxLineBytes < 1 || c.IntakeMaxInflight < 1 || c.IntakeMaxInflightBytes < 1 {
		return fmt.Errorf("--max-line-bytes, --intake-max-inflight, --intake-max-inflight-bytes: must be at least 1")
	}
	if c.MinFreeBytes < 0 || c.ReadyMaxLag < 0 || c.IntakeQueueWait < 0 {
		return fmt.Errorf("--min-free-bytes, --ready-max-lag, --intake-queue-wait: must be 0 or positive")
	}
	if c.KafkaPartitions < 1 {
		return fmt.Errorf("--kafka-partitions: must be at least 1, got %d", c.KafkaPartitions)
	}
	abs, err := filepath.Abs(c.DataDir)
	if err != nil {
		return fmt.Errorf("--data-dir: %w", err)
	}
	c.DataDir = abs
	return nil
}

// checkKafkaLogin checks the external Kafka login flags: a mechanism is
// required (none must be said explicitly), SCRAM needs a user and a
// password file, and none of them applies to the embedded broker.
func (c *Config) checkKafkaLogin() error {
	if c.Embedded {
		if c.KafkaSASLMechanism != "" || c.KafkaUser != "" || c.KafkaPasswordFile != "" || c.KafkaTLS {
			return fmt.Errorf("--kafka-sasl-mechanism, --kafka-user, --kafka-password-file and --kafka-tls: apply to --kafka-brokers only; the embedded broker generates its accounts in --data-dir")
		}
		return nil
	}
	switch c.KafkaSASLMechanism {
	case "none":
		if c.KafkaUser != "" || c.KafkaPasswordFile != "" {
			return fmt.Errorf("--kafka-user and --kafka-password-file: not used with --kafka-sasl-mechanism none")
		}
	case "SCRAM-SHA-256", "SCRAM-SHA-512":
		if c.KafkaUser == "" {
			return fmt.Errorf("--kafka-user: required with --kafka-sasl-mechanism %s", c.KafkaSASLMechanism)
		}
		if c.KafkaPasswordFile == "" {
			return fmt.Errorf("--kafka-password-file: required with --kafka-sasl-mechanism %s", c.KafkaSASLMechanism)
		}
	case "":
		return fmt.Errorf("--kafka-sasl-mechanism: required with --kafka-brokers: SCRAM-SHA-256, SCRAM-SHA-512, or none for a cluster without SASL")
	default:
		return fmt.Errorf("--kafka-sasl-mechanism: must be SCRAM-SHA-256, SCRAM-SHA-512 or none, got %q", c.KafkaSASLMechanism)
	}
	return nil
}

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	if v, err := strconv.ParseBool(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envInt64(name string, def int64) int64 {
	if v, err := strconv.ParseInt(os.Getenv(name), 10, 64); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}
