# Quick start on a fresh Debian machine: `make demo`, `make test`.
# Each target installs the Debian packages it needs (as root, or through sudo) before building.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_PACKAGES := pkg-config libsqlite3-dev zlib1g-dev sqlite3 python3-pil

.PHONY: demo test deps build release bench

deps:
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6.2 or newer is needed on PATH (https://www.swift.org/install/linux/)"; exit 1; }
	@missing=""; for package in $(DEBIAN_PACKAGES); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

bench: release
	.build/release/wallboard bench

demo: release
	.build/release/wallboard demo
