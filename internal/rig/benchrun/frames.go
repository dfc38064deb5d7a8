package benchrun

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// addFrames adds the page frames resident in pid's memory to frames and
// returns how many pages are resident: each mapping's entries in
// /proc/PID/pagemap, 8 bytes a page, whose bit 63 says the page is
// present and bits 0-54 give its frame (zero without CAP_SYS_ADMIN).
// Reserved address space (no access) is passed over: a Go program
// reserves far more than it maps.
func addFrames(pid int, frames map[uint64]bool) (present int) {
	maps, err := os.Open(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return 0
	}
	defer maps.Close()
	pagemap, err := os.Open(fmt.Sprintf("/proc/%d/pagemap", pid))
	if err != nil {
		return 0
	}
	defer pagemap.Close()
	page := uint64(os.Getpagesize())
	buf := make([]byte, 8*4096)
	s := bufio.NewScanner(maps)
	for s.Scan() {
		f := strings.Fields(s.Text())
		if len(f) < 2 || f[1] == "---p" {
			continue
		}
		lo, hi, _ := strings.Cut(f[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		for p := start / page; p < end/page; {
			n := min(uint64(len(buf)/8), end/page-p)
			got, _ := pagemap.ReadAt(buf[:8*n], int64(p*8))
			for i := 0; i+8 <= got; i += 8 {
				e := binary.LittleEndian.Uint64(buf[i:])
				if e&(1<<63) == 0 {
					continue
				}
				present++
				if e&(1<<55-1) != 0 {
					frames[e&(1<<55-1)] = true
				}
			}
			p += n
		}
	}
	return present
}
