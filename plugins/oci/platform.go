package oci

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// platform maps an rpm architecture to the OCI platform of its images.
func platform(arch string) (v1.Platform, error) {
	p := v1.Platform{OS: "linux"}
	switch arch {
	case "x86_64":
		p.Architecture = "amd64"
	case "aarch64":
		p.Architecture, p.Variant = "arm64", "v8"
	case "i686", "i586", "i386":
		p.Architecture = "386"
	case "armv7hl", "armv7l":
		p.Architecture, p.Variant = "arm", "v7"
	case "ppc64le", "s390x", "riscv64":
		p.Architecture = arch
	default:
		return p, fmt.Errorf("no OCI platform for architecture %q", arch)
	}
	return p, nil
}
