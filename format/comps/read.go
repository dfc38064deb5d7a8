package comps

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Read parses a comps document; name is how errors call it. A group
// without an id, or given twice, is an error; elements Read does not
// recognise are listed in Comps.Unknown. A package with no type is
// mandatory and a group with no <uservisible> is visible, as libcomps
// reads them.
func Read(r io.Reader, name string) (*Comps, error) {
	var x xmlComps
	if err := xml.NewDecoder(r).Decode(&x); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c := &Comps{}
	for _, u := range x.Unknown {
		c.Unknown = append(c.Unknown, Unknown{u.XMLName.Local, "<comps>"})
	}
	seen := map[string]bool{}
	for _, xg := range x.Groups {
		if xg.ID == "" {
			return nil, fmt.Errorf("%s: a <group> has no <id>", name)
		}
		if seen[xg.ID] {
			return nil, fmt.Errorf("%s: group %q is given twice", name, xg.ID)
		}
		seen[xg.ID] = true
		for _, u := range xg.Unknown {
			c.Unknown = append(c.Unknown, Unknown{u.XMLName.Local, fmt.Sprintf("group %q", xg.ID)})
		}
		g := Group{ID: xg.ID, Default: strings.TrimSpace(xg.Default) == "true",
			UserVisible: strings.TrimSpace(xg.UserVisible) != "false", DisplayOrder: xg.DisplayOrder}
		g.Name, g.NameTranslations = byLanguage(xg.Names)
		g.Description, g.DescriptionTranslations = byLanguage(xg.Descriptions)
		for _, p := range xg.Packages {
			req := PackageReq{Name: strings.TrimSpace(p.Name), Type: p.Type, Requires: p.Requires, Arch: p.Arch}
			if req.Type == "" {
				req.Type = "mandatory"
			}
			g.Packages = append(g.Packages, req)
		}
		c.Groups = append(c.Groups, g)
	}
	for _, xc := range x.Categories {
		cat := Category{ID: xc.ID, DisplayOrder: xc.DisplayOrder, Groups: xc.Groups}
		cat.Name, _ = byLanguage(xc.Names)
		cat.Description, _ = byLanguage(xc.Descriptions)
		c.Categories = append(c.Categories, cat)
	}
	for _, xe := range x.Environments {
		for _, u := range xe.Unknown {
			c.Unknown = append(c.Unknown, Unknown{u.XMLName.Local, fmt.Sprintf("environment %q", xe.ID)})
		}
		e := Environment{ID: xe.ID, DisplayOrder: xe.DisplayOrder, Groups: xe.Groups, Options: xe.Options}
		e.Name, _ = byLanguage(xe.Names)
		e.Description, _ = byLanguage(xe.Descriptions)
		c.Environments = append(c.Environments, e)
	}
	for _, l := range x.Langpacks {
		c.Langpacks = append(c.Langpacks, Langpack{Name: l.Name, Install: l.Install})
	}
	return c, nil
}

// byLanguage is the untranslated text and the others by language, with
// their white space as libcomps keeps it.
func byLanguage(texts []text) (string, map[string]string) {
	plain, by := "", map[string]string{}
	for _, t := range texts {
		if t.Lang == "" {
			plain = t.Value
		} else {
			by[t.Lang] = t.Value
		}
	}
	return plain, by
}

type text struct {
	Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Value string `xml:",chardata"`
}

type unknown struct {
	XMLName xml.Name
}

type xmlGroup struct {
	ID           string    `xml:"id"`
	Names        []text    `xml:"name"`
	Descriptions []text    `xml:"description"`
	Default      string    `xml:"default"`
	UserVisible  string    `xml:"uservisible"`
	DisplayOrder *int64    `xml:"display_order"`
	LangOnly     string    `xml:"langonly"`
	Packages     []xmlReq  `xml:"packagelist>packagereq"`
	Unknown      []unknown `xml:",any"`
}

type xmlReq struct {
	Type     string `xml:"type,attr"`
	Requires string `xml:"requires,attr"`
	Arch     string `xml:"arch,attr"`
	Basearch string `xml:"basearchonly,attr"`
	Name     string `xml:",chardata"`
}

type xmlCategory struct {
	ID           string   `xml:"id"`
	Names        []text   `xml:"name"`
	Descriptions []text   `xml:"description"`
	DisplayOrder *int64   `xml:"display_order"`
	Groups       []string `xml:"grouplist>groupid"`
}

type xmlEnvironment struct {
	ID           string    `xml:"id"`
	Names        []text    `xml:"name"`
	Descriptions []text    `xml:"description"`
	DisplayOrder *int64    `xml:"display_order"`
	Groups       []string  `xml:"grouplist>groupid"`
	Options      []string  `xml:"optionlist>groupid"`
	Unknown      []unknown `xml:",any"`
}

type xmlComps struct {
	XMLName      xml.Name         `xml:"comps"`
	Groups       []xmlGroup       `xml:"group"`
	Environments []xmlEnvironment `xml:"environment"`
	Categories   []xmlCategory    `xml:"category"`
	Langpacks    []struct {
		Name    string `xml:"name,attr"`
		Install string `xml:"install,attr"`
	} `xml:"langpacks>match"`
	Unknown []unknown `xml:",any"`
}
