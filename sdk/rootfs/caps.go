package rootfs

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// capNames are the capability names of linux/capability.h, by number.
var capNames = []string{
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill",
	"setgid", "setuid", "setpcap", "linux_immutable", "net_bind_service",
	"net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
	"sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
	"sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time",
	"sys_tty_config", "mknod", "lease", "audit_write", "audit_control",
	"setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
	"block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
}

// Capability xattr layout, linux/capability.h: VFS_CAP_REVISION_2 with
// two 32-bit words each of permitted and inheritable bits.
const (
	vfsCapRevision2 = 0x02000000
	vfsCapEffective = 0x000001
	vfsCapSize      = 20
)

// CapsXattr turns capabilities in libcap's text form (cap_from_text(3),
// as rpm stores them in FILECAPS: "cap_net_raw=ep", "cap_a,cap_b+ep",
// "= cap_x+p") into the security.capability extended attribute value
// that setcap(8) would write.
func CapsXattr(text string) ([]byte, error) {
	var eff, inh, perm uint64
	for _, clause := range strings.Fields(text) {
		i := strings.IndexAny(clause, "=+-")
		if i < 0 {
			return nil, fmt.Errorf("capability clause %q has no operator", clause)
		}
		set, err := capSet(clause[:i])
		if err != nil {
			return nil, err
		}
		ops := clause[i:]
		for len(ops) > 0 {
			op := ops[0]
			j := 1
			for j < len(ops) && strings.IndexByte("=+-", ops[j]) < 0 {
				j++
			}
			flags := ops[1:j]
			ops = ops[j:]
			if op == '=' {
				eff, inh, perm = eff&^set, inh&^set, perm&^set
			}
			for _, f := range flags {
				var target *uint64
				switch f {
				case 'e':
					target = &eff
				case 'i':
					target = &inh
				case 'p':
					target = &perm
				default:
					return nil, fmt.Errorf("capability clause %q: unknown flag %q", clause, f)
				}
				if op == '-' {
					*target &^= set
				} else {
					*target |= set
				}
			}
		}
	}
	b := make([]byte, vfsCapSize)
	magic := uint32(vfsCapRevision2)
	if eff != 0 {
		magic |= vfsCapEffective
	}
	binary.LittleEndian.PutUint32(b[0:], magic)
	binary.LittleEndian.PutUint32(b[4:], uint32(perm))
	binary.LittleEndian.PutUint32(b[8:], uint32(inh))
	binary.LittleEndian.PutUint32(b[12:], uint32(perm>>32))
	binary.LittleEndian.PutUint32(b[16:], uint32(inh>>32))
	return b, nil
}

// capSet parses a comma-separated list of capabilities; empty or "all"
// means every capability.
func capSet(list string) (uint64, error) {
	if list == "" || list == "all" {
		return 1<<len(capNames) - 1, nil
	}
	var set uint64
	for _, name := range strings.Split(list, ",") {
		n, err := capNumber(name)
		if err != nil {
			return 0, err
		}
		set |= 1 << n
	}
	return set, nil
}

func capNumber(name string) (int, error) {
	if n, err := strconv.Atoi(name); err == nil && n >= 0 && n < 64 {
		return n, nil
	}
	short := strings.TrimPrefix(strings.ToLower(name), "cap_")
	for i, c := range capNames {
		if c == short {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown capability %q", name)
}
