package rpm

import "io/fs"

// File flags (rpm's rpmfileAttrs).
const (
	FileConfig    = 1 << 0
	FileDoc       = 1 << 1
	FileMissingOK = 1 << 3
	FileNoReplace = 1 << 4
	FileGhost     = 1 << 6
	FileLicense   = 1 << 7
	FileReadme    = 1 << 8
	FileArtifact  = 1 << 12
)

// Unix file type bits of a header file mode.
const (
	modeTypeMask = 0o170000
	modeDir      = 0o040000
	modeRegular  = 0o100000
	modeSymlink  = 0o120000
)

// File is one entry of a package's file list, from the header.
type File struct {
	Path   string // absolute path, as the header spells it
	Mode   uint32 // st_mode: type bits and permissions
	Size   int64
	MTime  int64
	Digest string // hex digest of a regular file's content
	LinkTo string // symlink target
	Flags  uint32 // FileConfig, FileGhost, …
	User   string
	Group  string
	Inode  uint64 // files of one package with equal Inode and Device are hard links
	Device uint64
	Caps   string // file capabilities in cap_to_text form, "" for none
}

// IsDir reports whether the file is a directory.
func (f File) IsDir() bool { return f.Mode&modeTypeMask == modeDir }

// IsSymlink reports whether the file is a symbolic link.
func (f File) IsSymlink() bool { return f.Mode&modeTypeMask == modeSymlink }

// IsRegular reports whether the file is a regular file.
func (f File) IsRegular() bool { return f.Mode&modeTypeMask == modeRegular }

// IsGhost reports whether the file is a %ghost: listed, never in the payload.
func (f File) IsGhost() bool { return f.Flags&FileGhost != 0 }

// Perm returns the permission bits with setuid, setgid and sticky as an
// fs.FileMode.
func (f File) Perm() fs.FileMode {
	m := fs.FileMode(f.Mode & 0o777)
	if f.Mode&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if f.Mode&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if f.Mode&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// Files returns the package's file list in header order. Per-file arrays
// shorter than the list of names leave the missing fields zero.
func (p *Package) Files() []File {
	h := p.Header
	paths := filePaths(h)
	if len(paths) == 0 {
		return nil
	}
	modes := h.Uints(TagFileModes)
	sizes := h.Uints(TagLongFileSizes)
	if sizes == nil {
		sizes = h.Uints(TagFileSizes)
	}
	mtimes := h.Uints(TagFileMTimes)
	digests := h.Strings(TagFileDigests)
	links := h.Strings(TagFileLinkTos)
	flags := h.Uints(TagFileFlags)
	users := h.Strings(TagFileUserName)
	groups := h.Strings(TagFileGroupName)
	inodes := h.Uints(TagFileInodes)
	devices := h.Uints(TagFileDevices)
	caps := h.Strings(TagFileCaps)
	out := make([]File, len(paths))
	for i, p := range paths {
		out[i] = File{
			Path:   p,
			Mode:   uint32(at(modes, i)),
			Size:   int64(at(sizes, i)),
			MTime:  int64(at(mtimes, i)),
			Digest: at(digests, i),
			LinkTo: at(links, i),
			Flags:  uint32(at(flags, i)),
			User:   at(users, i),
			Group:  at(groups, i),
			Inode:  at(inodes, i),
			Device: at(devices, i),
			Caps:   at(caps, i),
		}
	}
	return out
}

func filePaths(h *Header) []string {
	if old := h.Strings(TagOldFilenames); old != nil {
		return old
	}
	base := h.Strings(TagBasenames)
	dirs := h.Strings(TagDirNames)
	idx := h.Uints(TagDirIndexes)
	out := make([]string, 0, len(base))
	for i, b := range base {
		if i >= len(idx) || idx[i] >= uint64(len(dirs)) {
			break
		}
		out = append(out, dirs[idx[i]]+b)
	}
	return out
}

func at[T any](s []T, i int) T {
	var zero T
	if i < len(s) {
		return s[i]
	}
	return zero
}

// FileDigestAlgo names the hash of the file digests (File.Digest) as Go's
// crypto package and rpm's PGP hash numbers know them: "md5" when the
// header does not say (rpm before 4.6), "sha256" for most packages since,
// "" for a number rpm does not define.
func (p *Package) FileDigestAlgo() string {
	v, ok := p.Header.Uint(TagFileDigestAlgo)
	if !ok {
		return "md5"
	}
	switch v {
	case 1:
		return "md5"
	case 2:
		return "sha1"
	case 8:
		return "sha256"
	case 9:
		return "sha384"
	case 10:
		return "sha512"
	case 11:
		return "sha224"
	}
	return ""
}
