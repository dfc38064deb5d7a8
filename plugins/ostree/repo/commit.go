package repo

import (
	"fmt"

	"github.com/strata-build/strata/plugins/ostree/gvariant"
)

// Metadata is a commit's a{sv}, in insertion order, as ostree keeps it.
type Metadata []MetadataEntry

// MetadataEntry is one key of commit metadata and its value.
type MetadataEntry struct {
	Key   string
	Value gvariant.Value
}

func (md Metadata) value() gvariant.Value {
	entries := make([]gvariant.Value, len(md))
	for i, e := range md {
		entries[i] = gvariant.DictEntry(gvariant.String(e.Key), gvariant.Variant(e.Value))
	}
	return gvariant.Array("{sv}", entries...)
}

// CommitInfo is what a commit records besides its root.
type CommitInfo struct {
	Metadata  Metadata
	Parent    string // "" for none
	Subject   string
	Body      string
	Timestamp uint64 // seconds since the epoch
}

// CommitObject is the (a{sv}aya(say)sstayay) of a commit of the root
// dirtree and dirmeta.
func CommitObject(c CommitInfo, rootTree, rootMeta string) (gvariant.Value, error) {
	var parent []byte
	if c.Parent != "" {
		var err error
		if parent, err = rawChecksum(c.Parent); err != nil {
			return gvariant.Value{}, fmt.Errorf("parent: %w", err)
		}
	}
	tree, err := rawChecksum(rootTree)
	if err != nil {
		return gvariant.Value{}, err
	}
	meta, err := rawChecksum(rootMeta)
	if err != nil {
		return gvariant.Value{}, err
	}
	return gvariant.Tuple(c.Metadata.value(), gvariant.ByteArray(parent), gvariant.Array("(say)"),
		gvariant.String(c.Subject), gvariant.String(c.Body), gvariant.Uint64(c.Timestamp),
		gvariant.ByteArray(tree), gvariant.ByteArray(meta)), nil
}

// commitSignature is the GVariant type of a commit object.
const commitSignature = "(a{sv}aya(say)sstayay)"

// CommitSummary is what the summary file says of a commit.
type CommitSummary struct {
	Size      int
	Timestamp uint64
	Version   string // the "version" metadata, or ""
}

// ReadCommit reads what the summary needs from a commit object.
func (r *Repo) ReadCommit(checksum string) (CommitSummary, error) {
	data, err := r.ReadObject(checksum, Commit)
	if err != nil {
		return CommitSummary{}, err
	}
	fields, err := gvariant.SplitTuple(commitSignature, data)
	if err != nil {
		return CommitSummary{}, fmt.Errorf("commit %s: %w", checksum, err)
	}
	c := CommitSummary{Size: len(data)}
	if c.Timestamp, err = gvariant.ParseUint64(fields[5]); err != nil {
		return CommitSummary{}, fmt.Errorf("commit %s: %w", checksum, err)
	}
	entries, err := gvariant.SplitArray("{sv}", fields[0])
	if err != nil {
		return CommitSummary{}, fmt.Errorf("commit %s: %w", checksum, err)
	}
	for _, e := range entries {
		kv, err := gvariant.SplitTuple("{sv}", e)
		if err != nil {
			return CommitSummary{}, fmt.Errorf("commit %s: %w", checksum, err)
		}
		if key, _ := gvariant.ParseString(kv[0]); key == "version" {
			if v, sig, err := gvariant.ParseVariant(kv[1]); err == nil && sig == "s" {
				c.Version, _ = gvariant.ParseString(v)
			}
		}
	}
	return c, nil
}

// WriteSummary writes the summary file of every ref, as `ostree summary
// -u` does, except that its last-modified time is the newest commit's
// timestamp (not the clock), so that the same repository gives the same
// summary.
func (r *Repo) WriteSummary() error {
	refs, err := r.Refs()
	if err != nil {
		return err
	}
	var entries []gvariant.Value
	var newest uint64
	for _, name := range refs {
		checksum, _, err := r.Ref(name)
		if err != nil {
			return err
		}
		c, err := r.ReadCommit(checksum)
		if err != nil {
			return err
		}
		newest = max(newest, c.Timestamp)
		var md []gvariant.Value
		if c.Version != "" {
			md = append(md, gvariant.DictEntry(gvariant.String("ostree.commit.version"), gvariant.Variant(gvariant.String(c.Version))))
		}
		md = append(md, gvariant.DictEntry(gvariant.String("ostree.commit.timestamp"), gvariant.Variant(gvariant.Uint64(c.Timestamp))))
		raw, _ := rawChecksum(checksum)
		entries = append(entries, gvariant.Tuple(gvariant.String(name),
			gvariant.Tuple(gvariant.Uint64LE(uint64(c.Size)), gvariant.ByteArray(raw), gvariant.Array("{sv}", md...))))
	}
	summary := gvariant.Tuple(gvariant.Array("(s(taya{sv}))", entries...), gvariant.Array("{sv}",
		gvariant.DictEntry(gvariant.String("ostree.summary.mode"), gvariant.Variant(gvariant.String("archive-z2"))),
		gvariant.DictEntry(gvariant.String("ostree.summary.last-modified"), gvariant.Variant(gvariant.Uint64(newest))),
		gvariant.DictEntry(gvariant.String("ostree.summary.tombstone-commits"), gvariant.Variant(gvariant.Bool(false))),
		gvariant.DictEntry(gvariant.String("ostree.summary.indexed-deltas"), gvariant.Variant(gvariant.Bool(true)))))
	return writeAtomic(r.tmp(), r.path+"/summary", summary.Bytes())
}
