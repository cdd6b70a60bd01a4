# meet — two commands on a fresh machine: `make run` and `make test`.

GO        ?= go
WEB_SRC   := $(shell find web/src web/index.html web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)

.PHONY: run test test-deps test-go test-web test-e2e build web lint tools clean fuzz

## run: build bin/meet (with the web front end when Node is installed) and serve on http://localhost:8080
run: build
	./bin/meet serve

## build: the meet binary, with the web front end embedded
build: web
	$(GO) build -o bin/meet ./cmd/meet

## web: build the front end into web/dist (skipped without npm: the binary then serves a page that says how)
web: web/dist/.built

web/dist/.built: web/package-lock.json $(WEB_SRC)
	@if command -v npm >/dev/null 2>&1; then \
		(cd web && npm ci --no-audit --no-fund && npm run build) && touch web/dist/.keep $@; \
	else echo "npm not found: the binary serves a page that says how to build it; install Node.js to build the UI"; fi

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

testdata/oidc-provider/node_modules/.package-lock.json: testdata/oidc-provider/package-lock.json
	cd testdata/oidc-provider && npm ci --no-audit --no-fund

testdata/s3rver/node_modules/.package-lock.json: testdata/s3rver/package-lock.json
	cd testdata/s3rver && npm ci --no-audit --no-fund

## test: every test — Go (race detector; PostgreSQL and Redis when MEET_TEST_DATABASE_URL / MEET_TEST_REDIS_URL are set or they answer on 127.0.0.1), web unit tests, browser tests
test: test-deps test-go test-web test-e2e

## test-deps: check for Chromium (browser tests) and ffmpeg (recording checks); says how to install what is missing
test-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium fonts-liberation"; \
	command -v ffprobe >/dev/null 2>&1 || missing="$$missing ffmpeg"; \
	if [ -n "$$missing" ]; then \
		echo "missing system packages:$$missing"; \
		echo "install them with: sudo apt-get install --no-install-recommends$$missing"; \
		exit 1; \
	fi

## test-go: Go tests with the race detector, one line per package; PostgreSQL and Redis suites when they answer (see cmd/testprogress)
test-go: testdata/oidc-provider/node_modules/.package-lock.json testdata/s3rver/node_modules/.package-lock.json
	@$(GO) run ./cmd/testprogress -total $$($(GO) list ./... | wc -l) -- -race -count=1 -timeout 30m ./...

test-web: web/node_modules/.package-lock.json
	cd web && npm test

test-e2e: web
	cd web && npm run test:e2e

## lint: gofmt, go vet, staticcheck and a go mod tidy check; ESLint on the front end (web/)
lint: web/node_modules/.package-lock.json
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt would change the files above"; exit 1)
	$(GO) vet ./...
	staticcheck ./...
	$(GO) mod tidy -diff
	cd web && npm run lint

## fuzz: run every Go fuzz target (func FuzzX in a _test.go file) for FUZZTIME each, one `go test -fuzz` per target
FUZZTIME  ?= 20s
FUZZFLAGS ?=
fuzz:
	@set -e; grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' cmd internal | sort | \
	while IFS=: read -r file fn; do \
		name=$${fn#func }; pkg=./$$(dirname $$file); \
		echo "== $$name ($$pkg) for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS) $$pkg; \
	done

clean:
	rm -rf bin web/dist/assets web/dist/.built
