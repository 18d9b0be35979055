package chembed

import (
	"context"
	"strings"
)

// execute runs one parsed request on an exclusively held connection.
func (s *Server) execute(ctx context.Context, req *request, resp *response) error {
	c, err := s.eng.acquire(ctx, req.readOnly)
	if err != nil {
		return err
	}
	defer s.eng.release(c)

	if err := useDatabase(c, req.database); err != nil {
		return err
	}
	if len(req.settings) > 0 {
		if err := c.exec(setStatement(req.settings, false)); err != nil {
			// SET may have applied the settings before the bad one.
			for _, kv := range req.settings {
				_ = c.exec(setStatement([][2]string{kv}, true))
			}
			return err
		}
		defer func() {
			if err := c.exec(setStatement(req.settings, true)); err != nil {
				s.log.Warn("reset request settings", "err", err)
			}
		}()
	}

	kw := firstKeyword(req.sql)
	if kw == "INSERT" {
		if p, ok := parseInsert(req.sql); ok {
			return s.insert(c, req, p, resp)
		}
	}
	sql, err := singleStatement(req.sql)
	if err != nil {
		return err
	}
	if sql == handshakeSQL {
		if req.revision > 0 && req.format == "Native" && len(req.params) == 0 {
			b, err := handshakeBlock(c, req.revision)
			if err != nil {
				return err
			}
			resp.start(len(b))
			_ = resp.write(b)
			resp.finish()
			return nil
		}
		sql = handshakeAnswerSQL
	}
	switch kw {
	case "USE":
		c.db = "" // a USE statement changes the connection; re-apply next time
	case "SET":
		// Over HTTP without a session, SET lasts for its own request only,
		// i.e. it has no effect; on a pooled connection it would leak.
		resp.start(0)
		resp.finish()
		return nil
	}
	if len(req.params) > 0 || req.waitEnd || !streams(kw) {
		var res *result
		if len(req.params) > 0 {
			res, err = c.queryParams(sql, req.format, req.params)
		} else {
			res, err = c.query(sql, req.format)
		}
		if err != nil {
			return err
		}
		defer res.free()
		b := res.bytes()
		resp.start(len(b))
		if err := resp.write(b); err != nil {
			return nil // the client went away; nothing to report to
		}
		resp.finish()
		return nil
	}
	return streamResult(ctx, c, sql, req.format, resp)
}

// streams tells which statements produce results worth streaming.
func streams(kw string) bool {
	switch kw {
	case "SELECT", "WITH":
		return true
	}
	return false
}

// streamResult sends a query's output chunk by chunk as chDB produces it.
// The first chunk is fetched before any header goes out, so an error at
// the start still gets a proper error status.
func streamResult(ctx context.Context, c *chConn, sql, format string, resp *response) error {
	st, err := c.streamQuery(sql, format)
	if e, ok := err.(*Error); ok && e.Code == codeBadArguments && strings.HasPrefix(e.Message, "Streaming query is not supported") {
		res, err := c.query(sql, format)
		if err != nil {
			return err
		}
		defer res.free()
		b := res.bytes()
		resp.start(len(b))
		_ = resp.write(b)
		resp.finish()
		return nil
	}
	if err != nil {
		return err
	}
	defer st.close()
	first := true
	for {
		if ctx.Err() != nil {
			st.cancel()
			return nil
		}
		chunk, err := st.next()
		if err != nil {
			return err
		}
		if chunk == nil {
			if first {
				resp.start(0)
			}
			resp.finish()
			return nil
		}
		first = false
		werr := resp.write(chunk.bytes())
		chunk.free()
		if werr != nil {
			st.cancel()
			return nil
		}
		resp.flush()
	}
}

// useDatabase switches the connection to db ("" means default).
func useDatabase(c *chConn, db string) error {
	if db == "" {
		db = "default"
	}
	if c.db == db {
		return nil
	}
	if err := c.exec("USE " + quoteIdent(db)); err != nil {
		c.db = ""
		return err
	}
	c.db = db
	return nil
}

// setStatement builds SET a = 'x', b = 'y' (or SET a = DEFAULT, ...).
// Values go in as string literals; ClickHouse converts them to the
// setting's type as it does for URL settings.
func setStatement(settings [][2]string, reset bool) string {
	parts := make([]string, len(settings))
	for i, kv := range settings {
		if reset {
			parts[i] = kv[0] + " = DEFAULT"
		} else {
			parts[i] = kv[0] + " = " + quoteString(kv[1])
		}
	}
	return "SET " + strings.Join(parts, ", ")
}

func quoteIdent(s string) string {
	return "`" + strings.NewReplacer("\\", "\\\\", "`", "\\`").Replace(s) + "`"
}

// errUnavailable is answered while the server is set unavailable.
var errUnavailable = newError(codeNetworkError, "embedded ClickHouse is unavailable (NETWORK_ERROR)")
