package chembed

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
)

// lockFileName is the file in the data directory that the owning process
// holds an exclusive flock on, with its PID written inside.
const lockFileName = "bussola-chembed.lock"

// ErrDataDirInUse is wrapped by the error Start returns when another process
// has the data directory open.
var ErrDataDirInUse = errors.New("data directory in use")

// dirLock is the held lock on a data directory.
type dirLock struct{ f *os.File }

// lockDataDir takes the data directory for this process, or reports which
// process holds it.
func lockDataDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, lockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock data directory %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, inUseError(dir, readPID(f))
		}
		return nil, fmt.Errorf("lock data directory %s: %w", dir, err)
	}
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock data directory %s: write pid: %w", dir, err)
		}
	}
	return &dirLock{f: f}, nil
}

func (l *dirLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	err := l.f.Close() // closing drops the flock
	l.f = nil
	return err
}

func readPID(f *os.File) int {
	b := make([]byte, 32)
	n, _ := f.ReadAt(b, 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b[:n])))
	if err != nil {
		return 0
	}
	return pid
}

func inUseError(dir string, pid int) error {
	if pid > 0 {
		return fmt.Errorf("%w: data directory %s is in use by PID %d", ErrDataDirInUse, dir, pid)
	}
	return fmt.Errorf("%w: data directory %s is in use by another process", ErrDataDirInUse, dir)
}

var statusPIDRe = regexp.MustCompile(`(?m)^PID:\s*(\d+)`)

// statusPID reads the PID from ClickHouse's own status file, which a chDB
// process not using this package's lock file may hold.
func statusPID(dir string) int {
	b, err := os.ReadFile(filepath.Join(dir, "status"))
	if err != nil {
		return 0
	}
	m := statusPIDRe.FindSubmatch(b)
	if m == nil {
		return 0
	}
	pid, _ := strconv.Atoi(string(m[1]))
	return pid
}
