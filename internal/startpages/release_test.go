package startpages

import (
	"bufio"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-build/strata/sdk/sdktest"
)

func TestFileMapping(t *testing.T) {
	const file = "fd:01 1234"
	for _, tc := range []struct {
		line  string
		ok    bool
		start uintptr
		size  uintptr
	}{
		{"00400000-00dfa000 r-xp 00000000 fd:01 1234 /bin/strata", true, 0x400000, 0xdfa000 - 0x400000},
		{"00dfa000-018ab000 r--p 009fa000 fd:01 1234 /bin/strata", true, 0xdfa000, 0x18ab000 - 0xdfa000},
		{"018ab000-01950000 rw-p 014ab000 fd:01 1234 /bin/strata", false, 0, 0}, // data: written to
		{"00400000-00dfa000 r-xp 00000000 fd:02 1234 /other/disk", false, 0, 0}, // same inode, another disk
		{"00400000-00dfa000 r-xp 00000000 fd:01 12345 /bin/other", false, 0, 0}, // another file
		{"7ffd1000-7ffd3000 r-xp 00000000 00:00 0 [vdso]", false, 0, 0},
		{"01950000-0399d000 rw-p 00000000 00:00 0", false, 0, 0},
		{"zz-00dfa000 r-xp 00000000 fd:01 1234 /bin/strata", false, 0, 0},
		{"00dfa000-00400000 r-xp 00000000 fd:01 1234 /bin/strata", false, 0, 0},
		{"", false, 0, 0},
	} {
		start, size, ok := fileMapping(tc.line, file)
		if ok != tc.ok || start != tc.start || size != tc.size {
			t.Errorf("%q: %#x %#x %v, want %#x %#x %v", tc.line, start, size, ok, tc.start, tc.size, tc.ok)
		}
	}
}

// TestRelease checks that the test binary's read-only pages leave its
// resident set, and that the program runs on after.
func TestRelease(t *testing.T) {
	before := binaryRSS(t)
	Release()
	after := binaryRSS(t)
	t.Logf("resident pages of the binary: %d KiB before, %d KiB after", before, after)
	if after >= before {
		t.Errorf("%d KiB of the binary resident after Release, %d before", after, before)
	}
	if strings.Repeat("x", 3) != "xxx" { // code runs again from the page cache
		t.Error("strings.Repeat broke")
	}
}

// TestReleaseKeepsRelocatedTables runs a program linked by the system
// linker, as strata is when built with cgo: the loader writes its
// relocated tables, then makes them read-only. Were their pages given
// back, the file's unrelocated bytes would come back in their place, and
// the program would jump to address 0 in its first call into C.
func TestReleaseKeepsRelocatedTables(t *testing.T) {
	sdktest.NeedTool(t, "gcc")
	bin := filepath.Join(t.TempDir(), "relro")
	build := exec.Command("go", "build", "-ldflags=-linkmode=external", "-o", bin, "./testdata/relro")
	build.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !slices.ContainsFunc(f.Progs, func(p *elf.Prog) bool { return p.Type == elf.PT_GNU_RELRO }) {
		t.Fatal("the program has no read-only relocated tables (GNU_RELRO) to keep")
	}
	out, err := exec.Command(bin).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "root" {
		t.Errorf("the program after Release: %v\n%s", err, out)
	}
}

// binaryRSS sums the resident KiB of the mappings of the running binary
// that Release gives back, as /proc/self/smaps counts them.
func binaryRSS(t *testing.T) int {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		t.Skip(err)
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	total, inBinary := 0, false
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		switch {
		case len(fields) >= 2 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"):
			inBinary = len(fields) >= 6 && fields[5] == exe && fields[1][1] == '-'
		case inBinary && fields[0] == "Rss:":
			kb, _ := strconv.Atoi(fields[1])
			total += kb
		}
	}
	return total
}
