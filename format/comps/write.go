package comps

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Write writes the document. Groups, categories and environments are
// sorted by id, so equal content gives equal bytes.
func Write(w io.Writer, c Comps) error {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	b.WriteString("<!DOCTYPE comps PUBLIC \"-//Red Hat, Inc.//DTD Comps info//EN\" \"comps.dtd\">\n<comps>\n")
	sort.Slice(c.Groups, func(i, j int) bool { return c.Groups[i].ID < c.Groups[j].ID })
	sort.Slice(c.Categories, func(i, j int) bool { return c.Categories[i].ID < c.Categories[j].ID })
	sort.Slice(c.Environments, func(i, j int) bool { return c.Environments[i].ID < c.Environments[j].ID })
	for _, g := range c.Groups {
		b.WriteString("  <group>\n")
		elem(&b, 4, "id", g.ID)
		translated(&b, "name", g.Name, g.NameTranslations)
		translated(&b, "description", g.Description, g.DescriptionTranslations)
		elem(&b, 4, "default", fmt.Sprint(g.Default))
		elem(&b, 4, "uservisible", fmt.Sprint(g.UserVisible))
		order(&b, g.DisplayOrder)
		b.WriteString("    <packagelist>\n")
		for _, p := range g.Packages {
			fmt.Fprintf(&b, "      <packagereq type=\"%s\"", p.Type)
			if p.Requires != "" {
				b.WriteString(" requires=\"" + escape(p.Requires, true) + "\"")
			}
			if p.Arch != "" {
				b.WriteString(" arch=\"" + escape(p.Arch, true) + "\"")
			}
			b.WriteString(">" + escape(p.Name, false) + "</packagereq>\n")
		}
		b.WriteString("    </packagelist>\n  </group>\n")
	}
	for _, cat := range c.Categories {
		b.WriteString("  <category>\n")
		heading(&b, cat.ID, cat.Name, cat.Description, cat.DisplayOrder)
		list(&b, "grouplist", cat.Groups)
		b.WriteString("  </category>\n")
	}
	for _, env := range c.Environments {
		b.WriteString("  <environment>\n")
		heading(&b, env.ID, env.Name, env.Description, env.DisplayOrder)
		list(&b, "grouplist", env.Groups)
		list(&b, "optionlist", env.Options)
		b.WriteString("  </environment>\n")
	}
	if len(c.Langpacks) > 0 {
		b.WriteString("  <langpacks>\n")
		for _, l := range c.Langpacks {
			fmt.Fprintf(&b, "    <match name=\"%s\" install=\"%s\"/>\n", escape(l.Name, true), escape(l.Install, true))
		}
		b.WriteString("  </langpacks>\n")
	}
	b.WriteString("</comps>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func elem(b *strings.Builder, indent int, name, text string) {
	fmt.Fprintf(b, "%s<%s>%s</%s>\n", strings.Repeat(" ", indent), name, escape(text, false), name)
}

// translated writes an element and its translations, sorted by language.
func translated(b *strings.Builder, name, text string, tr map[string]string) {
	elem(b, 4, name, text)
	langs := slices.Sorted(maps.Keys(tr))
	for _, l := range langs {
		fmt.Fprintf(b, "    <%s xml:lang=\"%s\">%s</%s>\n", name, escape(l, true), escape(tr[l], false), name)
	}
}

// heading writes what a category or an environment begins with.
func heading(b *strings.Builder, id, name, description string, displayOrder *int64) {
	elem(b, 4, "id", id)
	elem(b, 4, "name", name)
	elem(b, 4, "description", description)
	order(b, displayOrder)
}

func order(b *strings.Builder, n *int64) {
	if n != nil {
		elem(b, 4, "display_order", fmt.Sprint(*n))
	}
}

func list(b *strings.Builder, name string, ids []string) {
	b.WriteString("    <" + name + ">\n")
	for _, id := range ids {
		elem(b, 6, "groupid", id)
	}
	b.WriteString("    </" + name + ">\n")
}

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
)

func escape(s string, attr bool) string {
	if attr {
		return attrEscaper.Replace(s)
	}
	return textEscaper.Replace(s)
}
