package compsimport

import (
	"strings"
	"testing"
)

const sample = `<?xml version="1.0" encoding="UTF-8"?>
<comps>
  <group>
    <id>3d-printing</id>
    <name>3D Printing</name>
    <name xml:lang="de">3D-Druck</name>
    <description>Printing in three dimensions</description>
    <default>true</default>
    <uservisible>false</uservisible>
    <display_order>5</display_order>
    <packagelist>
      <packagereq>admesh</packagereq>
      <packagereq type="default" arch="x86_64">cura</packagereq>
      <packagereq type="optional">blender</packagereq>
      <packagereq type="conditional" requires="blender">blender-help</packagereq>
    </packagelist>
    <sparkle/>
  </group>
  <environment>
    <id>maker-environment</id>
    <name>Maker</name>
    <grouplist><groupid>3d-printing</groupid><groupid>missing</groupid></grouplist>
    <optionlist><groupid>3d-printing</groupid></optionlist>
  </environment>
</comps>`

// Every group field the language has, an environment as a module, and
// warnings naming what is not imported.
func TestImport(t *testing.T) {
	c, err := Parse(strings.NewReader(sample), "sample.xml")
	if err != nil {
		t.Fatal(err)
	}
	want := `# Imported from sample.xml by strata import comps.

# comps gives these only on some architectures: cura (x86_64)
group "_3d-printing" {
  id          = "3d-printing"
  name        = "3D Printing"
  description = "Printing in three dimensions"
  mandatory = [
    "admesh",
  ]
  default = [
    "cura",
  ]
  optional = [
    "blender",
  ]
  conditional = {
    blender-help = "blender"
  }
  user_visible  = false
  display_order = 5
  name_translations = {
    de = "3D-Druck"
  }
}

# Environment "maker-environment": its groups make a module; a variant selects it.
# Groups it offers (modules of their own, for variants to add): group._3d-printing
module "maker-environment" {
  name    = "Maker"
  summary = "Maker"
  groups  = [group._3d-printing]
}
`
	if got := string(c.HCL("sample.xml")); got != want {
		t.Errorf("HCL:\n%s\nwant:\n%s", got, want)
	}
	warnings := strings.Join(c.Warnings, "\n")
	for _, w := range []string{"unknown element <sparkle> in group \"3d-printing\"", "<default>true</default> of 3d-printing not imported",
		"environment \"maker-environment\" names group \"missing\", which the file does not define"} {
		if !strings.Contains(warnings, w) {
			t.Errorf("warnings lack %q:\n%s", w, warnings)
		}
	}
}

func TestRefuses(t *testing.T) {
	for _, tc := range []struct{ xml, want string }{
		{"<comps><group><id>a</id></group", "sample.xml: XML syntax error on line 1"},
		{"<comps><group><name>x</name></group></comps>", "a <group> has no <id>"},
		{"<comps><group><id>a</id></group><group><id>a</id></group></comps>", `group "a" is given twice`},
		{"<other/>", "expected element type <comps>"},
	} {
		if _, err := Parse(strings.NewReader(tc.xml), "sample.xml"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.xml, err, tc.want)
		}
	}
}
