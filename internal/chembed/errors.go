package chembed

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// ClickHouse error codes this package produces or maps to HTTP statuses.
const (
	codeUnknownIdentifier = 47
	codeUnknownTable      = 60
	codeSyntaxError       = 62
	codeUnknownFormat     = 73
	codeUnknownDatabase   = 81
	codeUnknownSetting    = 115
	codeNetworkError      = 210
	codeBadArguments      = 36
	codeCannotParseInput  = 27
	codeTypeMismatch      = 53
	codeTimeoutExceeded   = 159
	codeQueryWasCancelled = 394
	codeReadonly          = 164
	codeAccessDenied      = 497
	codeAuthFailed        = 516
	codeUnknownException  = 1002
)

// Error is a ClickHouse exception: a code and the message, as the server
// would send it ("Code: N. DB::Exception: ...").
type Error struct {
	Code    int
	Message string // without the "Code: N. DB::Exception: " prefix
}

func (e *Error) Error() string {
	return fmt.Sprintf("Code: %d. DB::Exception: %s", e.Code, e.Message)
}

func newError(code int, msg string) *Error { return &Error{Code: code, Message: msg} }

var codeRe = regexp.MustCompile(`^Code:\s*(\d+)\.\s*(?:DB::Exception:\s*)?`)

// parseChdbError turns chDB's error text into an *Error. chDB sometimes
// nests the prefix ("Code: 73. DB::Exception: Code: 73. DB::Exception: ...");
// the outer code is kept and the message is the text after the outer prefix.
func parseChdbError(text string) *Error {
	text = strings.TrimSpace(text)
	m := codeRe.FindStringSubmatch(text)
	if m == nil {
		return newError(codeUnknownException, text)
	}
	code, err := strconv.Atoi(m[1])
	if err != nil {
		return newError(codeUnknownException, text)
	}
	return newError(code, text[len(m[0]):])
}

// asError returns err as an *Error, wrapping anything else as an unknown
// exception so every failure reaches the client in ClickHouse's shape.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return newError(codeUnknownException, err.Error())
}

// httpStatus maps a ClickHouse code to the HTTP status a ClickHouse server
// would answer with (the common cases; everything else is 500).
func httpStatus(code int) int {
	switch code {
	case codeUnknownTable, codeUnknownDatabase:
		return http.StatusNotFound
	case codeSyntaxError, codeUnknownIdentifier, codeUnknownFormat, codeUnknownSetting,
		codeBadArguments, codeCannotParseInput, codeTypeMismatch:
		return http.StatusBadRequest
	case codeAuthFailed:
		return http.StatusUnauthorized
	case codeAccessDenied, codeReadonly:
		return http.StatusForbidden
	case codeTimeoutExceeded:
		return http.StatusGatewayTimeout
	case codeNetworkError:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}
