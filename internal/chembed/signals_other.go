//go:build !(linux && (amd64 || arm64))

package chembed

// signalSnapshot is a no-op where the kernel sigaction layout is not known;
// chDB ships libchdb for linux/amd64 and linux/arm64 only.
type signalSnapshot struct{}

func snapshotSignals() *signalSnapshot { return &signalSnapshot{} }

func (s *signalSnapshot) restore() {}

type stackT struct{}

func altStack() (stackT, bool) { return stackT{}, false }

func setAltStack(stackT) {}
