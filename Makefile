# `make run` builds the page and serves it; `make test` runs every test. Both install what is
# missing first (scripts/setup.sh), so they work on a fresh machine.
PORT ?= 8080
export PATH := $(CURDIR)/e2e/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
export CHROMEDRIVER := /usr/bin/chromedriver
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner

.PHONY: setup build run test test-native test-browser test-e2e size clean

setup:
	scripts/setup.sh

build: setup
	trunk build --release

run: build
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

clean:
	rm -rf dist target e2e/test-results
