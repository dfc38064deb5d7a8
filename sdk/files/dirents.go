package files

import (
	"encoding/binary"
	"fmt"
	"os"
	"syscall"
)

// Dirent is a directory entry as the kernel lists it: a name, its inode
// number and its type, known without asking about the file itself.
type Dirent struct {
	Name string
	Ino  uint64
	// Type is one of the syscall.DT_* values; DT_UNKNOWN where the file
	// system does not say (then Lstat the entry).
	Type uint8
}

// ReadDirents lists dir with the device it is on. Telling which of many
// files are hard links of known ones by their inode numbers this way
// costs one system call per directory block instead of one per file.
func ReadDirents(dir string) (dev uint64, entries []Dirent, err error) {
	f, err := os.Open(dir)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		return 0, nil, &os.PathError{Op: "fstat", Path: dir, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFDIR {
		return 0, nil, &os.PathError{Op: "readdirent", Path: dir, Err: syscall.ENOTDIR}
	}
	entries, err = readDirents(int(f.Fd()), dir)
	if err != nil {
		return 0, nil, err
	}
	return uint64(st.Dev), entries, nil
}

// readDirents lists the open directory fd, named dir in errors.
func readDirents(fd int, dir string) ([]Dirent, error) {
	var entries []Dirent
	buf := make([]byte, 32<<10)
	for {
		n, err := syscall.ReadDirent(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			return entries, nil
		}
		if entries, err = parseDirents(buf[:n], entries); err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
	}
}

// parseDirents appends the entries of a buffer of linux_dirent64
// records (inode, offset, record length, type, NUL-terminated name),
// leaving out "." and "..".
func parseDirents(b []byte, out []Dirent) ([]Dirent, error) {
	const nameOff = 19
	for len(b) > 0 {
		if len(b) < nameOff {
			return nil, fmt.Errorf("directory record cut short")
		}
		reclen := int(binary.NativeEndian.Uint16(b[16:18]))
		if reclen < nameOff || reclen > len(b) {
			return nil, fmt.Errorf("directory record of %d bytes", reclen)
		}
		name := b[nameOff:reclen]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		if s := string(name); s != "." && s != ".." {
			out = append(out, Dirent{Name: s, Ino: binary.NativeEndian.Uint64(b[0:8]), Type: b[18]})
		}
		b = b[reclen:]
	}
	return out, nil
}
