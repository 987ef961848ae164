# sNEAR: every target installs what it needs by itself.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_MODULES_STAMP := node_modules/.install-stamp

.PHONY: help install build contracts test test-unit lint format bench start localnet test-sandbox clean

help:
	@echo "make start         localnet + contracts + quote API with a demo state"
	@echo "make test          lint, type-check, build and every jest suite"
	@echo "make build         compile amm-math, localnet, api and indexer to dist/"
	@echo "make contracts     build contracts/build/<name>.js and .wasm"
	@echo "make bench         benchmarks (amm-math quotes/s, localnet calls/s, real-pool calls/s and metapool gas on wasm, vm gas fit, API req/s, indexer blocks/s)"
	@echo "make lint          biome check + tsc"
	@echo "make localnet      start localnet's JSON-RPC server"
	@echo "make test-sandbox  the scenarios on a real NEAR sandbox (NEAR_SANDBOX_BINARY_PATH)"

# npm ci only when the lock changed; install scripts are off (.npmrc), see README.
$(NODE_MODULES_STAMP): package-lock.json
	npm ci
	@touch $@

install: $(NODE_MODULES_STAMP)

build: install
	npx tsc -b amm-math localnet api indexer
	node amm-math/scripts/build-esm.mjs
	cd api && node app/build.mjs

contracts: install build
	bash contracts/scripts/build-all.sh

lint: install
	npx biome check .
	npx tsc -b amm-math localnet api indexer
	npx tsc -p api/app
	npx tsc -p contracts --noEmit
	npx tsc -p tsconfig.tests.json

format: install
	npx biome format --write .

test: install lint build contracts
	bash scripts/ensure-debian-packages.sh chromium redis-server postgresql
	bash scripts/with-postgres.sh npx jest --json --outputFile=.jest-results.json 2>&1 | tee .jest-output.log; exit $${PIPESTATUS[0]}

test-unit: install
	npx jest

bench: install build
	node bench/run.js

start: install build contracts
	node scripts/start.js

localnet: install build contracts
	node localnet/dist/cli.js

test-sandbox: install build contracts
	bash tests/sandbox/run.sh

clean:
	rm -rf */dist contracts/build .jest-results.json .jest-output.log
