package schemas

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestHTTPStatus(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"Invalid input is the caller's fault: 400.", Errorf(EINVALID, "wave: is required"), http.StatusBadRequest},
		{"A missing credential asks for one: 401.", Errorf(EUNAUTHORIZED, "token"), http.StatusUnauthorized},
		{"Another tenant's data is refused: 403.", Errorf(EFORBIDDEN, "tenant"), http.StatusForbidden},
		{"An unknown wave is not found: 404.", Errorf(ENOTFOUND, "wave"), http.StatusNotFound},
		{"A body over the limit is too large: 413.", Errorf(ETOOLARGE, "body"), http.StatusRequestEntityTooLarge},
		{"A backend that cannot answer now is unavailable: 503.", Errorf(EUNAVAILABLE, "kafka"), http.StatusServiceUnavailable},
		{"A wrapped code keeps its status.", fmt.Errorf("score: %w", Errorf(ENOTFOUND, "wave")), http.StatusNotFound},
		{"An error without a code is internal: 500.", errors.New("boom"), http.StatusInternalServerError},
		{"An unknown code is internal: 500.", Errorf("teapot", "x"), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTTPStatus(ErrorCode(tt.err)); got != tt.want {
				t.Errorf("HTTPStatus(%q) = %d, want %d", ErrorCode(tt.err), got, tt.want)
			}
		})
	}
}
