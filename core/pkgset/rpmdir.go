package pkgset

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/strata-build/strata/sdk/files"
	"github.com/strata-build/strata/sdk/parallel"
	"github.com/strata-build/strata/sdk/rpm"
	"golang.org/x/sys/unix"
)

// scanDir lists the RPM files under dir, sorted. dir itself may be a
// symbolic link (build systems publish trees as "latest" links); below
// it, a link to a file is a package like any other, one to a directory
// is not followed, as find and createrepo_c do not follow them, which
// keeps a link to a parent from listing a tree twice. linked are the
// directories that links to packages lead to, outside root.
func scanDir(dir string) (paths, linked []string, err error) {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	var walk func(rel string) error
	// The entries are taken as they are listed: a list of a
	// distribution's would be megabytes held beside the package list
	// being read.
	walk = func(rel string) error {
		return files.EachDirent(filepath.Join(root, rel), func(name []byte, _ uint64, typ uint8) error {
			if typ != syscall.DT_DIR && typ != syscall.DT_UNKNOWN && !bytes.HasSuffix(name, []byte(".rpm")) {
				return nil
			}
			r := filepath.Join(rel, string(name))
			if typ == syscall.DT_UNKNOWN {
				fi, err := os.Lstat(filepath.Join(root, r))
				if err != nil {
					return err
				}
				typ = dirent(fi.Mode())
			}
			switch {
			case typ == syscall.DT_DIR:
				return walk(r)
			case !strings.HasSuffix(r, ".rpm"):
				return nil
			case typ == syscall.DT_LNK:
				p := filepath.Join(root, r)
				st, err := os.Stat(p)
				if err != nil {
					return fmt.Errorf("%s: %w", p, err)
				}
				if st.IsDir() {
					return nil
				}
				if target, err := filepath.EvalSymlinks(p); err == nil {
					if d := filepath.Dir(target); !seen[d] && !strings.HasPrefix(d+"/", root+"/") {
						seen[d] = true
						linked = append(linked, d)
					}
				}
			}
			paths = append(paths, filepath.Join(dir, r))
			return nil
		})
	}
	err = walk("")
	sort.Strings(paths)
	sort.Strings(linked)
	return paths, linked, err
}

// dirent is the directory entry type of a file mode.
func dirent(m fs.FileMode) uint8 {
	switch {
	case m.IsDir():
		return syscall.DT_DIR
	case m&fs.ModeSymlink != 0:
		return syscall.DT_LNK
	}
	return syscall.DT_REG
}

// readDir reads every package of an rpm_dir source: from its package
// list (at list; "" keeps none) where a file is as the list recorded
// it, and otherwise on the disk workers: a cold read of a whole
// distribution waits on the disk, which answers faster the more reads
// it has queued. read counts the headers actually read; changed says the
// list no longer matches the directory. dirs are the directories the
// packages are in: dir, symbolic links resolved, and those links to
// packages lead to.
func readDir(dir, source, list string, read *atomic.Int64) (pkgs []*Package, dirs []string, changed bool, err error) {
	listed := make(chan []*Package, 1)
	go func() {
		old, _ := readPackageList(list) // a list that cannot be read is a cache miss
		listed <- old
	}()
	paths, linked, err := scanDir(dir)
	old := <-listed
	if err != nil {
		return nil, nil, false, err
	}
	// Both are sorted by path (the list as the last load wrote it): one
	// walk pairs each file with what the list holds for it.
	prev := make([]*Package, len(paths))
	j := 0
	for i, path := range paths {
		for j < len(old) && old[j].Location < path {
			j++
		}
		if j < len(old) && old[j].Location == path {
			prev[i] = old[j]
		}
	}
	out := make([]*Package, len(paths))
	var fresh atomic.Int64
	for start := 0; start < len(paths); start += compactBatch {
		end := min(start+compactBatch, len(paths))
		err = parallel.IO(end-start, func(i int) (err error) {
			out[start+i], err = readOne(paths[start+i], prev[start+i], &fresh)
			return err
		})
		if err != nil {
			return nil, nil, false, err
		}
		if list != "" && compact(out[start:end], prev[start:end], filepath.Dir(list)) {
			// The batch as read is garbage now. Given back at once, its
			// pages are not held beside the next batch's: a first load of
			// 77,000 packages peaked at 82-84 MB, not 89-98, in 7% more
			// time.
			debug.FreeOSMemory()
		}
	}
	for _, p := range out {
		p.Source = source
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, nil, false, err
	}
	read.Add(fresh.Load())
	return out, append([]string{root}, linked...), fresh.Load() > 0 || len(old) != len(paths), nil
}

