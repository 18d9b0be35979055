package chembed

import (
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/ClickHouse/ch-go/compress"
	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// notSettings are URL parameters of the ClickHouse HTTP interface that are
// not query settings: they are handled here or ignored, never SET.
var notSettings = map[string]bool{
	"query": true, "database": true, "default_format": true, "query_id": true,
	"session_id": true, "session_timeout": true, "session_check": true,
	"compress": true, "decompress": true, "user": true, "password": true,
	"quota_key": true, "buffer_size": true, "wait_end_of_query": true,
	"client_protocol_version": true, "enable_http_compression": true,
	"http_zlib_compression_level": true, "network_compression_method": true,
	"network_zstd_compression_level": true, "role": true, "stacktrace": true,
	"add_http_cors_header": true, "send_progress_in_http_headers": true,
	"http_headers_progress_interval_ms":                          true,
	"http_native_compression_disable_checksumming_on_decompress": true,
}

// request is one HTTP query, parsed.
type request struct {
	sql          string            // the statement (query= and/or body)
	body         io.Reader         // INSERT data still to read, or nil
	format       string            // default output format
	database     string            // "" for the connection's default
	settings     [][2]string       // name, value; applied with SET
	params       map[string]string // param_* without the prefix
	compress     bool              // answer in ClickHouse compressed frames
	method       compress.Method   // for compress
	waitEnd      bool              // buffer the whole result (wait_end_of_query=1)
	httpEncoding string            // gzip, deflate, br for the response, or ""
	queryID      string
	revision     uint64 // client_protocol_version, 0 if absent
	readOnly     bool   // run on a read-only connection
}

// parseRequest reads the URL, headers and (when it holds SQL) the body.
// The body stays unread when it is INSERT data.
func parseRequest(r *http.Request) (*request, error) {
	q := r.URL.Query()
	req := &request{
		format:   "TabSeparated",
		database: q.Get("database"),
		params:   map[string]string{},
		compress: q.Get("compress") == "1",
		waitEnd:  q.Get("wait_end_of_query") == "1",
		queryID:  q.Get("query_id"),
	}
	if v := q.Get("client_protocol_version"); v != "" {
		rev, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return nil, newError(codeBadArguments, fmt.Sprintf("client_protocol_version %q is not a number", v))
		}
		req.revision = rev
	}
	if f := q.Get("default_format"); f != "" {
		req.format = f
	}
	if f := r.Header.Get("X-ClickHouse-Format"); f != "" {
		req.format = f
	}
	if db := r.Header.Get("X-ClickHouse-Database"); db != "" && req.database == "" {
		req.database = db
	}
	if !isIdentifier(req.format) {
		return nil, newError(codeUnknownFormat, fmt.Sprintf("Unknown format %q", req.format))
	}
	req.method = compress.LZ4
	if m := strings.ToUpper(q.Get("network_compression_method")); m == "ZSTD" {
		req.method = compress.ZSTD
	} else if m != "" && m != "LZ4" {
		return nil, newError(codeBadArguments, fmt.Sprintf("network_compression_method %q is not supported (LZ4 or ZSTD)", m))
	}
	if q.Get("enable_http_compression") != "0" {
		req.httpEncoding = pickEncoding(r.Header.Get("Accept-Encoding"))
	}
	for k, vs := range q {
		switch {
		case strings.HasPrefix(k, "param_"):
			req.params[strings.TrimPrefix(k, "param_")] = vs[len(vs)-1]
		case notSettings[k]:
		case !isIdentifier(k):
			return nil, newError(codeUnknownSetting, fmt.Sprintf("URL parameter %q is neither a known parameter nor a setting name", k))
		default:
			req.settings = append(req.settings, [2]string{k, vs[len(vs)-1]})
		}
	}
	sort.Slice(req.settings, func(i, j int) bool { return req.settings[i][0] < req.settings[j][0] })

	body, err := decodeBody(r, q.Get("decompress") == "1")
	if err != nil {
		return nil, err
	}
	text := q.Get("query")
	if text == "" {
		// SQL in the body; INSERT inline data, if any, is cut out later.
		b, err := io.ReadAll(body)
		if err != nil {
			return nil, newError(codeCannotParseInput, "read request body: "+err.Error())
		}
		req.sql = string(b)
	} else {
		req.sql = text
		if firstKeyword(text) == "INSERT" {
			req.body = body
		} else if b, err := io.ReadAll(body); err != nil {
			return nil, newError(codeCannotParseInput, "read request body: "+err.Error())
		} else if len(b) > 0 {
			// ClickHouse appends the body to query= for other statements.
			req.sql = text + "\n" + string(b)
		}
	}
	if strings.TrimSpace(req.sql) == "" {
		return nil, newError(codeSyntaxError, "Empty query")
	}
	return req, nil
}

// pickEncoding chooses the response Content-Encoding from Accept-Encoding.
func pickEncoding(accept string) string {
	for _, part := range strings.Split(accept, ",") {
		enc := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		switch enc {
		case "gzip", "deflate", "br":
			return enc
		}
	}
	return ""
}

// decodeBody undoes the request's Content-Encoding and, with decompress=1,
// ClickHouse's compressed framing.
func decodeBody(r *http.Request, framed bool) (io.Reader, error) {
	var body io.Reader = r.Body
	switch enc := strings.ToLower(r.Header.Get("Content-Encoding")); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, newError(codeCannotParseInput, "gzip request body: "+err.Error())
		}
		body = zr
	case "deflate":
		zr, err := zlib.NewReader(body)
		if err != nil {
			return nil, newError(codeCannotParseInput, "deflate request body: "+err.Error())
		}
		body = zr
	case "br":
		body = brotli.NewReader(body)
	case "zstd":
		zr, err := zstd.NewReader(body)
		if err != nil {
			return nil, newError(codeCannotParseInput, "zstd request body: "+err.Error())
		}
		body = zr.IOReadCloser()
	default:
		return nil, newError(codeBadArguments, fmt.Sprintf("Content-Encoding %q is not supported (gzip, deflate, br, zstd)", enc))
	}
	if framed {
		body = frameReader{compress.NewReader(body)}
	}
	return body, nil
}

// frameReader reads ClickHouse compressed frames, reporting a clean end of
// input (no bytes of a next frame header) as io.EOF.
type frameReader struct{ r *compress.Reader }

func (f frameReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}
