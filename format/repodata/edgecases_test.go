package repodata

import "github.com/strata-build/strata/sdk/sdktest"

// edgeCases are packages that exercise what createrepo_c does to
// metadata: text that is not UTF-8, markup and whitespace to escape, a
// control character (the package is left out), requirement filtering
// (own files, provides, duplicates, libc, rpmlib), every dependency kind,
// and primary files.
func edgeCases() []sdktest.RPM {
	return []sdktest.RPM{
		{Name: "latin1", Version: "1", Release: "1", Arch: "x86_64", BuildTime: 1700000000,
			Summary: "Caf\xe9 cr\xe8me \xa9 2024", Description: "Line one\r\nline <two> & \"three\"\ttabbed",
			Provides: []string{"caf\xe9"}, Files: []sdktest.File{{Path: "/usr/share/caf\xe9/readme", Body: "x"}}},
		{Name: "control", Version: "1", Release: "1", Summary: "bell \x07 here"},
		{Name: "filters", Version: "2.0", Release: "3", Arch: "x86_64", BuildTime: 1700000000,
			Provides: []string{"config(filters) = 2.0-3", "libfilters.so.1()(64bit)"},
			Requires: []string{
				"config(filters) = 2.0-3", "/usr/bin/filters", "/usr/share/filters/data", "/etc/filters.conf",
				"libc.so.6()(64bit)", "libc.so.6(GLIBC_2.2.5)(64bit)", "libc.so.6(GLIBC_2.34)(64bit)", "libc.so.6(GLIBC_2.14)(64bit)",
				"dup >= 1", "dup >= 1", "dup >= 2", "rpmlib(PayloadIsZstd) <= 5.4.18-1", "/bin/sh",
				"(rich or dep)", "epoch >= 3:1.0-1",
			},
			Conflicts: []string{"old-filters < 2"}, Obsoletes: []string{"filters-legacy"},
			Recommends: []string{"filters-docs >= 1"}, Suggests: []string{"(filters-extra if gui)"},
			Files: []sdktest.File{
				{Path: "/usr/bin/filters", Body: "bin", Mode: 0o755},
				{Path: "/usr/share/filters", Mode: 0o40755},
				{Path: "/usr/share/filters/data", Body: "data"},
				{Path: "/etc/filters.conf", Body: "conf", Config: true},
				{Path: "/usr/share/robin/bin/x", Body: "contains bin/"},
				{Path: "/var/log/filters.log", Ghost: true},
				{Path: "/usr/lib/sendmail", Body: "sendmail"},
			}},
	}
}
