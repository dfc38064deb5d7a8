package rpm

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// cpio formats used in RPM payloads (rpm's lib/cpio.c): "newc" with or
// without checksums, and the "stripped" form rpm 4.12+ writes for packages
// with files over 4 GiB, whose header is just the index of the file in the
// package's file list.
const (
	cpioNewc       = "070701"
	cpioCRC        = "070702"
	cpioStripped   = "07070X"
	cpioTrailer    = "TRAILER!!!"
	cpioHeaderSize = 110
	maxCpioName    = 4096
)

// PayloadEntry is one member of a package's payload archive.
type PayloadEntry struct {
	// Path is the absolute path the member installs to.
	Path string
	// Index is the member's position in the header file list when the
	// archive is in stripped form (then Path is filled from the header),
	// otherwise -1.
	Index int
	Mode  uint32
	Size  int64
	Inode uint64
	Nlink uint32
}

// cpioReader walks a cpio archive, tracking its offset for alignment and
// for error messages.
type cpioReader struct {
	r      *bufio.Reader
	off    int64
	remain int64 // unread bytes of the current member
	files  []File
}

func (c *cpioReader) Read(b []byte) (int, error) {
	if c.remain <= 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > c.remain {
		b = b[:c.remain]
	}
	n, err := c.r.Read(b)
	c.off += int64(n)
	c.remain -= int64(n)
	if err == io.EOF && c.remain > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

func (c *cpioReader) skip(n int64) error {
	m, err := c.r.Discard(int(n))
	c.off += int64(m)
	return err
}

func (c *cpioReader) align() error {
	if p := (4 - c.off%4) % 4; p != 0 {
		return c.skip(p)
	}
	return nil
}

// next skips what is left of the current member and reads the next header.
func (c *cpioReader) next() (*PayloadEntry, error) {
	if err := c.skip(c.remain); err != nil {
		return nil, c.errorf("member data truncated: %v", unexpectedEOF(err))
	}
	c.remain = 0
	if err := c.align(); err != nil {
		return nil, c.errorf("archive truncated: %v", unexpectedEOF(err))
	}
	start := c.off
	magic := make([]byte, 6)
	if _, err := io.ReadFull(c.r, magic); err != nil {
		return nil, c.errorf("archive truncated: %v", unexpectedEOF(err))
	}
	c.off += 6
	switch string(magic) {
	case cpioStripped:
		return c.stripped(start)
	case cpioNewc, cpioCRC:
		return c.newc(start)
	}
	return nil, &FormatError{Offset: start, Reason: fmt.Sprintf("payload: bad cpio magic %q", magic)}
}

func (c *cpioReader) stripped(start int64) (*PayloadEntry, error) {
	fx, err := c.hex(8)
	if err != nil {
		return nil, err
	}
	if fx >= uint64(len(c.files)) {
		return nil, &FormatError{Offset: start, Reason: fmt.Sprintf("payload: file index %d, but the header lists %d files", fx, len(c.files))}
	}
	f := c.files[fx]
	e := &PayloadEntry{Path: f.Path, Index: int(fx), Mode: f.Mode, Inode: f.Inode}
	if f.IsRegular() {
		e.Size = f.Size
	}
	c.remain = e.Size
	return e, nil
}

func (c *cpioReader) newc(start int64) (*PayloadEntry, error) {
	var v [13]uint64
	for i := range v {
		n, err := c.hex(8)
		if err != nil {
			return nil, err
		}
		v[i] = n
	}
	ino, mode, nlink, size, namesize := v[0], v[1], v[4], v[6], v[11]
	if namesize == 0 || namesize > maxCpioName {
		return nil, &FormatError{Offset: start, Reason: fmt.Sprintf("payload: member name length %d", namesize)}
	}
	name := make([]byte, namesize)
	if _, err := io.ReadFull(c.r, name); err != nil {
		return nil, c.errorf("member name truncated: %v", unexpectedEOF(err))
	}
	c.off += int64(namesize)
	if err := c.align(); err != nil {
		return nil, c.errorf("archive truncated: %v", unexpectedEOF(err))
	}
	n := string(name[:namesize-1])
	if n == cpioTrailer {
		return nil, io.EOF
	}
	c.remain = int64(size)
	return &PayloadEntry{Path: cleanMember(n), Index: -1, Mode: uint32(mode), Size: int64(size), Inode: ino, Nlink: uint32(nlink)}, nil
}

func (c *cpioReader) hex(width int) (uint64, error) {
	b := make([]byte, width)
	if _, err := io.ReadFull(c.r, b); err != nil {
		return 0, c.errorf("cpio header truncated: %v", unexpectedEOF(err))
	}
	n, err := strconv.ParseUint(string(b), 16, 64)
	if err != nil {
		return 0, c.errorf("cpio header field %q is not hexadecimal", b)
	}
	c.off += int64(width)
	return n, nil
}

// errorf reports a problem at the current offset. Offsets inside the
// payload count uncompressed archive bytes.
func (c *cpioReader) errorf(format string, args ...any) error {
	return &FormatError{Offset: c.off, Reason: "payload: " + fmt.Sprintf(format, args...)}
}

// cleanMember turns a member name into the path the header uses: "./x"
// becomes "/x". Source packages use bare names, kept as they are. Nothing
// else is cleaned: a name that climbs out of the root ("../") must stay
// visible to whoever installs the file.
func cleanMember(name string) string {
	if strings.HasPrefix(name, "./") {
		return name[1:]
	}
	return name
}
