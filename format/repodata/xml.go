package repodata

import (
	"fmt"
	"strconv"
	"strings"
)

// Chunks are a package's fragments of primary, filelists and other XML,
// each a <package> element and its newline.
type Chunks struct {
	Primary, Filelists, Other string
}

// ErrControl is returned for a package with a control character in its
// metadata, which createrepo_c leaves out of the repository.
type ErrControl struct {
	Package, Field string
}

func (e *ErrControl) Error() string {
	return fmt.Sprintf("%s has a control character in its %s; createrepo_c leaves such packages out, and so does strata", e.Package, e.Field)
}

// Chunks renders the package. Text that is not UTF-8 is repaired first.
func (p *Package) Chunks() (Chunks, error) {
	if err := p.clean(); err != nil {
		return Chunks{}, err
	}
	return Chunks{Primary: p.primary(), Filelists: p.filelists(), Other: p.other()}, nil
}

// clean repairs every string and refuses control characters.
func (p *Package) clean() error {
	check := func(field string, s *string) error {
		*s = repair(*s)
		if hasControl(*s) {
			return &ErrControl{Package: p.Name + "-" + p.Version + "-" + p.Release + "." + p.Arch, Field: field}
		}
		return nil
	}
	for _, f := range []struct {
		name string
		s    *string
	}{
		{"name", &p.Name}, {"arch", &p.Arch}, {"version", &p.Version}, {"release", &p.Release},
		{"summary", &p.Summary}, {"description", &p.Description}, {"packager", &p.Packager}, {"url", &p.URL},
		{"license", &p.License}, {"vendor", &p.Vendor}, {"group", &p.Group}, {"buildhost", &p.BuildHost},
		{"sourcerpm", &p.SourceRPM}, {"location", &p.Location},
	} {
		if err := check(f.name, f.s); err != nil {
			return err
		}
	}
	for _, deps := range [][]Dep{p.Provides, p.Requires, p.Conflicts, p.Obsoletes, p.Suggests, p.Enhances, p.Recommends, p.Supplements} {
		for i := range deps {
			for _, s := range []*string{&deps[i].Name, &deps[i].Epoch, &deps[i].Version, &deps[i].Release} {
				if err := check("dependencies", s); err != nil {
					return err
				}
			}
		}
	}
	for i := range p.Files {
		if err := check("file list", &p.Files[i].Path); err != nil {
			return err
		}
	}
	for i := range p.Changelogs {
		if err := check("changelog", &p.Changelogs[i].Author); err != nil {
			return err
		}
		if err := check("changelog", &p.Changelogs[i].Text); err != nil {
			return err
		}
	}
	return nil
}

type xmlWriter struct{ strings.Builder }

func (w *xmlWriter) elem(indent, name, text string) {
	w.WriteString(indent + "<" + name + ">")
	escapeText(&w.Builder, text)
	w.WriteString("</" + name + ">\n")
}

func (w *xmlWriter) attr(name, value string) {
	w.WriteString(" " + name + "=\"")
	escapeAttr(&w.Builder, value)
	w.WriteString("\"")
}

func (w *xmlWriter) version(p *Package) {
	w.WriteString("  <version")
	w.attr("epoch", p.Epoch)
	w.attr("ver", p.Version)
	w.attr("rel", p.Release)
	w.WriteString("/>\n")
}

