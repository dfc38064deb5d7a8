package plugins

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/mitchellh/go-homedir"
)

// BinaryPrefix starts the name of every plugin binary.
const BinaryPrefix = "strata-plugin-"

// PathEnv lists extra plugin directories, separated by ':'.
const PathEnv = "STRATA_PLUGIN_PATH"

// SearchDir is a directory plugins are looked for in, and why.
type SearchDir struct {
	Path string
	Why  string
}

// SearchDirs returns the plugin directories in the order they are
// searched, for a configuration in configDir.
func SearchDirs(configDir string) []SearchDir {
	if abs, err := filepath.Abs(configDir); err == nil {
		configDir = abs
	}
	var out []SearchDir
	for _, p := range filepath.SplitList(os.Getenv(PathEnv)) {
		if p != "" {
			out = append(out, SearchDir{p, "$" + PathEnv})
		}
	}
	out = append(out, SearchDir{filepath.Join(configDir, ".strata", "plugins"), "the configuration's .strata/plugins"})
	if home, err := homedir.Dir(); err == nil {
		out = append(out, SearchDir{filepath.Join(home, ".strata", "plugins"), "~/.strata/plugins"})
	}
	if exe, err := os.Executable(); err == nil {
		out = append(out, SearchDir{filepath.Dir(exe), "beside the strata binary"})
	}
	return out
}

// Find returns the first plugin binary for an artifact type.
func Find(dirs []SearchDir, typ string) (string, bool) {
	for _, d := range dirs {
		p := filepath.Join(d.Path, BinaryPrefix+typ)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, true
		}
	}
	return "", false
}

// All returns every plugin binary in dirs by artifact type; the first
// found for a type wins, as with Find.
func All(dirs []SearchDir) map[string]string {
	out := map[string]string{}
	for _, d := range dirs {
		entries, _ := os.ReadDir(d.Path)
		for _, e := range entries {
			typ, ok := strings.CutPrefix(e.Name(), BinaryPrefix)
			if !ok || typ == "" {
				continue
			}
			if _, seen := out[typ]; !seen {
				if p, found := Find([]SearchDir{d}, typ); found {
					out[typ] = p
				}
			}
		}
	}
	return out
}
