# SPDX-License-Identifier: GPL-3.0-or-later
# mndsim — build, run, test, bench.  `make run` and `make test` install the
# Debian packages they need first (scripts/install-deps.sh).

VERSION   := 0.1.0
PYTHON    := /usr/bin/python3
# `make MPI=1` builds against OpenMPI and parallel HDF5 into build-mpi/, so
# serial and MPI objects never mix.  Both name their HDF5 explicitly:
# installing libhdf5-openmpi-dev re-points plain `hdf5.pc` (notes P-H1).
ifeq ($(MPI),1)
PKGS      := gsl libconfig libisal hdf5-openmpi
CC        := mpicc
BUILD     ?= build-mpi
MPI_FLAGS := -DMND_MPI
else
PKGS      := gsl libconfig libisal hdf5-serial
CC        ?= gcc
BUILD     ?= build
MPI_FLAGS :=
endif
# Tests start more ranks than the two cores, and CI runs as root (notes §2.3).
MPIRUN    := mpirun --oversubscribe
MPI_ENV   := OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

GIT_COMMIT := $(shell git rev-parse --verify --quiet HEAD 2>/dev/null || echo unknown)
GIT_DIRTY  := $(shell test -z "$$(git status --porcelain --untracked-files=no 2>/dev/null)" && echo 0 || echo 1)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# -std=c11 and -ffp-contract=off: no FMA contraction, so results are the same
# bits for any thread count (notes §3.4).  Never -ffast-math.  -fno-plt: the
# kernel's many calls into libm and GSL go straight through the GOT (make bench).
WARN      := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wpointer-arith -Wcast-qual -Wwrite-strings -Wno-unused-parameter
OPT       ?= -O3 -g
CFLAGS    += -std=c11 -D_POSIX_C_SOURCE=200809L -ffp-contract=off -fno-plt -fopenmp $(OPT) $(WARN) \
             -Iinclude $(PKG_CFLAGS) $(MPI_FLAGS) \
             -DMND_VERSION='"$(VERSION)"' -DMND_GIT_COMMIT='"$(GIT_COMMIT)"' -DMND_GIT_DIRTY=$(GIT_DIRTY)
LDLIBS    += $(PKG_LIBS) -lhdf5_hl -lz -lm
LDFLAGS   += -fopenmp

LIB_SRC   := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ   := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
LIB       := $(BUILD)/libmndsim.a
BIN       := $(BUILD)/mndsim
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BIN := $(BUILD)/bench_kernel

CONFIG    ?= configs/default.cfg

.PHONY: all deps report-deps test-deps run report test unit e2e e2e-mpi bench check-asan docs clean FORCE

# Targets that a newcomer runs first install the packages, then re-enter make
# so that pkg-config is asked after the install.
all: deps
	@$(MAKE) --no-print-directory $(BIN)

deps:
	@scripts/install-deps.sh $(if $(filter 1,$(MPI)),mpi,build)

report-deps:
	@scripts/install-deps.sh report

test-deps:
	@scripts/install-deps.sh test

