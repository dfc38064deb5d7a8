package rootfs

import (
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/strata-build/strata/sdk/sdktest"
)

// CapsXattr must write what setcap(8) writes for the same text.
func TestCapsXattrMatchesSetcap(t *testing.T) {
	setcap := sdktest.NeedTool(t, "setcap")
	if os.Geteuid() != 0 {
		t.Skip("setcap needs root")
	}
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		"cap_net_raw=ep", "cap_net_admin,cap_net_raw+ep", "cap_sys_admin=p",
		"cap_chown+i cap_kill+p", "=", "all=ep", "cap_bpf,cap_perfmon=eip",
		"all=p cap_sys_admin-p", "cap_setuid=ep cap_setuid-e",
	} {
		if out, err := exec.Command(setcap, text, file).CombinedOutput(); err != nil {
			t.Fatalf("setcap %q: %v\n%s", text, err, out)
		}
		buf := make([]byte, 64)
		n, err := syscall.Getxattr(file, "security.capability", buf)
		if err != nil {
			t.Fatal(err)
		}
		got, err := CapsXattr(text)
		if err != nil {
			t.Fatalf("CapsXattr(%q): %v", text, err)
		}
		if hex.EncodeToString(got) != hex.EncodeToString(buf[:n]) {
			t.Errorf("CapsXattr(%q) = %x, setcap wrote %x", text, got, buf[:n])
		}
	}
}

func TestCapsXattrErrors(t *testing.T) {
	for _, text := range []string{"cap_bogus=ep", "cap_net_raw", "cap_net_raw=x"} {
		if _, err := CapsXattr(text); err == nil {
			t.Errorf("CapsXattr(%q) succeeded", text)
		}
	}
}
