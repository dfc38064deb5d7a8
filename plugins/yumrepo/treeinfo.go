package yumrepo

import (
	"fmt"
	"io"
	"strings"

	"github.com/strata-build/strata/sdk"
)

// treeinfo writes the .treeinfo of one architecture's repository
// (productmd treeinfo 1.2, with the legacy [general] section installers
// read).
func treeinfo(w io.Writer, c sdk.Compose, v sdk.Variant, arch string, timestamp int64, repomdSHA string) error {
	var b strings.Builder
	section := func(name string, kv ...string) {
		fmt.Fprintf(&b, "[%s]\n", name)
		for i := 0; i+1 < len(kv); i += 2 {
			fmt.Fprintf(&b, "%s = %s\n", kv[i], kv[i+1])
		}
		b.WriteString("\n")
	}
	section("checksums", "repodata/repomd.xml", "sha256:"+repomdSHA)
	section("general", "arch", arch, "family", c.Name, "name", c.Name+" "+c.Version, "packagedir", "Packages",
		"platforms", arch, "repository", ".", "timestamp", fmt.Sprint(timestamp), "variant", v.UID, "version", c.Version)
	section("header", "type", "productmd.treeinfo", "version", "1.2")
	section("release", "is_layered", "false", "name", c.Name, "short", c.Short, "type", "ga", "version", c.Version)
	section("tree", "arch", arch, "build_timestamp", fmt.Sprint(timestamp), "platforms", arch, "variants", v.UID)
	section("variant-"+v.UID, "id", v.ID, "name", v.Name, "packages", "Packages", "repository", ".", "type", v.Type, "uid", v.UID)
	_, err := io.WriteString(w, strings.TrimSuffix(b.String(), "\n"))
	return err
}

// mediaRepo writes media.repo, which points installers at the tree.
func mediaRepo(w io.Writer, c sdk.Compose, timestamp int64) error {
	_, err := fmt.Fprintf(w, "[InstallMedia]\nname=%s %s\nmediaid=%d\nmetadata_expire=-1\ngpgcheck=0\ncost=500\n", c.Name, c.Version, timestamp)
	return err
}
