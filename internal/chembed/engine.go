package chembed

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
)

// engine is the process's chDB instance: one data directory, a lock file
// naming the owning PID, and two pools of connections to the same path:
// read-write ones, and read-only ones (readonly = 2, which no query can
// lift) for GET requests and the operator account.
type engine struct {
	lib    *lib
	dir    string
	args   []string // chdb_connect arguments
	lock   *dirLock
	conns  []*chConn
	pool   chan *chConn // read-write
	roPool chan *chConn // read-only
}

var (
	engineMu sync.Mutex
	current  *engine // the open engine of this process, if any
)

// openEngine opens dir with n read-write and nRO read-only connections.
// chDB refuses a second data directory while one is open in the process,
// so this does too, with a clear error; after close, another (or the same)
// directory can be opened.
func openEngine(dir, libPath string, n, nRO int) (*engine, error) {
	engineMu.Lock()
	defer engineMu.Unlock()
	l, err := loadLib(libPath)
	if err != nil {
		return nil, err
	}
	if current != nil {
		return nil, fmt.Errorf("open embedded ClickHouse at %s: this process already has %s open (chDB allows one data directory per process; close it first)", dir, current.dir)
	}
	// The data are the service's alone: nobody else may read them off disk.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open embedded ClickHouse: create data directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open embedded ClickHouse: make data directory private: %w", err)
	}
	lock, err := lockDataDir(dir)
	if err != nil {
		return nil, err
	}
	extra, err := writeEngineConfig(dir)
	if err != nil {
		_ = lock.release()
		return nil, fmt.Errorf("open embedded ClickHouse at %s: %w", dir, err)
	}
	e := &engine{lib: l, dir: dir, args: append([]string{"clickhouse", "--path=" + dir}, extra...), lock: lock,
		pool: make(chan *chConn, n), roPool: make(chan *chConn, nRO)}
	for i := 0; i < n+nRO; i++ {
		readOnly := i >= n
		c, err := e.connect(readOnly)
		if err != nil {
			e.closeConns()
			_ = lock.release()
			return nil, err
		}
		e.conns = append(e.conns, c)
		e.release(c)
	}
	current = e
	return e, nil
}

// connect opens one chDB connection with Go's signal handling preserved:
// chDB's handlers for SIGSEGV and friends would turn a recoverable Go panic
// into a hang, so every disposition (and this thread's alternate signal
// stack) is put back as it was after connecting. A read-only connection
// gets readonly = 2: settings may change, readonly itself and data may not.
func (e *engine) connect(readOnly bool) (*chConn, error) {
	argv := e.args
	cargs := make([]*byte, 0, len(argv)+1)
	var pin runtime.Pinner
	defer pin.Unpin()
	for _, a := range argv {
		b := append([]byte(a), 0)
		pin.Pin(&b[0])
		cargs = append(cargs, &b[0])
	}
	cargs = append(cargs, nil)

	runtime.LockOSThread()
	snap := snapshotSignals()
	stack, stackOK := altStack()
	e.lib.setSignals(0)
	ptr := e.lib.connect(int32(len(argv)), &cargs[0])
	if stackOK {
		setAltStack(stack)
	}
	snap.restore()
	runtime.UnlockOSThread()
	runtime.KeepAlive(cargs)

	if ptr == nil {
		if pid := statusPID(e.dir); pid != 0 && pid != os.Getpid() {
			return nil, inUseError(e.dir, pid)
		}
		return nil, fmt.Errorf("open embedded ClickHouse at %s: chdb_connect failed (chDB printed the reason on stderr)", e.dir)
	}
	c := &chConn{l: e.lib, ptr: ptr, db: "default", readOnly: readOnly}
	// The query profiler signals threads with SIGUSR1/SIGUSR2, which are Go's
	// to handle now; nothing here reads its samples.
	setup := "SET query_profiler_real_time_period_ns = 0, query_profiler_cpu_time_period_ns = 0"
	if readOnly {
		setup += ", readonly = 2"
	}
	if err := c.exec(setup); err != nil {
		e.lib.closeConn(ptr)
		return nil, fmt.Errorf("open embedded ClickHouse at %s: configure connection: %w", e.dir, err)
	}
	return c, nil
}

// acquire takes a connection, read-only or read-write, for the whole life
// of one request.
func (e *engine) acquire(ctx context.Context, readOnly bool) (*chConn, error) {
	pool := e.pool
	if readOnly {
		pool = e.roPool
	}
	select {
	case c := <-pool:
		return c, nil
	case <-ctx.Done():
		return nil, newError(codeQueryWasCancelled, "request cancelled while waiting for a connection: "+ctx.Err().Error())
	}
}

func (e *engine) release(c *chConn) {
	if c.readOnly {
		e.roPool <- c
		return
	}
	e.pool <- c
}

// close waits for every connection to come back, closes them and frees the
// data directory.
func (e *engine) close() error {
	engineMu.Lock()
	defer engineMu.Unlock()
	for _, c := range e.conns {
		if c.readOnly {
			<-e.roPool
		} else {
			<-e.pool
		}
	}
	e.closeConns()
	if current == e {
		current = nil
	}
	return e.lock.release()
}

func (e *engine) closeConns() {
	for _, c := range e.conns {
		e.lib.closeConn(c.ptr)
	}
	e.conns = nil
}
