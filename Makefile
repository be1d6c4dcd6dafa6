# spfloor: the two commands a new machine needs are `make run` and `make test`.
# Both install missing Debian packages first (scripts/install-deps), then build with CMake.

BUILD       ?= build
BUILD_ASAN  ?= build-asan
MAKEFLAGS   += --no-print-directory
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
DEMO_DB     ?= demo.db
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps build build-asan test valgrind lint format run bench install clean

all: build

deps:
	@./scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The sanitizer build uses clang, so every `make test` also keeps the clang build green.
build-asan: deps
	@CC=clang cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DSPFLOOR_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD_ASAN) -j $(JOBS)

# Everything: formatting, the suite on a normal (gcc) build, again under ASan+UBSan (clang),
# the unit tests under valgrind, CEL's conformance suite (tests/conformance) and the browser
# tests (tests/web: playwright-core driving Debian's chromium), both after npm ci.
test: lint build build-asan node_modules/.installed
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)
	@./scripts/valgrind-unit-tests $(BUILD)

# The packages the tests read (CEL's conformance suite; playwright-core and axe-core for the
# browser tests, which use Debian's chromium, never a downloaded one), pinned in
# package-lock.json: installed
# again whenever the lock file is newer than the last install.
node_modules/.installed: package-lock.json package.json | deps
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

valgrind: build
	@./scripts/valgrind-unit-tests $(BUILD)

lint: deps
	@files=$$(git ls-files '*.c' '*.h' 2>/dev/null || find src tests bench -name '*.[ch]'); \
	clang-format --dry-run -Werror $$files && echo "lint: formatting ok"

format: deps
	@clang-format -i $$(git ls-files '*.c' '*.h')

run: build
	@./scripts/demo $(BUILD) $(DEMO_DB)

bench: build
	@./bench/import
	@./bench/evaluate
	@./bench/household
	@./bench/entitlements
	@./bench/postgres
	@./bench/simulate
	@./bench/contributions
	@./bench/enroll
	@./bench/payroll
	@./bench/report
	@./bench/http

# Installs bin/spfloor and share/spfloor/schemes under PREFIX (default /usr/local).
PREFIX      ?= /usr/local
install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
