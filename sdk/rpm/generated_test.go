package rpm_test

import (
	"testing"

	"github.com/strata-build/strata/sdk/sdktest"
)

// generatedRPMs builds packages that cover what the shared test RPMs do
// not: every payload compressor, file capabilities, rich dependencies.
func generatedRPMs(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	var out []string
	for i, comp := range []string{"gzip", "xz", "zstd", "lzma"} {
		r := sdktest.RPM{
			Name: "gen-" + comp, Version: "1.2", Release: "3", Arch: "x86_64",
			Epoch: uint32(i), Compressor: comp, BuildTime: 1700000000,
			Provides:   []string{"virt(gen) = 1.0", "other"},
			Requires:   []string{"bash >= 4.0", "(foo or bar)", "/bin/sh"},
			Conflicts:  []string{"old-gen < 1.0"},
			Obsoletes:  []string{"gen-legacy <= 0.9-1"},
			Recommends: []string{"gen-docs"},
			Files: []sdktest.File{
				{Path: "/usr/bin/gen", Body: "#!/bin/sh\necho gen\n", Mode: 0o755},
				{Path: "/usr/bin/ping-gen", Body: "ping", Mode: 0o4755, Caps: "cap_net_raw=ep"},
				{Path: "/usr/share/gen", Mode: 0o040755},
				{Path: "/usr/share/gen/link", Body: "../../bin/gen", Mode: 0o120777},
				{Path: "/etc/gen.conf", Body: "x=1\n", Config: true, Owner: "daemon", Group: "adm"},
				{Path: "/var/log/gen.log", Ghost: true},
			},
		}
		p, err := sdktest.BuildRPM(dir, r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}
