# Quick start on a fresh Debian machine: `make demo`, `make test`.
# Each target installs the Debian packages it needs (as root, or through sudo) before building.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Build: pkg-config, SQLite (GRDB), zlib (PNG), libusb (USB boards), libxml2 (the toolchain's
# FoundationXML, which reads Huidu cards' XML), Noto Sans CJK and Pillow (the walls' large fonts,
# rasterised here).
# Tests: the sqlite3 program (a writer in another process), Pillow (an independent PNG/GIF reader)
# and headless Chromium (the browser preview checked against the frames).
# Benchmarks: luma.core, whose canvas draws bench case text-192x32-two-lines-vs-luma's peer frames.
DEBIAN_PACKAGES := pkg-config libsqlite3-dev zlib1g-dev libusb-1.0-0-dev libxml2 fonts-noto-cjk python3-pil sqlite3 chromium python3-luma.core
# Tests only: PostgreSQL, whose servers (a primary and a hot standby) the tests start themselves,
# and chromedriver, through which the console tests drive headless Chromium (WebDriver).
TEST_PACKAGES := postgresql chromium-driver
WALLBOARD := .build/release/wallboard
WALLBOARD_DEV := .build/release/wallboard-dev

.PHONY: demo test deps test-deps build release release-dev bench fonts large-fonts soak

