package chembed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Config says where the engine keeps its data and where the endpoint listens.
type Config struct {
	// DataDir is the ClickHouse data directory (required). It is created if
	// missing; only one process may use it at a time.
	DataDir string
	// LibPath is libchdb.so; default DefaultLibPath().
	LibPath string
	// Addr is the listen address; default "127.0.0.1:0" (a free port).
	Addr string
	// Conns is the number of chDB connections, i.e. how many queries run at
	// once; default the number of CPUs, at least 2 and at most 4.
	Conns int
	// SpoolDir holds INSERT bodies while chDB reads them; default /dev/shm
	// when writable, else os.TempDir().
	SpoolDir string
	// Logger receives warnings; default slog.Default().
	Logger *slog.Logger
	// CredentialsFile holds the endpoint's accounts; it is created with
	// random passwords (mode 0600) when missing. Default
	// <DataDir>/credentials.json.
	CredentialsFile string
}

// Server is the running engine and its HTTP endpoint.
type Server struct {
	eng       *engine
	log       *slog.Logger
	spoolDir  string
	creds     Credentials
	credsFile string
	accounts  []accountHash

	unavailable atomic.Bool

	mu   sync.Mutex
	addr string       // host:port bound; kept across Suspend/Resume
	hs   *http.Server // nil while suspended
	done chan struct{}
}

// Start opens the engine on cfg.DataDir and starts the endpoint. ctx bounds
// the start only; the server runs until Close.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("start embedded ClickHouse: Config.DataDir is empty")
	}
	if cfg.LibPath == "" {
		cfg.LibPath = DefaultLibPath()
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Conns <= 0 {
		cfg.Conns = min(max(runtime.NumCPU(), 2), 4)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SpoolDir == "" {
		cfg.SpoolDir = defaultSpoolDir()
	}
	if cfg.CredentialsFile == "" {
		cfg.CredentialsFile = filepath.Join(cfg.DataDir, CredentialsFileName)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("start embedded ClickHouse: %w", err)
	}
	eng, err := openEngine(cfg.DataDir, cfg.LibPath, cfg.Conns, max(cfg.Conns/2, 1))
	if err != nil {
		return nil, fmt.Errorf("start embedded ClickHouse: %w", err)
	}
	creds, err := LoadOrCreateCredentials(cfg.CredentialsFile)
	if err != nil {
		_ = eng.close()
		return nil, fmt.Errorf("start embedded ClickHouse: %w", err)
	}
	s := &Server{eng: eng, log: cfg.Logger, spoolDir: cfg.SpoolDir,
		creds: creds, credsFile: cfg.CredentialsFile, accounts: hashAccounts(creds)}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		_ = eng.close()
		return nil, fmt.Errorf("start embedded ClickHouse: listen on %s: %w", cfg.Addr, err)
	}
	s.addr = ln.Addr().String()
	s.serve(ln)
	return s, nil
}

func defaultSpoolDir() string {
	const shm = "/dev/shm"
	if f, err := os.CreateTemp(shm, "chembed-probe-*"); err == nil {
		f.Close()
		os.Remove(f.Name())
		return shm
	}
	return os.TempDir()
}

func (s *Server) serve(ln net.Listener) {
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	done := make(chan struct{})
	s.hs, s.done = hs, done
	go func() {
		defer close(done)
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("embedded ClickHouse endpoint stopped", "addr", s.addr, "err", err)
		}
	}()
}

// Addr is the host:port the endpoint listens on.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// URL is the endpoint's base URL, e.g. http://127.0.0.1:8123, without
// credentials: fit for logs.
func (s *Server) URL() string { return "http://" + s.Addr() }

// ServiceURL is the base URL with the service account's credentials, e.g.
// http://bussola:secret@127.0.0.1:8123: a clickhouse-go DSN (add the
// database as path) or a URL for net/http's client, which sends them as
// Basic auth. Never log it.
func (s *Server) ServiceURL() string {
	u := url.URL{Scheme: "http", User: url.UserPassword(s.creds.Service.User, s.creds.Service.Password), Host: s.Addr()}
	return u.String()
}

