//go:build linux && (amd64 || arm64)

package chembed

import (
	"syscall"
	"unsafe"
)

// kernelSigaction is the kernel's struct sigaction on linux/amd64 and
// linux/arm64 (both define SA_RESTORER, so the field order is the same).
type kernelSigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

// signalSnapshot holds every signal disposition of the process.
type signalSnapshot struct {
	acts [65]kernelSigaction
	ok   [65]bool
}

// snapshotSignals reads the disposition of signals 1..64 with rt_sigaction.
// Connecting to chDB installs its own SIGSEGV/SIGBUS/SIGFPE handlers over
// Go's; restoring this snapshot afterwards keeps Go's panics recoverable.
func snapshotSignals() *signalSnapshot {
	s := &signalSnapshot{}
	for sig := 1; sig <= 64; sig++ {
		_, _, errno := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), 0,
			uintptr(unsafe.Pointer(&s.acts[sig])), 8, 0, 0)
		s.ok[sig] = errno == 0
	}
	return s
}

// restore writes back every disposition that could be read. SIGKILL and
// SIGSTOP cannot be read or written and are skipped by the kernel's errors.
func (s *signalSnapshot) restore() {
	for sig := 1; sig <= 64; sig++ {
		if !s.ok[sig] {
			continue
		}
		_, _, _ = syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig),
			uintptr(unsafe.Pointer(&s.acts[sig])), 0, 8, 0, 0)
	}
}

// stackT is the kernel's stack_t for sigaltstack.
type stackT struct {
	sp    uintptr
	flags int32
	_     int32
	size  uintptr
}

// altStack reads the calling thread's alternate signal stack; the caller
// must hold its OS thread (runtime.LockOSThread).
func altStack() (stackT, bool) {
	var st stackT
	_, _, errno := syscall.RawSyscall(syscall.SYS_SIGALTSTACK, 0, uintptr(unsafe.Pointer(&st)), 0)
	return st, errno == 0
}

// setAltStack puts back an alternate signal stack read with altStack.
func setAltStack(st stackT) {
	_, _, _ = syscall.RawSyscall(syscall.SYS_SIGALTSTACK, uintptr(unsafe.Pointer(&st)), 0, 0)
}
