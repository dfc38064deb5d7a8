package command_test

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/sdktest"
)

// compsGroups reads a comps file's groups the plain way, for the test to
// hold the import against: id → package type → names, and name → id.
func compsGroups(t *testing.T, path string) (map[string]map[string][]string, map[string]string) {
	t.Helper()
	var doc struct {
		Groups []struct {
			ID    string `xml:"id"`
			Names []struct {
				Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
				Text string `xml:",chardata"`
			} `xml:"name"`
			Packages []struct {
				Type string `xml:"type,attr"`
				Name string `xml:",chardata"`
			} `xml:"packagelist>packagereq"`
		} `xml:"group"`
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	out, ids := map[string]map[string][]string{}, map[string]string{}
	for _, g := range doc.Groups {
		for _, n := range g.Names {
			if n.Lang == "" {
				if ids[n.Text] != "" {
					t.Fatalf("two groups are named %q", n.Text)
				}
				ids[n.Text] = g.ID
			}
		}
		out[g.ID] = map[string][]string{}
		for _, p := range g.Packages {
			typ := p.Type
			if typ == "" {
				typ = "mandatory"
			}
			out[g.ID][typ] = append(out[g.ID][typ], p.Name)
		}
	}
	return out, ids
}

// Fedora 41's comps imported: strata fmt leaves the blocks as they are,
// and a repository composed of every group, from a universe of their
// package names, gives dnf group info with each group's mandatory,
// default and optional packages as comps has them.
func TestImportComps(t *testing.T) {
	sdktest.NeedTool(t, "dnf")
	comps := filepath.Join(sdktest.SharedTestdata(t), "comps", "comps-f41.xml")
	want, byName := compsGroups(t, comps)
	names := map[string]bool{}
	var ids []string
	for id, byType := range want {
		ids = append(ids, id)
		for _, pkgs := range byType {
			for _, p := range pkgs {
				names[p] = true
			}
		}
	}
	sort.Strings(ids)
	var specs []genrpm.Spec
	for n := range names {
		specs = append(specs, genrpm.Spec{Name: n, Version: "1", Release: "1", Arch: "noarch"})
	}
	p := newProject(t, map[string]string{}, specs)
	p.ok("import", "comps", "-out", "groups.hcl", comps)
	if _, _, code := p.run("fmt", "-check"); code != 0 {
		t.Errorf("strata fmt -check would change the imported blocks")
	}
	if errOut := p.fails(1, "import", "comps", "-out", "groups.hcl", comps); !strings.Contains(errOut, "file exists") {
		t.Errorf("importing over the file:\n%s", errOut)
	}
	var refs []string
	for _, id := range ids {
		name := id
		if id[0] >= '0' && id[0] <= '9' {
			name = "_" + id
		}
		refs = append(refs, "group."+name)
	}
	p.write(map[string]string{"main.hcl": `compose {
  name    = "Imported"
  version = "41"
}
source "rpm_dir" "universe" {
  path = "rpms"
}
module "everything" {
  groups = [` + strings.Join(refs, ", ") + `]
}
artifact "yumrepo" "all" {
  modules = [module.everything]
}
`})
	p.ok("init")
	p.ok("apply", "-auto-approve")
	repo := p.path("out", "latest", "compose", "all", "x86_64", "os")
	out, ok := sdktest.DNF(t, map[string]string{"all": repo}, append([]string{"group", "info"}, ids...)...)
	if !ok {
		t.Fatalf("dnf group info:\n%s", out)
	}
	got := groupInfo(out, byName)
	for _, id := range ids {
		for _, typ := range []string{"mandatory", "default", "optional"} {
			w := append([]string(nil), want[id][typ]...)
			sort.Strings(w)
			if g := got[id][typ]; strings.Join(g, " ") != strings.Join(w, " ") {
				t.Errorf("group %s, %s packages: dnf lists %v, comps %v", id, typ, g, w)
			}
		}
	}
}

// groupInfo reads dnf group info's listing: group id (found by its name)
// → kind → packages.
func groupInfo(out string, byName map[string]string) map[string]map[string][]string {
	groups := map[string]map[string][]string{}
	var id, kind string
	for _, line := range strings.Split(out, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "Group: "):
			id, kind = byName[strings.TrimPrefix(line, "Group: ")], ""
			groups[id] = map[string][]string{}
		case strings.HasSuffix(trimmed, "Packages:"):
			kind = strings.ToLower(strings.TrimSuffix(trimmed, " Packages:"))
		case id != "" && kind != "" && strings.HasPrefix(line, "   ") && trimmed != "":
			groups[id][kind] = append(groups[id][kind], strings.TrimLeft(trimmed, "+-=! "))
		}
	}
	for _, byKind := range groups {
		for _, pkgs := range byKind {
			sort.Strings(pkgs)
		}
	}
	return groups
}
