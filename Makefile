# strata: make demo composes the bundled example end to end; make test
# runs every test. CI runs .ci/run, which installs the tools tests need
# and then runs make test.

GO       ?= go
BIN      := $(CURDIR)/bin
MODULES  := . sdk examples/plugins/tarball
EXAMPLE  := examples/fedora
PROTOC_GEN_GO      := google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.10
PROTOC_GEN_GO_GRPC := google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.0
STATICCHECK        := honnef.co/go/tools/cmd/staticcheck@v0.6.1

# The judges the tests run (Debian packages). Without them make test
# skips what needs them, naming the package; CI (CI=true) fails instead.
TEST_DEPS := rpm createrepo-c dnf dnf-plugins-core python3-dnf libmodulemd-tools \
  libcap2-bin graphviz protobuf-compiler sqlite3 skopeo umoci docker-registry ostree \
  xorriso genisoimage isomd5sum qemu-system-x86 ovmf isolinux syslinux-common \
  grub-efi-amd64-bin mtools dosfstools

.PHONY: build test test-deps nomad lint generate bench demo demo-update clean

# Static (no cgo): each process, strata's and every plugin's, maps less
# of its binary, which is most of what a small plan holds.
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN)/strata ./cmd/strata
	cd examples/plugins/tarball && CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN)/strata-plugin-tarball .

test:
	@set -e; for m in $(MODULES); do echo "== go test $$m"; (cd $$m && $(GO) test -count=1 -timeout 45m ./...); done

test-deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(TEST_DEPS)
	ln -sf "$$(tools/nomad/build.sh)" /usr/local/bin/nomad

# Nomad is no Debian package: tools/nomad builds it from the module proxy
# (about 11 minutes the first time, cached by version outside the
# checkout); the Nomad executor's tests run it.
nomad:
	@tools/nomad/build.sh

lint:
	@set -e; for m in $(MODULES); do echo "== vet $$m"; (cd $$m && $(GO) vet ./... && $(GO) run $(STATICCHECK) ./...); done
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }

generate:
	GOBIN=$(CURDIR)/.bin $(GO) install $(PROTOC_GEN_GO)
	GOBIN=$(CURDIR)/.bin $(GO) install $(PROTOC_GEN_GO_GRPC)
	cd sdk/internal/pluginpb && PATH=$(CURDIR)/.bin:$$PATH protoc --proto_path=. \
	  --go_out=. --go_opt=paths=source_relative \
	  --go-grpc_out=. --go-grpc_opt=paths=source_relative plugin.proto

bench: build
	$(GO) test -run '^$$' -bench . -benchtime 3x ./core/plan/
	$(GO) run ./tools/benchrepo -strata $(BIN)/strata -sets 2000x250k,20000x2k
	$(GO) run ./tools/benchoci -strata $(BIN)/strata -packages 2000 -size 100k
	$(GO) run ./tools/benchostree -strata $(BIN)/strata -sets 2000x250k,2000x100k
	$(GO) run ./tools/benchiso -strata $(BIN)/strata -sets 2000x250k
	$(GO) run ./tools/benchfedora -strata $(BIN)/strata -size 1000k
	$(GO) run ./tools/benchgather -strata $(BIN)/strata -packages 20000,77000
	$(GO) run ./tools/benchnomad -strata $(BIN)/strata

demo: build
	$(GO) run ./tools/genuniverse -config $(EXAMPLE) -given $(EXAMPLE)/packages.json -out $(EXAMPLE)/rpms
	$(BIN)/strata init $(EXAMPLE)
	$(BIN)/strata plan $(EXAMPLE)
	$(BIN)/strata apply -auto-approve $(EXAMPLE)
	$(BIN)/strata show $(EXAMPLE)
	@tools/demo-guide $(BIN)/strata $(EXAMPLE)

# One GNOME package updated: only the Workstation repository and its DVD
# are rebuilt.
demo-update: build
	$(GO) run ./tools/genuniverse -config $(EXAMPLE) -given $(EXAMPLE)/packages.json -bump gnome-shell -out $(EXAMPLE)/rpms
	$(BIN)/strata plan $(EXAMPLE)
	time -p $(BIN)/strata apply -auto-approve $(EXAMPLE)

clean:
	rm -rf $(BIN)
	for e in examples/fedora examples/minimal; do rm -rf $$e/out $$e/.strata $$e/rpms $$e/.strata.lock.hcl; done