// compactBatch is how many files a load reads before it compacts the
// packages it read. Of 2,048, 4,096, 8,192 and 16,384, 8,192 gave the
// lowest peak for a first load of 77,000 packages: smaller batches hold
// more copies of the strings their lists share.
var compactBatch = 8192 // a variable for the tests

// compact replaces the packages of pkgs that were read from their files
// (not those of prev, the old list's) with the same packages as a list
// in dir holds them, when there are enough of them to matter. A package
// read from its header holds its own strings, dependencies, digests and
// file list, about 1.1 KB, where a list's package is 0.5 KB and its
// digests and files stay on disk: a first load of 77,000 packages held
// 86 MB of them. The batch's list is removed once read: the packages
// read their details from the open file. Compacting only saves memory:
// where it fails, the packages stay as they were read. It says whether
// it compacted.
func compact(pkgs, prev []*Package, dir string) bool {
	var read []*Package
	for i, p := range pkgs {
		if p != prev[i] {
			read = append(read, p)
		}
	}
	if len(read) < compactBatch/8 {
		return false
	}
	if os.MkdirAll(dir, 0o755) != nil {
		return false
	}
	tmp, err := os.CreateTemp(dir, ".batch-*.pkgs")
	if err != nil {
		return false
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if writePackageList(tmp.Name(), read) != nil {
		return false
	}
	listed, err := readPackageList(tmp.Name())
	if err != nil || len(listed) != len(read) {
		return false
	}
	j := 0
	for i, p := range pkgs {
		if p != prev[i] {
			pkgs[i] = listed[j]
			j++
		}
	}
	return true
}

// readOne returns prev when the file at path is as prev recorded it, and
// otherwise reads the file's header, counting it in read.
func readOne(path string, prev *Package, read *atomic.Int64) (*Package, error) {
	// A Stat_t of its own, not an os.FileInfo: 77,000 of those are
	// garbage the size of the universe's dependencies.
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return nil, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	s := stamp{size: st.Size, mtime: st.Mtim.Nano(), inode: st.Ino}
	if prev != nil && prev.unchanged(s) {
		return prev, nil
	}
	p, err := readFile(path)
	if err != nil {
		return nil, err
	}
	read.Add(1)
	p.Size, p.FileMTime, p.FileInode = s.size, s.mtime, s.inode
	return p, nil
}

// The buffers reading a package's header and hashing its file go
// through, kept for the next package: a cold load reads tens of
// thousands, and made a gigabyte of garbage of them at 20,000.
var (
	headerReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, headerRead) }}
	heads         = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	copyBuffers   = sync.Pool{New: func() any { b := make([]byte, 128<<10); return &b }}
)

// copyAll copies r to w through a kept buffer, as io.Copy does without
// one of its own: io.Copy from a file or a bufio.Reader allocates 32 KiB
// a call.
func copyAll(w io.Writer, r io.Reader) (int64, error) {
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)
	return io.CopyBuffer(w, struct{ io.Reader }{r}, *buf)
}

// smallFile is the size up to which a package file is hashed whole in
// the pass that reads its header: reading on costs less than opening the
// file again when an apply needs its digest, and a distribution's bytes
// are in its large files.
const smallFile = 256 << 10

// headerRead is how much of a large package file the first read takes:
// the lead, the signature and the start of the header (its rest comes in
// one more read).
const headerRead = 16 << 10

