package rpm

import "testing"

// Cases from rpm's tests/rpmvercmp.at.
func TestVercmp(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1.0", "1.0", 0}, {"1.0", "2.0", -1}, {"2.0", "1.0", 1},
		{"2.0.1", "2.0.1", 0}, {"2.0", "2.0.1", -1}, {"2.0.1", "2.0", 1},
		{"2.0.1a", "2.0.1a", 0}, {"2.0.1a", "2.0.1", 1}, {"2.0.1", "2.0.1a", -1},
		{"5.5p1", "5.5p1", 0}, {"5.5p1", "5.5p2", -1}, {"5.5p2", "5.5p1", 1},
		{"5.5p10", "5.5p10", 0}, {"5.5p1", "5.5p10", -1}, {"5.5p10", "5.5p1", 1},
		{"10xyz", "10.1xyz", -1}, {"10.1xyz", "10xyz", 1},
		{"xyz10", "xyz10", 0}, {"xyz10", "xyz10.1", -1}, {"xyz10.1", "xyz10", 1},
		{"xyz.4", "xyz.4", 0}, {"xyz.4", "8", -1}, {"8", "xyz.4", 1},
		{"xyz.4", "2", -1}, {"2", "xyz.4", 1},
		{"5.5p2", "5.6p1", -1}, {"5.6p1", "5.5p2", 1},
		{"5.6p1", "6.5p1", -1}, {"6.5p1", "5.6p1", 1},
		{"6.0.rc1", "6.0", 1}, {"6.0", "6.0.rc1", -1},
		{"10b2", "10a1", 1}, {"10a2", "10b2", -1},
		{"1.0aa", "1.0aa", 0}, {"1.0a", "1.0aa", -1}, {"1.0aa", "1.0a", 1},
		{"10.0001", "10.0001", 0}, {"10.0001", "10.1", 0}, {"10.1", "10.0001", 0},
		{"10.0001", "10.0039", -1}, {"10.0039", "10.0001", 1},
		{"4.999.9", "5.0", -1}, {"5.0", "4.999.9", 1},
		{"20101121", "20101121", 0}, {"20101121", "20101122", -1}, {"20101122", "20101121", 1},
		{"2_0", "2_0", 0}, {"2.0", "2_0", 0}, {"2_0", "2.0", 0},
		{"a", "a", 0}, {"a+", "a+", 0}, {"a+", "a_", 0}, {"a_", "a+", 0},
		{"+a", "+a", 0}, {"+a", "_a", 0}, {"_a", "+a", 0},
		{"+_", "+_", 0}, {"_+", "+_", 0}, {"_+", "_+", 0}, {"+", "_", 0}, {"_", "+", 0},
		{"1.0~rc1", "1.0~rc1", 0}, {"1.0~rc1", "1.0", -1}, {"1.0", "1.0~rc1", 1},
		{"1.0~rc1", "1.0~rc2", -1}, {"1.0~rc2", "1.0~rc1", 1},
		{"1.0~rc1~git123", "1.0~rc1~git123", 0}, {"1.0~rc1~git123", "1.0~rc1", -1},
		{"1.0~rc1", "1.0~rc1~git123", 1},
		{"1.0^", "1.0^", 0}, {"1.0^", "1.0", 1}, {"1.0", "1.0^", -1},
		{"1.0^git1", "1.0^git1", 0}, {"1.0^git1", "1.0", 1}, {"1.0", "1.0^git1", -1},
		{"1.0^git1", "1.0^git2", -1}, {"1.0^git2", "1.0^git1", 1},
		{"1.0^git1", "1.01", -1}, {"1.01", "1.0^git1", 1},
		{"1.0^20160101", "1.0^20160101", 0}, {"1.0^20160101", "1.0.1", -1},
		{"1.0.1", "1.0^20160101", 1},
		{"1.0^20160101^git1", "1.0^20160101^git1", 0},
		{"1.0^20160102", "1.0^20160101^git1", 1}, {"1.0^20160101^git1", "1.0^20160102", -1},
		{"1.0~rc1^git1", "1.0~rc1^git1", 0}, {"1.0~rc1^git1", "1.0~rc1", 1},
		{"1.0~rc1", "1.0~rc1^git1", -1},
		{"1.0^git1~pre", "1.0^git1~pre", 0}, {"1.0^git1", "1.0^git1~pre", 1},
		{"1.0^git1~pre", "1.0^git1", -1},
	}
	for _, c := range cases {
		if got := Vercmp(c.a, c.b); got != c.want {
			t.Errorf("Vercmp(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestOverlaps(t *testing.T) {
	dep := func(name string, f Flags, v string) Dependency { return Dependency{Name: name, Flags: f, Version: v} }
	const (
		eq = SenseEqual
		ge = SenseGreater | SenseEqual
		le = SenseLess | SenseEqual
		lt = SenseLess
		gt = SenseGreater
	)
	cases := []struct {
		provide, require Dependency
		want             bool
	}{
		{dep("a", 0, ""), dep("a", ge, "2"), true},            // unversioned provide
		{dep("a", eq, "1.0-1"), dep("a", 0, ""), true},        // unversioned require
		{dep("a", eq, "1.0-1"), dep("a", ge, "1.0"), true},    // release ignored when absent
		{dep("a", eq, "1.0-1"), dep("a", eq, "1.0"), true},    //
		{dep("a", eq, "1.0-1"), dep("a", eq, "1.0-2"), false}, //
		{dep("a", eq, "1.0-1"), dep("a", gt, "1.0"), false},
		{dep("a", eq, "1.0-1"), dep("a", lt, "1.1"), true},
		{dep("a", eq, "2:0.5-1"), dep("a", ge, "1.0"), true}, // epoch wins
		{dep("a", eq, "0.5-1"), dep("a", ge, "1:0.1"), false},
		{dep("a", eq, "0:1.0-1"), dep("a", eq, "1.0-1"), true}, // epoch 0 == absent
		{dep("a", ge, "2"), dep("a", le, "3"), true},           // ranges
		{dep("a", ge, "4"), dep("a", le, "3"), false},
		{dep("a", le, "2"), dep("a", lt, "2"), true},
		{dep("a", eq, "1.0~rc1-1"), dep("a", ge, "1.0"), false},
	}
	for _, c := range cases {
		if got := Overlaps(c.provide, c.require); got != c.want {
			t.Errorf("Overlaps(%v, %v) = %v, want %v", c.provide, c.require, got, c.want)
		}
	}
}
