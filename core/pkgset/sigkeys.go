package pkgset

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// bySigKeys keeps the packages of a source signed with one of its keys,
// as Pungi's pkgset phase does: of several copies of one NEVRA the one
// signed with the key listed first. It returns a warning naming every
// package refused and why.
func bySigKeys(pkgs []*Package, s Source, addr string) ([]*Package, *hcl.Diagnostic) {
	rank := func(p *Package) int {
		for i, k := range s.SigKeys {
			k = strings.ToLower(k)
			if k == "" && p.SigKey == "" || k != "" && p.SigKey != "" && strings.HasSuffix(p.SigKey, k) {
				return i
			}
		}
		return -1
	}
	best := map[string]*Package{}
	var refused []string
	for _, p := range pkgs {
		r := rank(p)
		if r < 0 {
			why := "unsigned"
			if p.SigKey != "" {
				why = "signed with key " + ShortKey(p.SigKey) + ", not one of sigkeys"
			}
			refused = append(refused, fmt.Sprintf("%s (%s)", p.Location, why))
			continue
		}
		if b := best[p.NEVRA()]; b == nil || r < rank(b) {
			if b != nil {
				refused = append(refused, fmt.Sprintf("%s (a copy signed with a key listed earlier is taken)", b.Location))
			}
			best[p.NEVRA()] = p
		} else {
			refused = append(refused, fmt.Sprintf("%s (a copy signed with a key listed earlier is taken)", p.Location))
		}
	}
	out := make([]*Package, 0, len(best))
	for _, p := range pkgs {
		if best[p.NEVRA()] == p {
			out = append(out, p)
		}
	}
	if len(refused) == 0 {
		return out, nil
	}
	sort.Strings(refused)
	return out, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Packages refused by sigkeys",
		Detail: fmt.Sprintf("%s takes only packages signed with %s; %d are refused:\n  %s",
			addr, strings.Join(quoted(s.SigKeys), ", "), len(refused), strings.Join(refused, "\n  ")),
		Subject: s.Range.Ptr()}
}

// ShortKey is a key id as Pungi and productmd write it: its last 8 hex
// digits.
func ShortKey(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}

func quoted(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%q", k)
	}
	return out
}
