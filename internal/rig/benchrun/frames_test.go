package benchrun

import (
	"os"
	"testing"
)

// The frames of this process number about its resident pages; without
// root, pagemap hides them and none are counted.
func TestAddFrames(t *testing.T) {
	frames := map[uint64]bool{}
	present := addFrames(os.Getpid(), frames)
	rss := residentMB(os.Getpid())
	got := float64(len(frames)*os.Getpagesize()) / (1 << 20)
	if p := float64(present*os.Getpagesize()) / (1 << 20); p < rss*0.8 || p > rss*1.05 {
		t.Errorf("%.1f MB of pages present, %.1f MB resident", p, rss)
	}
	if os.Geteuid() != 0 {
		if len(frames) != 0 {
			t.Errorf("%d frames counted without root", len(frames))
		}
		t.Skip("reading page frames needs root")
	}
	if got < rss*0.8 || got > rss*1.05 {
		t.Errorf("%.1f MB of frames, %.1f MB resident", got, rss)
	}
}
