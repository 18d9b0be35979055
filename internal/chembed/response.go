package chembed

import (
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"strconv"

	"github.com/ClickHouse/ch-go/compress"
	"github.com/andybalholm/brotli"
)

// frameSize bounds the uncompressed size of one ClickHouse compressed frame.
const frameSize = 1 << 20

// response writes a query's output with the encodings the request asked
// for: HTTP Content-Encoding outside, ClickHouse compressed frames inside.
type response struct {
	w       http.ResponseWriter
	req     *request
	enc     io.WriteCloser // HTTP encoder, or nil
	out     io.Writer      // enc or w
	frames  *compress.Writer
	started bool
	failed  error // first write error: the client went away
}

func newResponse(w http.ResponseWriter, req *request) *response {
	return &response{w: w, req: req}
}

// start sends the headers. size is the body length when known in advance
// and the body is sent as is; -1 otherwise.
func (r *response) start(size int) {
	if r.started {
		return
	}
	r.started = true
	h := r.w.Header()
	h.Set("Content-Type", contentType(r.req.format))
	h.Set("X-ClickHouse-Format", r.req.format)
	h.Set("X-ClickHouse-Timezone", "UTC")
	if r.req.queryID != "" {
		h.Set("X-ClickHouse-Query-Id", r.req.queryID)
	}
	r.out = r.w
	switch r.req.httpEncoding {
	case "gzip":
		r.enc = gzip.NewWriter(r.w)
	case "deflate":
		r.enc = zlib.NewWriter(r.w)
	case "br":
		r.enc = brotli.NewWriter(r.w)
	}
	if r.enc != nil {
		h.Set("Content-Encoding", r.req.httpEncoding)
		r.out = r.enc
	} else if size >= 0 && !r.req.compress {
		h.Set("Content-Length", strconv.Itoa(size))
	}
	if r.req.compress {
		r.frames = compress.NewWriter(compress.LevelZero, r.req.method)
	}
	r.w.WriteHeader(http.StatusOK)
}

// write sends b, in compressed frames when asked for. b may be C memory:
// it is not retained.
func (r *response) write(b []byte) error {
	if r.failed != nil {
		return r.failed
	}
	r.start(-1)
	for len(b) > 0 {
		n := len(b)
		if r.frames != nil && n > frameSize {
			n = frameSize
		}
		chunk := b[:n]
		b = b[n:]
		if r.frames != nil {
			if err := r.frames.Compress(chunk); err != nil {
				r.failed = err
				return err
			}
			chunk = r.frames.Data
		}
		if _, err := r.out.Write(chunk); err != nil {
			r.failed = err
			return err
		}
	}
	return nil
}

// flush pushes what was written so far to the client.
func (r *response) flush() {
	if f, ok := r.enc.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
	if f, ok := r.w.(http.Flusher); ok {
		f.Flush()
	}
}

// finish completes the body (closes the HTTP encoder).
func (r *response) finish() {
	r.start(0)
	if r.enc != nil {
		_ = r.enc.Close()
	}
}

// fail reports err: as a 4xx/5xx answer if nothing was sent yet, otherwise
// as an exception block in the body, which clickhouse-go recognises.
func (r *response) fail(err error) {
	e := asError(err)
	if !r.started {
		r.started = true
		h := r.w.Header()
		h.Set("Content-Type", "text/plain; charset=UTF-8")
		h.Set("X-ClickHouse-Exception-Code", strconv.Itoa(e.Code))
		if r.req != nil && r.req.queryID != "" {
			h.Set("X-ClickHouse-Query-Id", r.req.queryID)
		}
		r.w.WriteHeader(httpStatus(e.Code))
		_, _ = io.WriteString(r.w, e.Error()+"\n")
		return
	}
	if r.failed != nil {
		return
	}
	_, _ = io.WriteString(r.out, "\r\n__exception__\r\n"+e.Error()+"\r\n__exception__\r\n")
	if r.enc != nil {
		_ = r.enc.Close()
	}
}

func contentType(format string) string {
	switch format {
	case "TabSeparated", "TSV", "TabSeparatedWithNames", "TSVWithNames",
		"TabSeparatedWithNamesAndTypes", "TSVWithNamesAndTypes":
		return "text/tab-separated-values; charset=UTF-8"
	case "CSV", "CSVWithNames", "CSVWithNamesAndTypes":
		return "text/csv; charset=UTF-8; header=absent"
	case "JSON", "JSONCompact", "JSONEachRow", "JSONCompactEachRow", "JSONStrings", "JSONObjectEachRow":
		return "application/json; charset=UTF-8"
	case "Pretty", "PrettyCompact", "Vertical", "Markdown":
		return "text/plain; charset=UTF-8"
	default:
		return "application/octet-stream"
	}
}
