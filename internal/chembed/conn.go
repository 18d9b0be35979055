package chembed

import (
	"runtime"
	"unsafe"
)

// chConn is one chDB connection. It is owned by at most one request at a
// time (the pool hands it out); chDB silently truncates a stream if another
// query runs on its connection, so ownership lasts until the stream ends.
type chConn struct {
	l   *lib
	ptr *uintptr // chdb_connection* as returned by chdb_connect
	db  string   // current database; "" when unknown

	readOnly bool // readonly = 2 for the connection's life
}

// result is a chDB query result living in C memory until free.
type result struct {
	l *lib
	r chdbResult
}

// bytes views the result buffer in place (C memory, valid until free).
func (r *result) bytes() []byte {
	n := r.l.resultLength(r.r)
	if n == 0 {
		return nil
	}
	return unsafe.Slice(r.l.resultBuffer(r.r), n)
}

func (r *result) rowsWritten() uint64 { return r.l.rowsWritten(r.r) }

func (r *result) free() {
	if r.r != 0 {
		r.l.destroyResult(r.r)
		r.r = 0
	}
}

// check converts a result into an error if chDB reported one; the result
// is freed in that case.
func (c *chConn) check(r chdbResult) (*result, error) {
	if r == 0 {
		return nil, newError(codeUnknownException, "chDB returned no result")
	}
	res := &result{l: c.l, r: r}
	if msg := c.l.resultError(r); msg != "" {
		res.free()
		return nil, parseChdbError(msg)
	}
	return res, nil
}

// query runs sql and returns its whole output in format.
func (c *chConn) query(sql, format string) (*result, error) {
	r := c.l.queryN(*c.ptr, unsafe.StringData(sql), uintptr(len(sql)), unsafe.StringData(format), uintptr(len(format)))
	runtime.KeepAlive(sql)
	runtime.KeepAlive(format)
	return c.check(r)
}

// exec runs sql and discards its output.
func (c *chConn) exec(sql string) error {
	res, err := c.query(sql, "TabSeparated")
	if err != nil {
		return err
	}
	res.free()
	return nil
}

// queryParams runs sql with query parameters ({name:Type} placeholders);
// values are in ClickHouse's escaped text form, as param_* URL values are.
func (c *chConn) queryParams(sql, format string, params map[string]string) (*result, error) {
	n := len(params)
	if n == 0 {
		return c.query(sql, format)
	}
	names := make([]*byte, 0, n)
	nameLens := make([]uintptr, 0, n)
	values := make([]*byte, 0, n)
	valueLens := make([]uintptr, 0, n)
	var pin runtime.Pinner
	defer pin.Unpin()
	add := func(ptrs *[]*byte, lens *[]uintptr, s string) {
		b := append([]byte(s), 0) // never nil, NUL-terminated for good measure
		pin.Pin(&b[0])
		*ptrs = append(*ptrs, &b[0])
		*lens = append(*lens, uintptr(len(s)))
	}
	for k, v := range params {
		add(&names, &nameLens, k)
		add(&values, &valueLens, v)
	}
	r := c.l.queryWithParamsN(*c.ptr, unsafe.StringData(sql), uintptr(len(sql)),
		unsafe.StringData(format), uintptr(len(format)),
		&names[0], &nameLens[0], &values[0], &valueLens[0], uintptr(n))
	runtime.KeepAlive(sql)
	runtime.KeepAlive(format)
	runtime.KeepAlive(names)
	runtime.KeepAlive(values)
	runtime.KeepAlive(nameLens)
	runtime.KeepAlive(valueLens)
	return c.check(r)
}

// stream is an open chDB streaming query. The connection must not run
// anything else until close.
type stream struct {
	c *chConn
	h chdbResult
}

// streamQuery starts sql as a streaming query.
func (c *chConn) streamQuery(sql, format string) (*stream, error) {
	r := c.l.streamQueryN(*c.ptr, unsafe.StringData(sql), uintptr(len(sql)), unsafe.StringData(format), uintptr(len(format)))
	runtime.KeepAlive(sql)
	runtime.KeepAlive(format)
	res, err := c.check(r)
	if err != nil {
		return nil, err
	}
	return &stream{c: c, h: res.r}, nil
}

// next returns the next chunk of output; nil with nil error at the end.
func (s *stream) next() (*result, error) {
	res, err := s.c.check(s.c.l.streamFetch(*s.c.ptr, s.h))
	if err != nil {
		return nil, err
	}
	if s.c.l.resultLength(res.r) == 0 {
		res.free()
		return nil, nil
	}
	return res, nil
}

// cancel stops a stream that will not be read to its end.
func (s *stream) cancel() {
	if s.h != 0 {
		s.c.l.streamCancel(*s.c.ptr, s.h)
	}
}

// close releases the stream handle.
func (s *stream) close() {
	if s.h != 0 {
		s.c.l.destroyResult(s.h)
		s.h = 0
	}
}