// readFile reads a package's header, and names its content by the digest
// of the bytes up to the header's end: the header records the payload's
// digest, and the signature the md5 of header and payload. A small file,
// or one whose headers record neither, is hashed whole in the same pass;
// of a large one only the header is read.
func readFile(path string) (*Package, error) {
	f, err := files.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	small := st.Size() <= smallFile
	if !small {
		// Without this the kernel reads ahead far into a payload that
		// may not be needed.
		unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_RANDOM)
	}
	h := sha256.New()
	head := heads.Get().(*bytes.Buffer) // the bytes up to the header's end, for its digest
	head.Reset()
	defer heads.Put(head)
	br := headerReaders.Get().(*bufio.Reader)
	br.Reset(f)
	defer func() { br.Reset(nil); headerReaders.Put(br) }()
	hdr, err := rpm.Read(io.TeeReader(br, io.MultiWriter(h, head)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p := fromHeader(hdr)
	p.Location, p.Size = path, st.Size()
	if p.Damaged == "" {
		p.Damaged = checkHeaderDigest(hdr, head.Bytes())
	}
	recorded := hdr.Header.Has(rpm.TagPayloadDigest) || hdr.Signature.Has(rpm.SigTagMD5)
	if recorded {
		sum := hex.EncodeToString(h.Sum(nil)) // Sum leaves h as it was
		p.updateDetail(func(d *detail) { d.headerSHA256 = sum })
	}
	if small || !recorded {
		if !small {
			unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_SEQUENTIAL)
		}
		if err := hashPayload(p, br, h); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return p, nil
}

// checkHeaderDigest compares the header's sha256, which the signature
// records, with the header read (head holds the file up to its end); it
// says what is wrong, or "".
func checkHeaderDigest(hdr *rpm.Package, head []byte) string {
	want := hdr.Signature.String(rpm.SigTagSHA256)
	if want == "" || int64(len(head)) < hdr.HeaderEnd {
		return ""
	}
	sum := sha256.Sum256(head[hdr.HeaderStart:hdr.HeaderEnd])
	if got := hex.EncodeToString(sum[:]); got != want {
		return fmt.Sprintf("its header digest does not match (the signature records sha256 %.12s, the header is %.12s)", want, got)
	}
	return ""
}

// hashPayload reads the rest of a package from r, the payload, into h
// (which holds the file's bytes before it), sets the file's SHA256 and
// checks the payload against the digest its header records: both in
// the one read the file's digest takes anyway.
func hashPayload(p *Package, r io.Reader, h hash.Hash) error {
	ph := sha256.New()
	if _, err := copyAll(io.MultiWriter(h, ph), r); err != nil {
		return err
	}
	d := *p.detail()
	d.sha256 = hex.EncodeToString(h.Sum(nil))
	defer p.setDetail(d)
	if d.payloadDigest == "" {
		return nil
	}
	if got := hex.EncodeToString(ph.Sum(nil)); got != d.payloadDigest {
		if p.Damaged != "" {
			return nil // the header's damage comes first
		}
		p.Damaged = fmt.Sprintf("its payload digest does not match (the header records sha256 %.12s, the payload is %.12s): the payload is cut or changed", d.payloadDigest, got)
		return nil
	}
	// Checked: the digest is not needed again, and a universe of small
	// packages would hold 64 bytes a package for nothing.
	p.Verified, d.payloadDigest = true, ""
	return nil
}

// hashFile sets the SHA256 of a package whose plan read only its header,
// checking that the file is still the one read, and checks its payload
// in the same read.
func hashFile(p *Package) error {
	f, err := files.Open(p.Location)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !p.Unchanged(st) {
		return fmt.Errorf("%s changed since its header was read; plan again", p.Location)
	}
	h := sha256.New()
	if n, err := copyAll(h, io.LimitReader(f, p.HeaderEnd)); err != nil || n < p.HeaderEnd {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("hashing %s: %w", p.Location, err)
	}
	if err := hashPayload(p, f, h); err != nil {
		return fmt.Errorf("hashing %s: %w", p.Location, err)
	}
	if p.Damaged != "" {
		return fmt.Errorf("%s: %s", p.Location, p.Damaged)
	}
	return nil
}
