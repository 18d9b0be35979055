package chembed

import (
	"fmt"
	"strings"
)

// This file reads just enough SQL to route a request: where a statement
// ends, what its first keyword is, and the parts of an INSERT. It skips
// string literals, quoted identifiers, heredocs and comments, so a `;` or a
// keyword inside them is never mistaken for structure. Token boundaries
// follow ClickHouse's own lexer (src/Parsers/Lexer.cpp): the guard in
// guard.go relies on seeing the same tokens the engine sees.

// scanner walks SQL text token boundary by token boundary.
type scanner struct {
	s string
	i int
}

// skipSpace moves past whitespace and comments: --, // and "# " or "#!"
// to the end of the line, and nested /* */. Every byte outside ASCII counts
// as space here: ClickHouse skips Unicode whitespace between tokens and
// refuses other non-ASCII bytes outside quotes, so treating them as space
// can only make a name look adjacent to a parenthesis, never hide one.
func (sc *scanner) skipSpace() {
	for sc.i < len(sc.s) {
		c := sc.s[sc.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c >= 0x80:
			sc.i++
		case strings.HasPrefix(sc.s[sc.i:], "--"), strings.HasPrefix(sc.s[sc.i:], "//"),
			strings.HasPrefix(sc.s[sc.i:], "# "), strings.HasPrefix(sc.s[sc.i:], "#!"):
			sc.skipLine()
		case strings.HasPrefix(sc.s[sc.i:], "/*"):
			sc.skipBlockComment()
		default:
			return
		}
	}
}

func (sc *scanner) skipLine() {
	if j := strings.IndexByte(sc.s[sc.i:], '\n'); j >= 0 {
		sc.i += j + 1
		return
	}
	sc.i = len(sc.s)
}

// skipBlockComment skips a /* */ comment; ClickHouse allows nesting.
func (sc *scanner) skipBlockComment() {
	depth := 0
	for sc.i < len(sc.s) {
		switch {
		case strings.HasPrefix(sc.s[sc.i:], "/*"):
			depth++
			sc.i += 2
		case strings.HasPrefix(sc.s[sc.i:], "*/"):
			depth--
			sc.i += 2
			if depth == 0 {
				return
			}
		default:
			sc.i++
		}
	}
}

// skipQuoted skips a literal opened by quote q ('...', "...", `...`), with
// backslash escapes and doubled quotes.
func (sc *scanner) skipQuoted(q byte) {
	sc.i++
	for sc.i < len(sc.s) {
		c := sc.s[sc.i]
		switch {
		case c == '\\':
			sc.i = min(sc.i+2, len(sc.s)) // an escape at the very end stays unclosed
		case c == q && sc.i+1 < len(sc.s) && sc.s[sc.i+1] == q:
			sc.i += 2
		case c == q:
			sc.i++
			return
		default:
			sc.i++
		}
	}
}

// word reads a bare word (identifier or keyword) at the cursor; "" if none.
// A word that starts with a digit (a number, or a word like 1abc) stops at
// '$', where ClickHouse's lexer starts a new token.
func (sc *scanner) word() string {
	j := sc.i
	digitLed := j < len(sc.s) && sc.s[j] >= '0' && sc.s[j] <= '9'
	for j < len(sc.s) && isWordByte(sc.s[j]) && !(digitLed && sc.s[j] == '$') {
		j++
	}
	w := sc.s[sc.i:j]
	sc.i = j
	return w
}

// isWordByte reports the bytes ClickHouse's lexer puts in a bare word:
// ASCII letters, digits, '_' and '$'.
func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// heredoc reports the end of a heredoc ($tag$ ... $tag$) starting at the
// cursor, which holds a '$'. As in ClickHouse's lexer the tag is whatever
// lies up to the next '$', and the heredoc ends at the next copy of it.
func (sc *scanner) heredoc() (end int, ok bool) {
	rest := sc.s[sc.i:]
	j := strings.IndexByte(rest[1:], '$')
	if j < 0 {
		return 0, false
	}
	tag := rest[:j+2]
	k := strings.Index(rest[len(tag):], tag)
	if k < 0 {
		return 0, false
	}
	return sc.i + len(tag) + k + len(tag), true
}

