package startpages

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Release unmaps the pages of the running binary's read-only mappings
// (its code, constants and tables), which the kernel maps again from the
// page cache when they are next read. Writable mappings keep their pages:
// they may hold what the program wrote. It does nothing where
// /proc/self/maps cannot be read.
func Release() {
	var st unix.Stat_t
	if err := unix.Stat("/proc/self/exe", &st); err != nil {
		return
	}
	file := fmt.Sprintf("%02x:%02x %d", unix.Major(st.Dev), unix.Minor(st.Dev), st.Ino)
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		start, size, ok := readOnlyMapping(s.Text(), file)
		if ok {
			unix.Syscall(unix.SYS_MADVISE, start, size, unix.MADV_DONTNEED)
		}
	}
}

// readOnlyMapping parses a line of /proc/self/maps ("start-end perms
// offset dev inode path") and returns the mapping's range when it maps
// file ("major:minor inode", as the line writes them) without write
// access.
func readOnlyMapping(line, file string) (start, size uintptr, ok bool) {
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
