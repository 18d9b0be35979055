package chembed

import (
	"fmt"
	"io"
	"os"
	"strconv"
)

// insert runs an INSERT whose data comes inline after FORMAT/VALUES and/or
// in the request body. The data is spooled to a temporary file and read
// with INSERT ... FROM INFILE: appending data to query text is unsafe with
// chDB (an empty line ends inline data and the rest runs as SQL).
func (s *Server) insert(c *chConn, req *request, p insertParts, resp *response) error {
	if !isIdentifier(p.format) {
		return newError(codeUnknownFormat, fmt.Sprintf("Unknown format %q in INSERT", p.format))
	}
	if evaluatesExpressions(p.format) {
		// Values data are SQL expressions: the guard reads them whole, inline
		// part and body together, as the engine will.
		data := p.data
		if req.body != nil {
			b, err := io.ReadAll(req.body)
			if err != nil {
				return newError(codeCannotParseInput, "read INSERT data from request body: "+err.Error())
			}
			data += string(b)
			req.body = nil
		}
		if err := guardSQL(data); err != nil {
			return err
		}
		p.data = data
	}
	f, err := os.CreateTemp(s.spoolDir, "chembed-insert-*.data")
	if err != nil {
		return fmt.Errorf("spool INSERT data: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := io.WriteString(f, p.data); err != nil {
		f.Close()
		return fmt.Errorf("spool INSERT data: %w", err)
	}
	if req.body != nil {
		if _, err := io.Copy(f, req.body); err != nil {
			f.Close()
			return newError(codeCannotParseInput, "read INSERT data from request body: "+err.Error())
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("spool INSERT data: %w", err)
	}
	sql := p.head + " FROM INFILE " + quoteString(f.Name())
	if p.settings != "" {
		sql += " " + p.settings
	}
	sql += " FORMAT " + p.format
	res, err := c.query(sql, "TabSeparated")
	if err != nil {
		return err
	}
	written := res.rowsWritten()
	res.free()
	resp.w.Header().Set("X-ClickHouse-Summary",
		`{"read_rows":"0","read_bytes":"0","written_rows":"`+strconv.FormatUint(written, 10)+`","written_bytes":"0","total_rows_to_read":"0","result_rows":"0","result_bytes":"0"}`)
	resp.start(0)
	resp.finish()
	return nil
}
