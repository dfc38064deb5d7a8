package files

import (
	"encoding/binary"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
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

// EachDirent calls fn with each entry of dir, as ReadDirents lists
// them, and keeps none: name is valid only during the call. A directory
// of tens of thousands of files is listed without a list of them.
func EachDirent(dir string, fn func(name []byte, ino uint64, typ uint8) error) error {
	fd, err := openDir(unix.AT_FDCWD, dir)
	if err != nil {
		return &os.PathError{Op: "open", Path: dir, Err: err}
	}
	defer unix.Close(fd)
	return eachDirent(fd, dir, fn)
}

// readDirents lists the open directory fd, named dir in errors.
func readDirents(fd int, dir string) ([]Dirent, error) {
	var entries []Dirent
	err := eachDirent(fd, dir, func(name []byte, ino uint64, typ uint8) error {
		entries = append(entries, Dirent{Name: string(name), Ino: ino, Type: typ})
		return nil
	})
	return entries, err
}

// eachDirent calls fn with each entry of the open directory fd, named
// dir in errors.
func eachDirent(fd int, dir string, fn func(name []byte, ino uint64, typ uint8) error) error {
	buf := make([]byte, 32<<10)
	for {
		n, err := syscall.ReadDirent(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return &os.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			return nil
		}
		if err := parseDirents(buf[:n], dir, fn); err != nil {
			return err
		}
	}
}

// parseDirents calls fn with each entry of a buffer of linux_dirent64
// records (inode, offset, record length, type, NUL-terminated name) read
// from dir, leaving out "." and "..", until fn fails.
func parseDirents(b []byte, dir string, fn func(name []byte, ino uint64, typ uint8) error) error {
	const nameOff = 19
	for len(b) > 0 {
		if len(b) < nameOff {
			return fmt.Errorf("%s: directory record cut short", dir)
		}
		reclen := int(binary.NativeEndian.Uint16(b[16:18]))
		if reclen < nameOff || reclen > len(b) {
			return fmt.Errorf("%s: directory record of %d bytes", dir, reclen)
		}
		name := b[nameOff:reclen]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		if s := string(name); s != "." && s != ".." {
			if err := fn(name, binary.NativeEndian.Uint64(b[0:8]), b[18]); err != nil {
				return err
			}
		}
		b = b[reclen:]
	}
	return nil
}
