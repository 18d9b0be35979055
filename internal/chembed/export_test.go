package chembed

import "context"

// QueryDirect runs sql straight on the engine, bypassing HTTP, and returns
// the size of its output in format. Tests and benchmarks only.
func QueryDirect(s *Server, sql, format string) (int, error) {
	c, err := s.eng.acquire(context.Background(), false)
	if err != nil {
		return 0, err
	}
	defer s.eng.release(c)
	res, err := c.query(sql, format)
	if err != nil {
		return 0, err
	}
	defer res.free()
	return len(res.bytes()), nil
}
