package startpages

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Release unmaps the pages of the running binary's mappings that hold
// the file as it is on disk (its code, constants and tables), which the
// kernel maps again from the page cache when they are next read. A
// mapping that was written to keeps its pages: a writable one, and a
// read-only one whose pages were written before it was made read-only
// (the relocated tables of a dynamically linked binary), which smaps
// counts as anonymous memory. It does nothing where /proc/self/smaps
// cannot be read.
func Release() {
	var st unix.Stat_t
	if err := unix.Stat("/proc/self/exe", &st); err != nil {
		return
	}
	file := fmt.Sprintf("%02x:%02x %d", unix.Major(st.Dev), unix.Minor(st.Dev), st.Ino)
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return
	}
	defer f.Close()
	var start, size uintptr
	clean := false // the current mapping is the file's, read-only, never written
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if a, b, ok := fileMapping(line, file); ok || isMapping(line) {
			start, size, clean = a, b, ok
			continue
		}
		// Anonymous is the last of a mapping's sizes that says whether
		// its pages are still the file's.
		if kb, ok := strings.CutPrefix(line, "Anonymous:"); ok && clean {
			if strings.TrimSpace(kb) == "0 kB" {
				unix.Syscall(unix.SYS_MADVISE, start, size, unix.MADV_DONTNEED)
			}
			clean = false
		}
	}
}

// isMapping says whether a line of smaps starts a mapping ("start-end
// perms offset dev inode [path]"), not one of its fields ("Rss: 4 kB").
func isMapping(line string) bool {
	f, _, _ := strings.Cut(line, " ")
	return strings.Contains(f, "-") && !strings.HasSuffix(f, ":")
}

// fileMapping parses a line of smaps that starts a mapping and returns
// the mapping's range when it maps file ("major:minor inode", as the
// line writes them) without write access.
func fileMapping(line, file string) (start, size uintptr, ok bool) {
	f := strings.Fields(line)
	if len(f) < 6 || f[3]+" "+f[4] != file || len(f[1]) < 2 || f[1][1] != '-' {
		return 0, 0, false
	}
	lo, hi, _ := strings.Cut(f[0], "-")
	a, errA := strconv.ParseUint(lo, 16, 64)
	b, errB := strconv.ParseUint(hi, 16, 64)
	if errA != nil || errB != nil || b <= a {
		return 0, 0, false
	}
	return uintptr(a), uintptr(b - a), true
}
