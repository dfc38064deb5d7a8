package genrpm

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/strata-build/strata/sdk/parallel"
	"github.com/strata-build/strata/sdk/sdktest"
)

// Spec describes one package. Files default to a script in /usr/bin and
// a README; Size pads the README to about that many bytes.
type Spec struct {
	Name      string   `json:"name"`
	Version   string   `json:"version"`
	Release   string   `json:"release"`
	Arch      string   `json:"arch,omitempty"`
	Epoch     uint32   `json:"epoch,omitempty"`
	Summary   string   `json:"summary,omitempty"`
	BuildTime int64    `json:"buildtime,omitempty"`
	Requires  []string `json:"requires,omitempty"`
	Provides  []string `json:"provides,omitempty"`
	// Obsoletes, Conflicts and the weak dependencies are as rpm spells
	// them, like Requires.
	Obsoletes   []string       `json:"obsoletes,omitempty"`
	Conflicts   []string       `json:"conflicts,omitempty"`
	Recommends  []string       `json:"recommends,omitempty"`
	Supplements []string       `json:"supplements,omitempty"`
	Files       []sdktest.File `json:"files,omitempty"`
	Size        int            `json:"size,omitempty"`
	Compress    string         `json:"compressor,omitempty"`
	// SourceRPM names a binary's source package (default
	// name-version-release.src.rpm); Source makes a source package.
	SourceRPM string `json:"sourcerpm,omitempty"`
	Source    bool   `json:"source,omitempty"`
	// Key, when set, signs the package.
	Key *Key `json:"-"`
	// Shape, when Files is empty, makes the files when the package is
	// written (so that a large universe is not held in memory):
	// "binary" (BinaryFiles) or "text" (TextFiles) of Size bytes.
	Shape string `json:"shape,omitempty"`
}

// DefaultBuildTime stamps generated packages that set none, so that
// generating twice gives the same bytes.
const DefaultBuildTime = 1764000000

// RPM turns a spec into a package description.
func (s Spec) RPM() sdktest.RPM {
	r := sdktest.RPM{
		Name: s.Name, Version: s.Version, Release: s.Release, Arch: s.Arch, Epoch: s.Epoch,
		Summary: s.Summary, BuildTime: s.BuildTime, Requires: s.Requires, Provides: s.Provides,
		Obsoletes: s.Obsoletes, Conflicts: s.Conflicts, Recommends: s.Recommends, Supplements: s.Supplements,
		Files: s.Files, Compressor: s.Compress, License: "MIT", SourceRPM: s.SourceRPM, Source: s.Source,
		Description: "A package generated for strata's examples and tests.",
	}
	if r.BuildTime == 0 {
		r.BuildTime = DefaultBuildTime
	}
	if s.Key != nil {
		r.Sign = s.Key.Sign
	}
	if r.Release == "" {
		r.Release = "1"
	}
	switch {
	case len(r.Files) > 0:
	case s.Shape == "binary":
		r.Files = BinaryFiles(s.Name, s.Size)
	case s.Shape == "text":
		r.Files = TextFiles(s.Name, s.Size)
	default:
		r.Files = []sdktest.File{
			{Path: "/usr/bin/" + s.Name, Body: "#!/bin/sh\necho " + s.Name + " " + s.Version + "\n", Mode: 0o755},
			{Path: "/usr/share/doc/" + s.Name + "/README", Body: readme(s)},
		}
	}
	return r
}

func readme(s Spec) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s-%s\n", s.Name, s.Version, s.Release)
	for b.Len() < s.Size {
		fmt.Fprintf(&b, "%08d %s filler line for a realistic payload size.\n", b.Len(), s.Name)
	}
	return b.String()
}

// Write builds every spec into dir, in parallel, making each package
// description only when it is written (a shaped universe is large).
func Write(dir string, specs []Spec) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return parallel.Do(len(specs), func(i int) error {
		if _, err := sdktest.BuildRPM(dir, specs[i].RPM()); err != nil {
			return fmt.Errorf("%s: %w", specs[i].Name, err)
		}
		return nil
	})
}

// ReadSpecs reads a JSON list of specs.
func ReadSpecs(path string) ([]Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var specs []Spec
	if err := json.Unmarshal(data, &specs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return specs, nil
}

// NoiseFiles are the files of a package with size bytes of content that
// does not compress, derived from name so that generating again gives the
// same bytes.
func NoiseFiles(name string, size int) []sdktest.File {
	sum := sha256.Sum256([]byte(name))
	stream := make([]byte, 0, size)
	for len(stream) < size {
		sum = sha256.Sum256(sum[:])
		stream = append(stream, sum[:]...)
	}
	return []sdktest.File{
		{Path: "/usr/bin/" + name, Body: "#!/bin/sh\n", Mode: 0o755},
		{Path: "/usr/share/" + name + "/data", Body: string(stream[:size])},
	}
}

// BinaryFiles are the files of a package shaped like a real one, with
// about size bytes of content that compresses about as well as compiled
// programs (roughly 3:1): an executable, a versioned library and its
// symlink, and a text document. Generating again gives the same bytes.
func BinaryFiles(name string, size int) []sdktest.File {
	lib := "/usr/lib64/lib" + name + ".so"
	return []sdktest.File{
		{Path: "/usr/bin/" + name, Body: binaryLike(name+"/bin", size*2/5), Mode: 0o755},
		{Path: lib + ".1.0.0", Body: binaryLike(name+"/lib", size*2/5), Mode: 0o755},
		{Path: lib + ".1", Body: "lib" + name + ".so.1.0.0", Mode: 0o120777},
		{Path: "/usr/share/doc/" + name + "/README", Body: readme(Spec{Name: name, Version: "1.0", Release: "1", Size: size / 5}),
			Mode: 0o644},
	}
}

// Binaries describes n packages named prefixNNNNN, each with about size
// bytes of files shaped and compressing like a distribution's
// (BinaryFiles), zstd-compressed as Fedora's are.
func Binaries(prefix string, n, size int) []Spec {
	out := make([]Spec, n)
	for i := range out {
		name := fmt.Sprintf("%s%05d", prefix, i)
		out[i] = Spec{Name: name, Version: "1.0", Release: "1", Arch: "x86_64", Compress: "zstd",
			Provides: []string{"lib" + name + ".so.1()(64bit)"}, Files: BinaryFiles(name, size)}
	}
	return out
}

// Names is the names of specs.
func Names(specs []Spec) []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.Name
	}
	return out
}

// binaryLike is size bytes in which runs of noise alternate with runs
// copied from earlier in the stream, the way code and tables repeat in
// an object file.
func binaryLike(seed string, size int) string {
	sum := sha256.Sum256([]byte(seed))
	out := make([]byte, 0, size+64)
	for len(out) < size {
		sum = sha256.Sum256(sum[:])
		if len(out) < 4096 || sum[0] < 80 {
			out = append(out, sum[:16]...)
			continue
		}
		from := int(sum[1])<<8 | int(sum[2])
		from %= len(out) - 64
		out = append(out, out[from:from+48+int(sum[3])%16]...)
	}
	return string(out[:size])
}
