package iso9660

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"hash"
)

// implantisomd5's constants: the sectors left out at the end, the
// fragments checked while reading, and where the text goes.
const (
	skipSectors    = 15
	fragmentCount  = 20
	fragmentDigits = 3
	chunkSize      = 16 * SectorSize
	appDataOffset  = 16*SectorSize + 883
	appDataSize    = 512
)

// implanter computes implantisomd5's sums while the image is written: the
// MD5 of everything but the last 15 sectors, read in 32 KiB chunks, and
// after each chunk that starts a new twenty-first of the image, three
// hex digits of the MD5 so far. The application use field is hashed as
// the spaces it holds while the image is written.
type implanter struct {
	md5       hash.Hash
	total     int64 // bytes hashed: the image less the skipped sectors
	done      int64
	chunk     int64 // bytes of the current chunk hashed so far
	previous  int64
	fragments []byte
}

func newImplanter(volumeSectors uint32) *implanter {
	return &implanter{md5: md5.New(), total: int64(volumeSectors-skipSectors) * SectorSize}
}

// write hashes the next bytes of the image.
func (m *implanter) write(p []byte) {
	for len(p) > 0 && m.done < m.total {
		n := min(int64(len(p)), chunkSize-m.chunk, m.total-m.done)
		m.md5.Write(p[:n])
		p = p[n:]
		m.done += n
		m.chunk += n
		if m.chunk == chunkSize || m.done == m.total {
			m.endChunk(m.done - m.chunk)
			m.chunk = 0
		}
	}
}

// endChunk adds a fragment sum when the chunk starting at offset is in a
// new fragment.
func (m *implanter) endChunk(offset int64) {
	fragment := offset * (fragmentCount + 1) / m.total
	if fragment == m.previous {
		return
	}
	m.previous = fragment
	sum := m.md5.Sum(nil)
	for _, b := range sum[:fragmentDigits] {
		m.fragments = append(m.fragments, fmt.Sprintf("%x", b)[0])
	}
}

// appData is the text implantisomd5 writes into the application use
// field, padded with spaces.
func (m *implanter) appData(supported bool) (string, []byte, error) {
	if m.done != m.total {
		return "", nil, fmt.Errorf("implanting the MD5: %d of %d bytes were hashed", m.done, m.total)
	}
	if len(m.fragments) != fragmentCount*fragmentDigits {
		return "", nil, fmt.Errorf("implanting the MD5: the image is too small for %d fragment sums", fragmentCount)
	}
	sum := hex.EncodeToString(m.md5.Sum(nil))
	status := 0
	if supported {
		status = 1
	}
	text := fmt.Sprintf("ISO MD5SUM = %s;SKIPSECTORS = %d;RHLISOSTATUS=%d;FRAGMENT SUMS = %s;FRAGMENT COUNT = %d;THIS IS NOT THE SAME AS RUNNING MD5SUM ON THIS ISO!!",
		sum, skipSectors, status, m.fragments, fragmentCount)
	return sum, padded(text, appDataSize), nil
}
