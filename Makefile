# stg — see README.md. `make test` is the one command CI runs.
GO      ?= go
BIN     ?= bin/stg
TIMEOUT ?= 25m
PREFIX  ?= /usr/local
DIST    ?= dist
PLATFORMS ?= linux/amd64 linux/arm64 darwin/arm64 freebsd/amd64

# What `stg --version` says: the release (git describe), the commit and the
# commit's date (not the time of the build, so that two builds of one
# commit are the same bytes).
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)
DATE    ?= $(shell TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd 2>/dev/null)
LDFLAGS := -s -w -buildid= \
	-X github.com/stg-project/stg/internal/cli.linkedVersion=$(VERSION) \
	-X github.com/stg-project/stg/internal/cli.linkedCommit=$(COMMIT) \
	-X github.com/stg-project/stg/internal/cli.linkedDate=$(DATE)

.PHONY: build test check bench demo deps lint install dist dist-check

# build makes a static, stripped binary, as the cmd/stg tests do: no libc to
# match on the jump host, and about 1.5 MB less resident memory than cgo.
build:
	CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=false -ldflags='$(LDFLAGS)' -o $(BIN) ./cmd/stg

# install puts the binary, the manual page and the completion scripts under
# PREFIX (DESTDIR for packaging).
install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/stg
	./$(BIN) man > $(DESTDIR)$(PREFIX)/share/man/man1/stg.1
	./$(BIN) completion bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/stg
	./$(BIN) completion zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_stg
	./$(BIN) completion fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/stg.fish

# dist makes a static binary per platform, dist/stg-VERSION-OS-ARCH, and
# their SHA256SUMS. The builds are reproducible: -trimpath keeps the paths
# of this machine out, -buildid= and the commit's date keep them the same
# from build to build (dist-check proves it).
dist:
	rm -rf $(DIST) && mkdir -p $(DIST)
	for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -buildvcs=false -ldflags='$(LDFLAGS)' \
			-o $(DIST)/stg-$(VERSION)-$$os-$$arch ./cmd/stg || exit 1; \
	done
	cd $(DIST) && sha256sum stg-* > SHA256SUMS

# dist-check builds dist twice, from two copies of the tree at different
# paths, and fails unless the SHA256SUMS are the same and no binary holds
# the path it was built in.
dist-check:
	./scripts/dist-check.sh

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

# bench measures stg beside its peers on loopback agents (about 10 minutes),
# prints one table and writes it into BENCHMARKS.md.
bench: deps build
	$(GO) run ./cmd/stg-bench --stg $(BIN) --out BENCHMARKS.md

demo: build
	./$(BIN) demo
