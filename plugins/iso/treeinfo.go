package iso

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/strata-build/strata/sdk"
)

// treeinfo is a .treeinfo file (productmd's treeinfo 1.2, an INI file)
// by section and key.
type treeinfo map[string]map[string]string

// readTreeinfo parses the .treeinfo at path.
func readTreeinfo(path string) (treeinfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseTreeinfo(data, path)
}

func parseTreeinfo(data []byte, name string) (treeinfo, error) {
	ti := treeinfo{}
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == ';' || line[0] == '#':
		case line[0] == '[' && line[len(line)-1] == ']':
			section = line[1 : len(line)-1]
			if ti[section] == nil {
				ti[section] = map[string]string{}
			}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				return nil, fmt.Errorf("%s:%d: %q is neither a [section] nor a key = value in one", name, n, line)
			}
			ti[section][strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return ti, sc.Err()
}

func (ti treeinfo) get(section, key string) string { return ti[section][key] }

func (ti treeinfo) set(section string, kv ...string) {
	if ti[section] == nil {
		ti[section] = map[string]string{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		ti[section][kv[i]] = kv[i+1]
	}
}

// bytes formats the file as productmd writes it: sections and keys
// sorted, "key = value", a blank line between sections.
func (ti treeinfo) bytes() []byte {
	var b bytes.Buffer
	for i, name := range slices.Sorted(maps.Keys(ti)) {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "[%s]\n", name)
		for _, k := range slices.Sorted(maps.Keys(ti[name])) {
			fmt.Fprintf(&b, "%s = %s\n", k, ti[name][k])
		}
	}
	return b.Bytes()
}

// discTreeinfo is the disc's .treeinfo: the repository's, or a new one
// for an ostree installer, with the disc's [media] and its boot images
// (their checksums in [checksums]), as pungi tweaks the tree's for its
// discs.
func discTreeinfo(cn *content, b *bootTree, compose sdk.Compose, ts int64) treeinfo {
	ti := treeinfo{}
	for name, s := range cn.treeinfo {
		ti.set(name)
		for k, v := range s {
			ti[name][k] = v
		}
	}
	if cn.treeinfo == nil {
		v := cn.variant
		ti.set("general", "arch", cn.arch, "family", compose.Name, "name", compose.Name+" "+compose.Version,
			"timestamp", fmt.Sprint(ts), "variant", v.UID, "version", compose.Version)
		ti.set("header", "type", "productmd.treeinfo", "version", "1.2")
		ti.set("release", "is_layered", "false", "name", compose.Name, "short", compose.Short, "type", "ga", "version", compose.Version)
		ti.set("tree", "arch", cn.arch, "build_timestamp", fmt.Sprint(ts), "variants", v.UID)
		ti.set("variant-"+v.UID, "id", v.ID, "name", v.Name, "type", v.Type, "uid", v.UID)
	}
	ti.set("media", "discnum", "1", "totaldiscs", "1")
	platforms := []string{cn.arch}
	if b != nil {
		for platform, images := range b.images {
			ti.set("images-" + platform)
			for k, p := range images {
				ti["images-"+platform][k] = p
			}
			if !slices.Contains(platforms, platform) {
				platforms = append(platforms, platform)
			}
		}
		if b.stage2 != "" {
			ti.set("stage2", "mainimage", b.stage2)
		}
		for p, sum := range b.checksums {
			ti.set("checksums", p, "sha256:"+sum)
		}
	}
	sort.Strings(platforms)
	ti.set("general", "platforms", strings.Join(platforms, ","))
	ti.set("tree", "platforms", strings.Join(platforms, ","))
	return ti
}

// discinfo is the disc's .discinfo: its timestamp, the release, the
// architecture Anaconda checks, and the disc number.
func discinfo(compose sdk.Compose, arch string, ts int64) []byte {
	return []byte(fmt.Sprintf("%d\n%s %s\n%s\n1\n", ts, compose.Name, compose.Version, arch))
}
