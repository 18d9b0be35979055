# Bussola: the two commands a newcomer runs are `make demo` and `make test`.
GO       ?= go
BIN      := bin/bussola
DATA_DIR ?= bussola-data

.PHONY: setup build demo test test-short bench vet staticcheck clean

setup:
	./scripts/setup.sh

build:
	$(GO) build -o $(BIN) ./cmd/bussola

## demo: install what is missing, build, start the embedded Kafka and
## ClickHouse, load the generated demo data through the intake and serve
## http://127.0.0.1:8080 until Ctrl-C.
demo: setup build
	./$(BIN) demo --data-dir $(DATA_DIR)

## test: everything CI runs (.ci/run calls exactly this).
test: setup
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(GO) test -race -count=1 -timeout 45m ./...

## bench: the ingest benchmark (end to end, consumer path, engine) plus the
## statistics benchmarks; prints figures, never fails on a time.
bench: setup build
	./$(BIN) bench ingest --events 1000000
	$(GO) test -run '^$$' -bench . -benchtime 3x ./assessment/ ./analytics/

clean:
	rm -rf bin $(DATA_DIR)