// Credentials are the endpoint's accounts.
func (s *Server) Credentials() Credentials { return s.creds }

// CredentialsFile is where the accounts' passwords are kept.
func (s *Server) CredentialsFile() string { return s.credsFile }

// DataDir is the data directory the engine has open.
func (s *Server) DataDir() string { return s.eng.dir }

// SetUnavailable makes the endpoint answer 503 to every request (and
// refuse new work) while on, to simulate ClickHouse being down while the
// process keeps running. /ping answers 503 too.
func (s *Server) SetUnavailable(on bool) { s.unavailable.Store(on) }

// Suspend stops the listener, waiting for requests in flight, so clients
// get "connection refused" as from a stopped server. The engine stays open.
func (s *Server) Suspend(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hs == nil {
		return nil
	}
	err := s.hs.Shutdown(ctx)
	<-s.done
	s.hs = nil
	if err != nil {
		return fmt.Errorf("suspend embedded ClickHouse endpoint: %w", err)
	}
	return nil
}

// Resume listens again on the address the server had before Suspend.
func (s *Server) Resume() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hs != nil {
		return nil
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("resume embedded ClickHouse endpoint on %s: %w", s.addr, err)
	}
	s.serve(ln)
	return nil
}

// Close stops the endpoint (waiting for requests in flight), then closes
// every chDB connection and frees the data directory.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := s.Suspend(ctx)
	if cerr := s.eng.close(); cerr != nil && err == nil {
		err = fmt.Errorf("close embedded ClickHouse: %w", cerr)
	}
	return err
}

// Ping runs SELECT 1 on the engine, bypassing HTTP.
func (s *Server) Ping(ctx context.Context) error {
	c, err := s.eng.acquire(ctx, false)
	if err != nil {
		return err
	}
	defer s.eng.release(c)
	return c.exec("SELECT 1")
}

// ExecDirect runs one statement straight on the engine, with settings,
// bypassing HTTP, the accounts and the guard. It is for trusted in-process
// callers only, such as the bench's engine-only baseline (INSERT ... FROM
// INFILE of a Native file): never pass it text that came from outside.
func (s *Server) ExecDirect(ctx context.Context, sql string, settings map[string]any) error {
	c, err := s.eng.acquire(ctx, false)
	if err != nil {
		return err
	}
	defer s.eng.release(c)
	kv := make([][2]string, 0, len(settings))
	for k, v := range settings {
		if !isIdentifier(k) {
			return fmt.Errorf("exec on embedded ClickHouse: setting name %q", k)
		}
		kv = append(kv, [2]string{k, fmt.Sprint(v)})
	}
	if len(kv) > 0 {
		err := c.exec(setStatement(kv, false))
		defer func() {
			if rerr := c.exec(setStatement(kv, true)); rerr != nil {
				s.log.Warn("reset settings", "err", rerr)
			}
		}()
		if err != nil {
			return err
		}
	}
	return c.exec(sql)
}

// ServeHTTP serves the ClickHouse HTTP interface: /ping and queries at /.
// Queries need an account (auth.go) and pass the guard (guard.go).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.unavailable.Load() {
		newResponse(w, nil).fail(errUnavailable)
		return
	}
	switch r.URL.Path {
	case "/ping", "/replicas_status":
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		_, _ = io.WriteString(w, "Ok.\n")
		return
	case "/":
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method == http.MethodGet && r.URL.RawQuery == "" {
		_, _ = io.WriteString(w, "Ok.\n") // what a ClickHouse server says at /
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	who, err := s.authenticate(r)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Basic realm="ClickHouse server HTTP API", charset="UTF-8"`)
		newResponse(w, nil).fail(err)
		return
	}
	req, err := parseRequest(r)
	resp := newResponse(w, req)
	if err != nil {
		resp.fail(err)
		return
	}
	req.readOnly = who.readOnly(r.Method)
	if err := guardRequest(req); err != nil {
		resp.fail(err)
		return
	}
	if err := s.execute(r.Context(), req, resp); err != nil {
		resp.fail(err)
	}
}