func (p *Package) primary() string {
	w := &xmlWriter{}
	w.WriteString("<package type=\"rpm\">\n")
	w.elem("  ", "name", p.Name)
	w.elem("  ", "arch", p.Arch)
	w.version(p)
	w.WriteString("  <checksum type=\"sha256\" pkgid=\"YES\">" + p.Checksum + "</checksum>\n")
	w.elem("  ", "summary", p.Summary)
	w.elem("  ", "description", p.Description)
	w.elem("  ", "packager", p.Packager)
	w.elem("  ", "url", p.URL)
	fmt.Fprintf(w, "  <time file=\"%d\" build=\"%d\"/>\n", p.FileTime, p.BuildTime)
	fmt.Fprintf(w, "  <size package=\"%d\" installed=\"%d\" archive=\"%d\"/>\n", p.SizePackage, p.SizeInstalled, p.SizeArchive)
	w.WriteString("  <location")
	if p.LocationBase != "" {
		w.attr("xml:base", p.LocationBase)
	}
	w.attr("href", p.Location)
	w.WriteString("/>\n  <format>\n")
	w.elem("    ", "rpm:license", p.License)
	w.elem("    ", "rpm:vendor", p.Vendor)
	w.elem("    ", "rpm:group", p.Group)
	w.elem("    ", "rpm:buildhost", p.BuildHost)
	w.elem("    ", "rpm:sourcerpm", p.SourceRPM)
	fmt.Fprintf(w, "    <rpm:header-range start=\"%d\" end=\"%d\"/>\n", p.HeaderStart, p.HeaderEnd)
	for _, l := range []struct {
		name string
		deps []Dep
	}{
		{"provides", p.Provides}, {"requires", p.Requires}, {"conflicts", p.Conflicts}, {"obsoletes", p.Obsoletes},
		{"suggests", p.Suggests}, {"enhances", p.Enhances}, {"recommends", p.Recommends}, {"supplements", p.Supplements},
	} {
		if len(l.deps) == 0 {
			continue
		}
		w.WriteString("    <rpm:" + l.name + ">\n")
		for _, d := range l.deps {
			w.WriteString("      <rpm:entry")
			w.attr("name", d.Name)
			if d.Flags != "" {
				w.attr("flags", d.Flags)
				w.attr("epoch", d.Epoch)
				w.attr("ver", d.Version)
				if d.Release != "" {
					w.attr("rel", d.Release)
				}
			}
			if d.Pre {
				w.attr("pre", "1")
			}
			w.WriteString("/>\n")
		}
		w.WriteString("    </rpm:" + l.name + ">\n")
	}
	for _, f := range p.Files {
		if IsPrimary(f.Path) {
			w.file("    ", f)
		}
	}
	w.WriteString("  </format>\n</package>\n")
	return w.String()
}

func (w *xmlWriter) file(indent string, f File) {
	w.WriteString(indent + "<file")
	if f.Type != "" {
		w.attr("type", f.Type)
	}
	w.WriteString(">")
	escapeText(&w.Builder, f.Path)
	w.WriteString("</file>\n")
}

func (w *xmlWriter) packageStart(p *Package) {
	w.WriteString("<package")
	w.attr("pkgid", p.Checksum)
	w.attr("name", p.Name)
	w.attr("arch", p.Arch)
	w.WriteString(">\n")
	w.version(p)
}

func (p *Package) filelists() string {
	w := &xmlWriter{}
	w.packageStart(p)
	for _, f := range p.Files {
		w.file("  ", f)
	}
	w.WriteString("</package>\n")
	return w.String()
}

func (p *Package) other() string {
	w := &xmlWriter{}
	w.packageStart(p)
	for _, c := range p.Changelogs {
		w.WriteString("  <changelog")
		w.attr("author", c.Author)
		w.attr("date", strconv.FormatInt(c.Date, 10))
		w.WriteString(">")
		escapeText(&w.Builder, c.Text)
		w.WriteString("</changelog>\n")
	}
	w.WriteString("</package>\n")
	return w.String()
}

// Kinds of package metadata file, with their document elements.
var documents = map[string][2]string{
	"primary":   {`<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm"`, "</metadata>"},
	"filelists": {`<filelists xmlns="http://linux.duke.edu/metadata/filelists"`, "</filelists>"},
	"other":     {`<otherdata xmlns="http://linux.duke.edu/metadata/other"`, "</otherdata>"},
}

// Head is the start of a metadata file of kind with n packages.
func Head(kind string, n int) string {
	return fmt.Sprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n%s packages=\"%d\">\n", documents[kind][0], n)
}

// Tail is the end of a metadata file of kind; createrepo_c writes no
// final newline.
func Tail(kind string) string { return documents[kind][1] }
