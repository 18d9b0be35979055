package text

// Entry is one diary text with its writer and the period it counts in
// (an index among the caller's periods, for example 0 before a pilot's
// start and 1 after).
type Entry struct {
	Writer uint64
	Period int
	Text   string
}

// writerChunks splits entries ordered by writer into at most n runs of
// about equal length that never split a writer.
func writerChunks(entries []Entry, n int) [][]Entry {
	var out [][]Entry
	for len(entries) > 0 && n > 0 {
		end := (len(entries) + n - 1) / n
		for end < len(entries) && entries[end].Writer == entries[end-1].Writer {
			end++
		}
		out = append(out, entries[:end])
		entries, n = entries[end:], n-1
	}
	return out
}
