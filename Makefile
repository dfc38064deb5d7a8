# strata: make demo composes the bundled example end to end; make test
# runs every test. CI runs .ci/run, which installs the tools tests need
# and then runs make test.

GO       ?= go
BIN      := $(CURDIR)/bin
MODULES  := . sdk examples/plugins/tarball
EXAMPLE  := examples/minimal
PROTOC_GEN_GO      := google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.10
PROTOC_GEN_GO_GRPC := google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.0
STATICCHECK        := honnef.co/go/tools/cmd/staticcheck@v0.6.1

.PHONY: build test lint generate bench demo clean

build:
	$(GO) build -trimpath -o $(BIN)/strata ./cmd/strata
	cd examples/plugins/tarball && $(GO) build -trimpath -o $(BIN)/strata-plugin-tarball .

test:
	@set -e; for m in $(MODULES); do echo "== go test $$m"; (cd $$m && $(GO) test -count=1 -timeout 45m ./...); done

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

demo: build
	$(GO) run ./tools/genrpms -spec $(EXAMPLE)/packages.json -out $(EXAMPLE)/rpms
	$(BIN)/strata init $(EXAMPLE)
	$(BIN)/strata plan $(EXAMPLE)
	$(BIN)/strata apply -auto-approve $(EXAMPLE)
	$(BIN)/strata show $(EXAMPLE)
	@echo
	@echo "The compose is in $(EXAMPLE)/out/latest/. Look at it with:"
	@echo "  find $(EXAMPLE)/out/latest/ -type f"
	@echo "  tar -tvzf $(EXAMPLE)/out/latest/compose/tarball/rootfs/server/server-rootfs.tar.gz"
	@echo "  dnf --setopt=reposdir=/dev/null --releasever=1 --setopt=module_platform_id=platform:strata --repofrompath=server,file://$(CURDIR)/$(EXAMPLE)/out/latest/compose/Server/x86_64/os --repo=server group info web-server"
	@echo "  $(BIN)/strata show 'artifact.tarball.rootfs[\"server\"]' $(EXAMPLE)"
	@echo "  isoinfo -d -i $(EXAMPLE)/out/latest/compose/Server/x86_64/iso/Minimal-Server-dvd-x86_64-1.iso"
	@echo "  cat $(EXAMPLE)/out/latest/compose/metadata/images.json"
	@echo "  cat $(EXAMPLE)/out/latest/compose/metadata/lineage.json"
	@echo "Run make demo again: nothing is rebuilt."

clean:
	rm -rf $(BIN) $(EXAMPLE)/out $(EXAMPLE)/.strata $(EXAMPLE)/rpms $(EXAMPLE)/.strata.lock.hcl
