package ingest

import (
	"fmt"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// DiskSpace watches the free space of the file system holding a directory
// (the data directory: the embedded broker's log and the engine's parts).
// Below MinFree the intake refuses new records with 507, and /readyz says
// the disk is low: a full disk is where the engine commits broken parts
// and the broker fails its writes half way.
type DiskSpace struct {
	Dir     string
	MinFree uint64 // bytes; 0 turns the check off

	mu   sync.Mutex
	at   time.Time
	free uint64
	err  error
}

// diskSpaceTTL is how long one statfs answer is reused.
const diskSpaceTTL = time.Second

// Free returns the bytes available to the service on Dir's file system
// and whether that is below MinFree.
func (d *DiskSpace) Free() (free uint64, low bool, err error) {
	if d == nil || d.MinFree == 0 {
		return 0, false, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if time.Since(d.at) > diskSpaceTTL {
		var st unix.Statfs_t
		d.err = unix.Statfs(d.Dir, &st)
		if d.err != nil {
			d.err = fmt.Errorf("free space of %s: %w", d.Dir, d.err)
		}
		d.free = uint64(st.Bavail) * uint64(st.Bsize)
		d.at = time.Now()
	}
	return d.free, d.err == nil && d.free < d.MinFree, d.err
}
