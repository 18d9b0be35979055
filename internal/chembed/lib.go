package chembed

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/ebitengine/purego"
)

// LibVersion is the chDB library version the setup script fetches.
const LibVersion = "26.5.3"

// EnvLibPath names the environment variable that overrides where libchdb.so
// is looked for.
const EnvLibPath = "BUSSOLA_LIBCHDB"

// ErrLibraryMissing is wrapped by the error Start returns when libchdb.so is
// not where it was looked for.
var ErrLibraryMissing = errors.New("libchdb not found")

// DefaultLibPath returns where libchdb.so is looked for when Config.LibPath
// is empty: $BUSSOLA_LIBCHDB if set, else
// <user cache dir>/bussola/libchdb/<LibVersion>/package/libchdb.so, which is
// where `make setup` (scripts/setup.sh) unpacks it.
func DefaultLibPath() string {
	if p := os.Getenv(EnvLibPath); p != "" {
		return p
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = filepath.Join(os.TempDir(), "cache")
	}
	return filepath.Join(dir, "bussola", "libchdb", LibVersion, "package", "libchdb.so")
}

// LibraryAvailable reports whether a file exists at path (DefaultLibPath
// when path is empty). It does not load it.
func LibraryAvailable(path string) bool {
	if path == "" {
		path = DefaultLibPath()
	}
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// chdbResult is the opaque chdb_result*.
type chdbResult = uintptr

// lib holds the C entry points of libchdb, bound with purego. Handles and
// results are passed as uintptr: they are C memory, never Go memory.
type lib struct {
	path string

	connect          func(argc int32, argv **byte) *uintptr
	closeConn        func(conn *uintptr)
	queryN           func(conn uintptr, q *byte, qlen uintptr, f *byte, flen uintptr) chdbResult
	streamQueryN     func(conn uintptr, q *byte, qlen uintptr, f *byte, flen uintptr) chdbResult
	streamFetch      func(conn uintptr, res chdbResult) chdbResult
	streamCancel     func(conn uintptr, res chdbResult)
	queryWithParamsN func(conn uintptr, q *byte, qlen uintptr, f *byte, flen uintptr,
		names **byte, nameLens *uintptr, values **byte, valueLens *uintptr, n uintptr) chdbResult
	resultBuffer  func(res chdbResult) *byte
	resultLength  func(res chdbResult) uintptr
	resultError   func(res chdbResult) string
	rowsWritten   func(res chdbResult) uint64
	resultElapsed func(res chdbResult) float64
	destroyResult func(res chdbResult)
	setSignals    func(enabled int32)
}

var (
	libMu     sync.Mutex
	loadedLib *lib
)

// loadLib dlopens libchdb once per process. The engine is process-wide, so
// a second path is refused rather than loaded beside the first.
func loadLib(path string) (*lib, error) {
	libMu.Lock()
	defer libMu.Unlock()
	if !LibraryAvailable(path) {
		return nil, fmt.Errorf("%w at %s: run `make setup` (scripts/setup.sh) to fetch libchdb %s, or set %s to its path",
			ErrLibraryMissing, path, LibVersion, EnvLibPath)
	}
	if loadedLib != nil {
		if loadedLib.path != path {
			return nil, fmt.Errorf("load libchdb %s: this process already loaded %s (one engine per process)", path, loadedLib.path)
		}
		return loadedLib, nil
	}
	h, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		return nil, fmt.Errorf("load libchdb %s: %w", path, err)
	}
	l := &lib{path: path}
	syms := []struct {
		fptr any
		name string
	}{
		{&l.connect, "chdb_connect"},
		{&l.closeConn, "chdb_close_conn"},
		{&l.queryN, "chdb_query_n"},
		{&l.streamQueryN, "chdb_stream_query_n"},
		{&l.streamFetch, "chdb_stream_fetch_result"},
		{&l.streamCancel, "chdb_stream_cancel_query"},
		{&l.queryWithParamsN, "chdb_query_with_params_n"},
		{&l.resultBuffer, "chdb_result_buffer"},
		{&l.resultLength, "chdb_result_length"},
		{&l.resultError, "chdb_result_error"},
		{&l.rowsWritten, "chdb_result_rows_written"},
		{&l.resultElapsed, "chdb_result_elapsed"},
		{&l.destroyResult, "chdb_destroy_query_result"},
		{&l.setSignals, "chdb_set_signal_handlers_enabled"},
	}
	for _, s := range syms {
		addr, err := purego.Dlsym(h, s.name)
		if err != nil {
			return nil, fmt.Errorf("load libchdb %s: symbol %s: %w", path, s.name, err)
		}
		purego.RegisterFunc(s.fptr, addr)
	}
	loadedLib = l
	return l, nil
}