deps test-deps:
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6.2 or newer is needed on PATH (https://www.swift.org/install/linux/)"; exit 1; }
	@missing=""; for package in $(DEBIAN_PACKAGES) $(if $(filter test-deps,$@),$(TEST_PACKAGES)); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

# The walls' fonts with every CJK ideograph, rasterised from Debian's fonts-noto-cjk into Fonts/
# (about 50 MB of BDF, so made here rather than committed; see Fonts/README.md).
LARGE_FONTS := $(foreach size,24 32 48,Fonts/noto-cjk-$(size).bdf)
Fonts/noto-cjk-%.bdf: Fonts/build_fonts.py Fonts/unifont-16.bdf | deps
	/usr/bin/python3 Fonts/build_fonts.py --large $*

large-fonts: $(LARGE_FONTS)

build: deps $(LARGE_FONTS)
	$(SWIFT) build

# What a centre runs: the wallboard program alone.
release: deps $(LARGE_FONTS)
	$(SWIFT) build -c release --product wallboard

# The development tools (wallboard-dev: bench, soak, emulate-fleet) with the wallboard they drive.
release-dev: deps $(LARGE_FONTS)
	$(SWIFT) build -c release

# Serially: several suites time real devices and a writer process, and would starve one another on two cores.
# First, Package.swift must declare what each target imports, and import what it declares.
test: test-deps $(LARGE_FONTS)
	/usr/bin/python3 Tests/check-imports.py
	$(SWIFT) build --build-tests
	$(SWIFT) test --no-parallel

bench: release-dev
	$(WALLBOARD_DEV) bench

# A simulated 24-hour dispatch day at 20x speed (72 minutes) through the service and 50 emulated
# door boards; fails if memory or descriptors grow or a dispatch never reaches its station's boards.
SOAK_HOURS ?= 24
SOAK_SPEED ?= 20
soak: release-dev
	$(WALLBOARD_DEV) soak --boards 50 --hours $(SOAK_HOURS) --speed $(SOAK_SPEED)

# Rebuilds the committed fonts of Fonts/ from Debian's font packages.
fonts:
	Fonts/build-fonts.sh

# The whole system on the embedded default: a simulated 120 centre in a fresh database, the
# service, the wall and door boards in the browser, and serial boards played by emulators on
# pseudo-terminals, and a video-wall processor emulated on a loopback UDP port. Prints the URL; Ctrl-C stops everything.
demo: release
	$(WALLBOARD) demo

# Fuzzing with libFuzzer and AddressSanitizer: the parsers and decoders that take bytes from
# outside (BDF fonts, every board protocol's decoder through its emulator, controller text, layout
# files with their templates, the service configuration, the dispatch database's rows).
# `make fuzz` runs each target for FUZZ_RUNS executions, or FUZZ_SECONDS if that comes first;
# `make fuzz-smoke` a short pass.
#
# The fuzz build lives in .build-fuzz, apart from SwiftPM's .build, so that it never slows
# `swift build`: each module, ours and the packages' (Yams with its C libyaml, swift-mustache,
# GRDB), is compiled once with swiftc or clang, with coverage and address sanitising, and
# Tests/Fuzz/*.swift is linked to them. The package sources are SwiftPM's own checkouts, at the
# versions it resolved for the normal build. Make rebuilds only the modules whose sources changed.
FUZZ_DIR := .build-fuzz
FUZZ_TARGETS := bdf onbon-font-card onbon-graphic alpha tpm2 cpower huidu controller-text dream-cheeky novastar-replies layout config sqlite-rows postgres-cells scrubber
FUZZ_RUNS ?= 1000000
# Layouts and configurations run longer than a board message; the shipped ones are seeds too.
FUZZ_MAX_LEN := 4096
FUZZ_MAX_LEN_layout := 8192
FUZZ_MAX_LEN_config := 8192
# Room for a request of more than one 8000-byte fragment.
FUZZ_MAX_LEN_huidu := 16384
FUZZ_SEEDS_layout := Layouts
FUZZ_SEEDS_config := config

CHECKOUTS := .build/checkouts
FUZZ_INCLUDES := -I $(FUZZ_DIR) -I $(CHECKOUTS)/Yams/Sources/CYaml/include -Xcc -DYAML_DECLARE_STATIC \
  -I $(CHECKOUTS)/GRDB.swift/Sources/GRDBSQLite -I $(FUZZ_DIR)/CWallboardSys -I Sources/CLibUSB \
  $(addprefix -Xcc ,$(shell pkg-config --cflags-only-I libusb-1.0 2>/dev/null))
# SWIFT_PACKAGE: as SwiftPM defines it (Yams imports its C parser only when it is set).
FUZZ_SANITIZE := -sanitize=fuzzer,address
FUZZ_SWIFTC := swiftc -wmo -c -parse-as-library -O -DSWIFT_PACKAGE $(FUZZ_INCLUDES)
FUZZ_CC := clang -c -O2 -fsanitize=fuzzer-no-link,address

# Module: its sources, its flags, the modules it imports (so that they are compiled first).
FUZZ_SOURCES_CYaml := $(wildcard $(CHECKOUTS)/Yams/Sources/CYaml/src/*.c)
FUZZ_SOURCES_CWallboardSys := Sources/CWallboardSys/shim.c
# SwiftPM makes this C module's module map from its umbrella header; so does the rule below.
FUZZ_HEADER_CWallboardSys := Sources/CWallboardSys/include/CWallboardSys.h
FUZZ_SOURCES_Yams := $(wildcard $(CHECKOUTS)/Yams/Sources/Yams/*.swift)
FUZZ_FLAGS_Yams := -swift-version 5 -suppress-warnings
FUZZ_DEPS_Yams := CYaml
FUZZ_SOURCES_Mustache := $(wildcard $(CHECKOUTS)/swift-mustache/Sources/Mustache/*.swift)
FUZZ_FLAGS_Mustache := -swift-version 6 -suppress-warnings
# GRDB's own settings from its Package.swift, as SwiftPM applies them on Linux. Optimised and left
# uninstrumented, like the system's SQLite beneath it: what is fuzzed is our reader, which decodes
# the rows off SQLite's statements, and GRDB compiled with the sanitizers and -O takes longer than
# the whole smoke pass may (and runs the target at a third of the speed unoptimised).
FUZZ_SOURCES_GRDB := $(shell find $(CHECKOUTS)/GRDB.swift/GRDB -name '*.swift' 2>/dev/null)
FUZZ_FLAGS_GRDB := -swift-version 6 -suppress-warnings -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_SNAPSHOT -DSQLITE_DISABLE_SNAPSHOT
FUZZ_UNINSTRUMENTED := GRDB
FUZZ_DEPS_WallboardText := WallboardRender
FUZZ_DEPS_WallboardProtocols := WallboardRender
FUZZ_DEPS_WallboardEmulator := WallboardProtocols WallboardRender WallboardText WallboardTransportCore
FUZZ_DEPS_WallboardYAML := Yams
FUZZ_DEPS_WallboardFonts := WallboardText
FUZZ_DEPS_WallboardLayout := WallboardRender WallboardText WallboardDispatch WallboardYAML Mustache
FUZZ_DEPS_WallboardDispatch := WallboardSupport
FUZZ_DEPS_WallboardSourceKit := WallboardDispatch WallboardYAML
FUZZ_DEPS_WallboardInterface := WallboardDispatch
FUZZ_DEPS_WallboardSimulator := WallboardDispatch WallboardInterface WallboardSourceKit
FUZZ_DEPS_WallboardSQLite := WallboardDispatch WallboardInterface WallboardSimulator WallboardSourceKit WallboardSupport WallboardYAML GRDB
# Of PostgreSQL only the pure cell decoder, without PostgresNIO.
FUZZ_DEPS_WallboardPostgres := WallboardInterface
FUZZ_DEPS_WallboardTransportCore := WallboardYAML
FUZZ_DEPS_WallboardTransport := CWallboardSys WallboardTransportCore WallboardSupport WallboardYAML
FUZZ_DEPS_WallboardDrivers := WallboardRender WallboardProtocols WallboardTransportCore WallboardSupport
FUZZ_DEPS_WallboardConfig := WallboardYAML WallboardDispatch WallboardSourceKit WallboardSupport WallboardProtocols WallboardTransportCore
FUZZ_OUR_MODULES := WallboardRender WallboardText WallboardProtocols WallboardEmulator WallboardYAML WallboardSupport WallboardDispatch \
  WallboardFonts WallboardLayout WallboardSourceKit WallboardInterface WallboardSimulator WallboardSQLite WallboardTransportCore \
  WallboardTransport WallboardDrivers WallboardConfig
FUZZ_SWIFT_MODULES := Yams Mustache GRDB $(FUZZ_OUR_MODULES) WallboardPostgres
FUZZ_C_MODULES := CYaml CWallboardSys
$(foreach module,$(FUZZ_OUR_MODULES),$(eval FUZZ_SOURCES_$(module) := $(shell find Sources/$(module) -name '*.swift')) \
  $(eval FUZZ_FLAGS_$(module) := -swift-version 6 -package-name Wallboard))
FUZZ_SOURCES_WallboardPostgres := Sources/WallboardPostgres/PostgresCells.swift
FUZZ_FLAGS_WallboardPostgres := -swift-version 6 -package-name Wallboard
# schema.sql built into WallboardInterface, as SwiftPM's embedInCode does.
FUZZ_SOURCES_WallboardInterface += $(FUZZ_DIR)/WallboardInterface-resources.swift
$(FUZZ_DIR)/WallboardInterface-resources.swift: Sources/WallboardInterface/schema.sql
	@mkdir -p $(FUZZ_DIR)
	@{ printf 'struct PackageResources {\n    static let schema_sql: [UInt8] = Array(#"""\n'; cat $<; printf '"""#.utf8)\n}\n'; } > $@

define FUZZ_SWIFT_MODULE
$(FUZZ_DIR)/$(1).o: $(FUZZ_SOURCES_$(1)) $(foreach dep,$(FUZZ_DEPS_$(1)),$(FUZZ_DIR)/$(dep).o)
	@mkdir -p $(FUZZ_DIR) && echo "compiling $(1) $(if $(filter $(1),$(FUZZ_UNINSTRUMENTED)),optimised but uninstrumented,with $(FUZZ_SANITIZE))"
	@$(FUZZ_SWIFTC) $(if $(filter $(1),$(FUZZ_UNINSTRUMENTED)),,$(FUZZ_SANITIZE)) $(FUZZ_FLAGS_$(1)) -module-name $(1) $(FUZZ_SOURCES_$(1)) \
	  -emit-module -emit-module-path $(FUZZ_DIR)/$(1).swiftmodule -o $$@
endef
# A C module becomes one relocatable object, so that it links like a Swift one.
define FUZZ_C_MODULE
$(FUZZ_DIR)/$(1).o: $(FUZZ_SOURCES_$(1))
	@mkdir -p $(FUZZ_DIR)/$(1) && echo "compiling $(1) with -fsanitize=fuzzer-no-link,address"
	@for source in $(FUZZ_SOURCES_$(1)); do \
	  $(FUZZ_CC) -DYAML_DECLARE_STATIC -I $(CHECKOUTS)/Yams/Sources/CYaml/include -I Sources/CWallboardSys/include \
	    $$$$source -o $(FUZZ_DIR)/$(1)/$$$$(basename $$$$source .c).o || exit 1; done
	@ld -r $(FUZZ_DIR)/$(1)/*.o -o $$@
	$(if $(FUZZ_HEADER_$(1)),@printf 'module $(1) {\n    umbrella header "%s"\n    export *\n}\n' $(abspath $(FUZZ_HEADER_$(1))) \
	  > $(FUZZ_DIR)/$(1)/module.modulemap)
endef
$(foreach module,$(FUZZ_SWIFT_MODULES),$(eval $(call FUZZ_SWIFT_MODULE,$(module))))
$(foreach module,$(FUZZ_C_MODULES),$(eval $(call FUZZ_C_MODULE,$(module))))

FUZZ_OBJECTS := $(foreach module,$(FUZZ_C_MODULES) $(FUZZ_SWIFT_MODULES),$(FUZZ_DIR)/$(module).o)
$(FUZZ_DIR)/wallboard-fuzz: $(FUZZ_OBJECTS) $(wildcard Tests/Fuzz/*.swift)
	swiftc -parse-as-library -O -swift-version 6 -package-name Wallboard -sanitize=fuzzer,address $(FUZZ_INCLUDES) $(wildcard Tests/Fuzz/*.swift) \
	  $(FUZZ_OBJECTS) -o $@ 2>&1 | grep -v 'ld.gold: warning' || true
	@test -x $@

.PHONY: fuzz fuzz-smoke fuzz-build

# The package checkouts must exist before this Makefile lists their sources, hence the second make.
fuzz-build: deps
	@$(SWIFT) package resolve
	@$(MAKE) --no-print-directory -j2 $(FUZZ_DIR)/wallboard-fuzz

fuzz: fuzz-build
	@for target in $(FUZZ_TARGETS); do $(MAKE) --no-print-directory fuzz-run-$$target || exit 1; done

# Swift's own backtracer is off: it hangs under the sanitizer, and libFuzzer reports the crash.
# Leaks of the toolchain's own libraries are suppressed (Tests/Fuzz/lsan-suppressions.txt).
fuzz-run-%:
	@mkdir -p $(FUZZ_DIR)/corpus/$* $(FUZZ_DIR)/crashes
	@echo "== $*: $(FUZZ_RUNS) runs$(if $(FUZZ_SECONDS), or $(FUZZ_SECONDS) s)"
	@if SWIFT_BACKTRACE=enable=no LSAN_OPTIONS=suppressions=$(abspath Tests/Fuzz/lsan-suppressions.txt) WALLBOARD_FUZZ_TARGET=$* $(FUZZ_DIR)/wallboard-fuzz -runs=$(FUZZ_RUNS) \
	  $(if $(FUZZ_SECONDS),-max_total_time=$(FUZZ_SECONDS)) -max_len=$(or $(FUZZ_MAX_LEN_$*),$(FUZZ_MAX_LEN)) \
	  -artifact_prefix=$(FUZZ_DIR)/crashes/$*- $(FUZZ_DIR)/corpus/$* Tests/Fuzz/corpus/$* $(FUZZ_SEEDS_$*) \
	  > $(FUZZ_DIR)/$*.log 2>&1; then grep -E 'DONE|Done [0-9]+ runs' $(FUZZ_DIR)/$*.log; \
	else tail -40 $(FUZZ_DIR)/$*.log; echo "$* crashed: the input is in $(FUZZ_DIR)/crashes/"; exit 1; fi

fuzz-smoke:
	$(MAKE) fuzz FUZZ_RUNS=20000
