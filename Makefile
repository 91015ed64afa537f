# stg — see README.md. `make test` is the one command CI runs.
GO      ?= go
BIN     ?= bin/stg
TIMEOUT ?= 25m

.PHONY: build test check bench demo deps lint

# build makes a static, stripped binary, as the cmd/stg tests do: no libc to
# match on the jump host, and about 1.5 MB less resident memory than cgo.
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags='-s -w' -o $(BIN) ./cmd/stg

deps:
	./scripts/install-deps.sh

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

test: deps lint
	$(GO) test -race -count=1 -timeout $(TIMEOUT) ./...

# check is the fast loop: gofmt, go vet and every test that starts no agent
# daemon (snmpsimd, snmpd, sshd), no tmux and no network namespace, so it
# needs none of them installed. `make test` runs those too.
check: lint
	$(GO) test -short -count=1 ./...

# bench measures stg beside its peers on loopback agents (under 10 minutes),
# prints one table and writes it into BENCHMARKS.md.
bench: deps build
	$(GO) run ./cmd/stg-bench --stg $(BIN) --out BENCHMARKS.md

demo: build
	./$(BIN) demo