$(BUILD)/obj/%.o: src/%.c $(wildcard include/mndsim/*.h src/*.h) | $(BUILD)/obj
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(AR) rcs $@ $^

# The binary embeds the commit and whether the tree was dirty (provenance).
# This stamp is checked at every build and rewritten only when they change,
# so a commit relinks the binary, and the serial and MPI binaries of one
# commit report the same one.
GIT_STAMP := $(BUILD)/git-stamp
GIT_ID    := $(GIT_COMMIT) $(GIT_DIRTY)
$(GIT_STAMP): FORCE | $(BUILD)/obj
	@echo "$(GIT_ID)" | cmp -s - $@ || echo "$(GIT_ID)" > $@
FORCE:

$(BIN): src/main.c $(LIB) $(GIT_STAMP)
	$(CC) $(CFLAGS) $< -o $@ $(LIB) $(LDFLAGS) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB) | $(BUILD)/tests
	$(CC) $(CFLAGS) $< -o $@ $(LIB) $(LDFLAGS) $(LDLIBS) -lcriterion -lgsl

# The bench counts the kernel's random-number and libm calls through --wrap in
# a binary of its own, and times the kernel in one without the wrappers.
BENCH_WRAP := -Wl,--wrap=exp,--wrap=log,--wrap=log1p,--wrap=pow,--wrap=gsl_rng_set \
              -Wl,--wrap=gsl_ran_gaussian_ziggurat,--wrap=gsl_rng_uniform,--wrap=gsl_ran_exponential
$(BUILD)/count_calls: bench/count_calls.c bench/calls.h bench/load.h $(LIB)
	$(CC) $(CFLAGS) $< -o $@ $(LIB) $(LDFLAGS) $(BENCH_WRAP) $(LDLIBS)
$(BENCH_BIN): bench/bench_kernel.c bench/calls.h bench/load.h $(LIB)
	$(CC) $(CFLAGS) -fno-builtin $< -o $@ $(LIB) $(LDFLAGS) $(LDLIBS)
$(BUILD)/bench_deflate: bench/bench_deflate.c bench/load.h src/chunk_deflate.h $(LIB)
	$(CC) $(CFLAGS) $< -o $@ $(LIB) $(LDFLAGS) $(LDLIBS)

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

# The main job: the default config into results/.
run: all
	$(BIN) run $(CONFIG) -o results/$(basename $(notdir $(CONFIG))).h5
	$(BIN) info results/$(basename $(notdir $(CONFIG))).h5

# One self-contained HTML report (figures embedded) of CONFIG, e.g.
#   make report                                   natural history (configs/default.cfg)
#   make report CONFIG=configs/claims/audit.cfg   the claims audit
report: report-deps
	@$(MAKE) --no-print-directory $(BIN)
	$(PYTHON) scripts/make_report.py $(CONFIG) --mndsim $(BIN) \
	    -o results/$(basename $(notdir $(CONFIG))).html

# The MPI build is made too, and the end-to-end tests compare it (1 and 3
# ranks) with the serial build.
test: test-deps
	@$(MAKE) --no-print-directory unit e2e
	@$(MAKE) --no-print-directory MPI=1 build-mpi/mndsim
	@$(MAKE) --no-print-directory e2e-mpi

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t --jobs 2; done

e2e: $(BIN)
	MNDSIM=$(abspath $(BIN)) $(PYTHON) -m pytest -q tests/e2e --ignore=tests/e2e/test_mpi.py

# The serial binary and the MPI one side by side (tests/e2e/test_mpi.py).
e2e-mpi: $(BIN)
	$(MPI_ENV) MNDSIM=$(abspath $(BIN)) MNDSIM_MPI=$(abspath build-mpi/mndsim) \
	    MPIRUN="$(MPIRUN)" $(PYTHON) -m pytest -q tests/e2e/test_mpi.py

bench: test-deps
	@$(MAKE) --no-print-directory $(BENCH_BIN) $(BUILD)/count_calls $(BUILD)/bench_deflate $(BIN)
	@$(MAKE) --no-print-directory MPI=1 build-mpi/mndsim
	$(PYTHON) bench/run.py $(BUILD) build-mpi

# Unit tests and a small end-to-end run under AddressSanitizer and UBSan.
check-asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" \
	        LDFLAGS="-fopenmp -fsanitize=address,undefined" unit
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" \
	        LDFLAGS="-fopenmp -fsanitize=address,undefined" build-asan/mndsim
	build-asan/mndsim run configs/default.cfg --set simulation.n_patients=500 -o /tmp/mndsim-asan.h5
	build-asan/mndsim info /tmp/mndsim-asan.h5 >/dev/null

# configs/README.md is generated from the option table (src/config_table.c).
docs: $(BIN)
	$(BIN) keys > configs/README.md

clean:
	rm -rf build build-mpi build-asan
