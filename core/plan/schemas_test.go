package plan

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/strata-build/strata/core/plugins"
)

// A type's schema is kept under its plugin binary's identity: asked again,
// it comes from the cache without starting the plugin, until the binary
// changes.
func TestSchemaCache(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "strata-plugin-probe")
	data, err := os.ReadFile(filepath.Join(buildProbe(t), "strata-plugin-probe"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	// With no lock file to admit it, the plugin cannot start.
	manager := func(unlocked bool) *plugins.Manager {
		return &plugins.Manager{Dirs: []plugins.SearchDir{{Path: filepath.Dir(bin), Why: "test"}}, Unlocked: unlocked, SchemaCache: cache}
	}
	m := manager(true)
	asked, err := m.Schema("probe")
	m.Close()
	if err != nil {
		t.Fatal(err)
	}
	m = manager(false)
	cached, err := m.Schema("probe")
	m.Close()
	if err != nil || !reflect.DeepEqual(cached, asked) {
		t.Fatalf("from the cache: %+v (%v), want %+v", cached, err, asked)
	}
	if err := os.WriteFile(bin, append(data, 0), 0o755); err != nil {
		t.Fatal(err)
	}
	m = manager(false)
	_, err = m.Schema("probe")
	m.Close()
	if err == nil {
		t.Error("a changed plugin's schema came from the cache")
	}
}
