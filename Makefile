# Quick start on a fresh Debian machine: `make demo`, `make test`.
# Each target installs the Debian packages it needs (as root, or through sudo) before building.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Build: pkg-config, SQLite (GRDB), zlib (PNG), libusb (USB boards).
# Tests: the sqlite3 program (a writer in another process), Pillow (an independent PNG/GIF reader)
# and headless Chromium (the browser preview checked against the frames).
DEBIAN_PACKAGES := pkg-config libsqlite3-dev zlib1g-dev libusb-1.0-0-dev sqlite3 python3-pil chromium
WALLBOARD := .build/release/wallboard

.PHONY: demo test deps build release bench fonts soak

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

# Serially: several suites time real devices and a writer process, and would starve one another on two cores.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --no-parallel

bench: release
	$(WALLBOARD) bench

# A simulated 24-hour dispatch day at 20x speed (72 minutes) through the service and 50 emulated
# door boards; fails if memory or descriptors grow or a dispatch never reaches its station's boards.
SOAK_HOURS ?= 24
SOAK_SPEED ?= 20
soak: release
	$(WALLBOARD) soak --boards 50 --hours $(SOAK_HOURS) --speed $(SOAK_SPEED)

# Rebuilds Fonts/ from Debian's font packages (the results are committed).
fonts:
	Fonts/build-fonts.sh

# The whole system on the embedded default: a simulated 120 centre in a fresh database, the
# service, the wall and door boards in the browser, and serial boards played by emulators on
# pseudo-terminals. Prints the URL; Ctrl-C stops everything.
demo: release
	$(WALLBOARD) demo

# Fuzzing with libFuzzer and AddressSanitizer: the parsers and decoders that take bytes from
# outside (BDF fonts, every board protocol's decoder through its emulator, controller text).
# `make fuzz` runs each target for FUZZ_RUNS executions; `make fuzz-smoke` a short pass.
FUZZ_DIR := .build-fuzz
FUZZ_MODULES := WallboardRender WallboardText WallboardProtocols WallboardEmulator
FUZZ_TARGETS := bdf onbon-font-card onbon-graphic alpha tpm2 controller-text dream-cheeky
FUZZ_RUNS ?= 1000000

.PHONY: fuzz fuzz-smoke fuzz-build

fuzz-build: deps
	@mkdir -p $(FUZZ_DIR)
	@for module in $(FUZZ_MODULES); do \
	  echo "compiling $$module with -sanitize=fuzzer,address"; \
	  swiftc -wmo -c -parse-as-library -O -sanitize=fuzzer,address -module-name $$module -I $(FUZZ_DIR) \
	    Sources/$$module/*.swift -emit-module -emit-module-path $(FUZZ_DIR)/$$module.swiftmodule \
	    -o $(FUZZ_DIR)/$$module.o || exit 1; \
	done
	swiftc -parse-as-library -O -sanitize=fuzzer,address -I $(FUZZ_DIR) Tests/Fuzz/FuzzTargets.swift \
	  $(foreach module,$(FUZZ_MODULES),$(FUZZ_DIR)/$(module).o) -o $(FUZZ_DIR)/wallboard-fuzz 2>&1 | grep -v 'ld.gold: warning' || true
	@test -x $(FUZZ_DIR)/wallboard-fuzz

fuzz: fuzz-build
	@for target in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$target $(FUZZ_DIR)/crashes; \
	  echo "== $$target: $(FUZZ_RUNS) runs"; \
	  if WALLBOARD_FUZZ_TARGET=$$target $(FUZZ_DIR)/wallboard-fuzz -runs=$(FUZZ_RUNS) -max_len=4096 \
	    -artifact_prefix=$(FUZZ_DIR)/crashes/$$target- $(FUZZ_DIR)/corpus/$$target Tests/Fuzz/corpus/$$target \
	    > $(FUZZ_DIR)/$$target.log 2>&1; then grep -E 'DONE|Done [0-9]+ runs' $(FUZZ_DIR)/$$target.log; \
	  else tail -40 $(FUZZ_DIR)/$$target.log; echo "$$target crashed: the input is in $(FUZZ_DIR)/crashes/"; exit 1; fi; \
	done

fuzz-smoke:
	$(MAKE) fuzz FUZZ_RUNS=20000
