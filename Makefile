# `make run` builds the page and the reference admin server and serves both; `make test` runs
# every test. Both install what is missing first (scripts/setup.sh), so they work on a fresh
# machine. `make run-static` serves the page alone, keeping configurations in the browser.
PORT ?= 8080
export PATH := $(CURDIR)/e2e/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
export CHROMEDRIVER := /usr/bin/chromedriver
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner

.PHONY: setup build run run-static test test-native test-browser test-e2e size bench clean

setup:
	scripts/setup.sh

build: setup
	trunk build --release
	trunk build --release --config embed/Trunk.toml
	cargo build --profile server -p oauth2-admin-server

run: build
	target/server/oauth2-admin-server --bind 127.0.0.1:$(PORT) --dist dist

run-static: build
	node e2e/serve.mjs --dir dist --port $(PORT)

test: setup test-native test-browser test-e2e

test-native:
	cargo test --workspace

test-browser:
	cargo test --target wasm32-unknown-unknown -p oauth2-admin --test browser

test-e2e: build
	cd e2e && node --test --test-concurrency=1 *.test.mjs

size: build
	scripts/size.sh dist
	scripts/size.sh dist/embed

bench: build
	scripts/bench-server.sh

clean:
	rm -rf dist target e2e/test-results
