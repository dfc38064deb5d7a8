package iso

import (
	"fmt"
	"strings"
)

// checksumName is the name of the CHECKSUM file published beside an
// image: "Fedora-Server-dvd-x86_64-41-CHECKSUM" for
// "Fedora-Server-dvd-x86_64-41.iso".
func checksumName(image string) string {
	return strings.TrimSuffix(image, ".iso") + "-CHECKSUM"
}

// checksumFile is the CHECKSUM file of one image, as Fedora publishes
// them (and sha256sum -c reads): the image's size as a comment, then its
// digest in BSD form.
func checksumFile(image string, size int64, sha256 string) []byte {
	return []byte(fmt.Sprintf("# %s: %d bytes\nSHA256 (%s) = %s\n", image, size, image, sha256))
}
