package benchrun

import (
	"fmt"
	"strings"
)

// Variant is one variant of the Fedora benchmarks: one environment of
// Fedora 41's comps, imported as a module.
type Variant struct{ Name, UID, Module string }

// FedoraVariants are the four variants the Fedora benchmarks compose.
var FedoraVariants = []Variant{
	{"workstation", "Workstation", "workstation-product-environment"},
	{"server", "Server", "server-product-environment"},
	{"cloud", "Cloud", "cloud-server-environment"},
	{"kde", "KDE", "kde-desktop-environment"},
}

// FedoraConfig is the Fedora benchmarks' product: a compose of variants
// from ./rpms, a repository each; composeExtra adds lines to the compose
// block.
func FedoraConfig(variants []Variant, composeExtra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `compose {
  name    = "Fedora"
  short   = "Fedora"
  version = "41"
  arches  = ["x86_64"]
%s}

source "rpm_dir" "koji" {
  path = "./rpms"
}
`, composeExtra)
	var each []string
	for _, v := range variants {
		fmt.Fprintf(&b, "\nvariant %q {\n  uid     = %q\n  modules = [module.%s]\n}\n", v.Name, v.UID, v.Module)
		each = append(each, fmt.Sprintf("%s = variant.%s", v.Name, v.Name))
	}
	fmt.Fprintf(&b, "\nartifact \"yumrepo\" \"os\" {\n  for_each = { %s }\n  variant  = each.value\n}\n", strings.Join(each, ", "))
	return b.String()
}
