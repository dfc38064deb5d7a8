package files

import (
	"strings"
	"testing"
)

func TestCheckName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"x86_64", true}, {"Fedora-41-20261205.0", true}, {"with space", true}, {strings.Repeat("a", 255), true},
		{"", false}, {".", false}, {"..", false}, {"a/b", false}, {"../../etc", false}, {"/etc", false},
		{"nul\x00", false}, {strings.Repeat("a", 256), false},
	} {
		if err := CheckName(tc.name); (err == nil) != tc.ok {
			t.Errorf("CheckName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{"Server/x86_64/os", true}, {"a", true},
		{"", false}, {"a/../b", false}, {"/a", false}, {"a/", false}, {"a//b", false}, {"./a", false},
	} {
		if err := CheckRelPath(tc.path); (err == nil) != tc.ok {
			t.Errorf("CheckRelPath(%q) = %v, want ok=%v", tc.path, err, tc.ok)
		}
	}
}
