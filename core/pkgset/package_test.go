package pkgset

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestNEVRA(t *testing.T) {
	for _, c := range []struct {
		p    *Package
		want string
	}{
		{&Package{Name: "bash", Version: "5.2", Release: "1.fc41", Arch: "x86_64"}, "bash-5.2-1.fc41.x86_64"},
		{&Package{Name: "shadow-utils", Epoch: 2, Version: "4.15", Release: "3", Arch: "x86_64"}, "shadow-utils-2:4.15-3.x86_64"},
	} {
		if got := c.p.NEVRA(); got != c.want {
			t.Errorf("NEVRA = %q, want %q", got, c.want)
		}
	}
	var pkgs []*Package
	for i := range 50 {
		pkgs = append(pkgs, &Package{Name: string(rune('a' + i%26)), Epoch: uint64(i % 3), Version: "1", Release: string(rune('0' + i%10)), Arch: "noarch"})
	}
	rand.Shuffle(len(pkgs), func(i, j int) { pkgs[i], pkgs[j] = pkgs[j], pkgs[i] })
	sortByNEVRA(pkgs)
	if !slices.IsSortedFunc(pkgs, func(a, b *Package) int { return strings.Compare(a.NEVRA(), b.NEVRA()) }) {
		t.Error("not sorted by NEVRA")
	}
}