// next advances past one token: a literal, a word, a comment run or one
// other byte. It reports the byte the token started with.
func (sc *scanner) next() byte {
	sc.skipSpace()
	if sc.i >= len(sc.s) {
		return 0
	}
	c := sc.s[sc.i]
	switch {
	case c == '\'' || c == '"' || c == '`':
		sc.skipQuoted(c)
	case c == '$':
		if end, ok := sc.heredoc(); ok {
			sc.i = end
			return '\''
		}
		sc.word()
	case isWordByte(c):
		sc.word()
	default:
		sc.i++
	}
	return c
}

// singleStatement returns sql without a trailing `;` (and the whitespace or
// comments after it). Several statements are refused, as a ClickHouse server
// refuses them over HTTP; chDB alone would run them all.
func singleStatement(sql string) (string, error) {
	sc := &scanner{s: sql}
	for {
		start := sc.i
		c := sc.next()
		if c == 0 {
			return strings.TrimSpace(sql), nil
		}
		if c != ';' {
			continue
		}
		sc.skipSpace()
		for sc.i < len(sc.s) && sc.s[sc.i] == ';' {
			sc.i++
			sc.skipSpace()
		}
		if sc.i >= len(sc.s) {
			return strings.TrimSpace(sql[:start]), nil
		}
		return "", newError(codeSyntaxError, fmt.Sprintf(
			"Syntax error (Multi-statements are not allowed): failed at position %d (end of query): %.40q",
			start+1, sql[start:]))
	}
}

// firstKeyword returns the first word of sql in upper case, skipping
// comments and opening parentheses.
func firstKeyword(sql string) string {
	sc := &scanner{s: sql}
	for {
		sc.skipSpace()
		if sc.i < len(sc.s) && sc.s[sc.i] == '(' {
			sc.i++
			continue
		}
		return strings.ToUpper(sc.word())
	}
}

// insertParts is an INSERT statement cut where data or a SELECT begins.
type insertParts struct {
	head     string // "INSERT INTO t (a, b)"
	settings string // "SETTINGS k = v, ..." or ""
	format   string // format name, "Values" for VALUES; "" for INSERT ... SELECT
	data     string // inline data following FORMAT x / VALUES, if any
}

// parseInsert cuts an INSERT statement into its parts. ok is false for
// INSERT ... SELECT (and anything else that carries no data of its own):
// such statements run as they are.
func parseInsert(sql string) (p insertParts, ok bool) {
	sc := &scanner{s: sql}
	depth := 0
	headEnd, settingsStart := -1, -1
	for {
		sc.skipSpace()
		start := sc.i
		c := sc.next()
		switch {
		case c == 0:
			return p, false
		case c == '(':
			depth++
			continue
		case c == ')':
			depth--
			continue
		case depth != 0 || !isWordByte(c):
			continue
		}
		kw := strings.ToUpper(sql[start:sc.i])
		switch kw {
		case "SETTINGS":
			if headEnd < 0 {
				headEnd, settingsStart = start, start
			}
		case "SELECT", "WITH", "FROM":
			// INSERT ... SELECT and INSERT ... FROM INFILE carry no data.
			return p, false
		case "FORMAT":
			if headEnd < 0 {
				headEnd = start
			}
			sc.skipSpace()
			p.format = sc.word()
			return finishInsert(sql, sc.i, headEnd, settingsStart, start, p)
		case "VALUES":
			if headEnd < 0 {
				headEnd = start
			}
			p.format = "Values"
			return finishInsert(sql, sc.i, headEnd, settingsStart, start, p)
		}
	}
}

// finishInsert fills head, settings and inline data once FORMAT or VALUES
// has been found at kwStart, with the data starting after dataStart.
func finishInsert(sql string, dataStart, headEnd, settingsStart, kwStart int, p insertParts) (insertParts, bool) {
	p.head = strings.TrimSpace(sql[:headEnd])
	if settingsStart >= 0 {
		p.settings = strings.TrimSpace(sql[settingsStart:kwStart])
	}
	rest := sql[dataStart:]
	if p.format != "Values" {
		// ClickHouse skips the whitespace up to and including the first
		// line break between FORMAT x and inline data.
		rest = strings.TrimLeft(rest, " \t")
		rest = strings.TrimPrefix(rest, "\r")
		rest = strings.TrimPrefix(rest, "\n")
	}
	p.data = rest
	return p, true
}

// quoteString renders s as a ClickHouse string literal.
func quoteString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(s) + "'"
}

// isIdentifier reports whether s is a plain identifier, safe to splice into
// SQL unquoted (setting names, format names).
func isIdentifier(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
