package epcis

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"tracegate"
)

// Master data (EPCIS 2.0 §6.5, §7.3): the vocabulary elements a capture
// document carries in its header — epcisHeader.epcisMasterData.vocabularyList
// in JSON-LD, EPCISHeader/extension/EPCISMasterData/VocabularyList in XML.
// A repository keeps them so that WD_readPoint and WD_bizLocation can follow
// the location hierarchy (each element's children) and locations have names.

// Vocabulary types of the location vocabularies.
const (
	VocabTypeReadPoint        = "urn:epcglobal:epcis:vtype:ReadPoint"
	VocabTypeBusinessLocation = "urn:epcglobal:epcis:vtype:BusinessLocation"
)

// NameAttributes are the master-data attributes read as an element's name,
// in order of preference (CBV 1.2 §8, the CBV 2.0 JSON-LD forms and the GS1
// Web Vocabulary).
var NameAttributes = []string{
	"urn:epcglobal:cbv:mda#name",
	"urn:epcglobal:cbv:mda:name",
	"https://ref.gs1.org/cbv/mda#name",
	"https://gs1.org/voc/name",
	"https://gs1.org/voc/physicalLocationName",
}

// VocabularyElement is one master-data element: its vocabulary type, its
// id (in canonical form, like the events' locations), its attributes in
// document order and the ids of its children.
type VocabularyElement struct {
	Type       string
	ID         string
	Attributes []MasterAttribute
	Children   []string
	// Pointer is where the element is in its document (for problems).
	Pointer string
}

// LocationGLN returns the GLN (13 digits) of a location identifier (an
// SGLN URN or a GS1 Digital Link with AI 414, in any form CanonicalEPC
// reads), or "" when id names no GLN.
func LocationGLN(id string) string {
	const dl = "https://id.gs1.org/414/"
	c := CanonicalEPC(id)
	if !strings.HasPrefix(c, dl) || len(c) < len(dl)+13 {
		return ""
	}
	gln := c[len(dl) : len(dl)+13]
	for _, r := range gln {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return gln
}

// MasterAttribute is one attribute of a vocabulary element. Value is the
// text of a simple value, or compact JSON for a structured one.
type MasterAttribute struct {
	ID    string
	Value string
}

// MasterData returns the vocabulary elements of the document's header, in
// document order. It fails with EINVALID, pointing into the header, when an
// element has no id or its vocabulary no type. A document without master
// data gives none.
func (d *Document) MasterData() ([]VocabularyElement, error) {
	if len(d.Header) > 0 {
		return jsonMasterData(d.Header, d.Namespaces)
	}
	for _, h := range d.HeaderXML {
		if md := findElement(h, "EPCISMasterData"); md != nil {
			return xmlMasterData(md)
		}
	}
	return nil, nil
}

func jsonMasterData(header json.RawMessage, ns map[string]string) ([]VocabularyElement, error) {
	if err := checkJSONText(header, "/epcisHeader"); err != nil {
		return nil, err
	}
	var h struct {
		MasterData *struct {
			VocabularyList []struct {
				Type     string `json:"type"`
				Elements []struct {
					ID         string `json:"id"`
					Attributes []struct {
						ID    string          `json:"id"`
						Value json.RawMessage `json:"attribute"`
					} `json:"attributes"`
					Children []string `json:"children"`
				} `json:"vocabularyElementList"`
			} `json:"vocabularyList"`
		} `json:"epcisMasterData"`
	}
	if err := json.Unmarshal(header, &h); err != nil {
		return nil, tracegate.Invalidf("/epcisHeader/epcisMasterData", "malformed master data: %v", err)
	}
	if h.MasterData == nil {
		return nil, nil
	}
	var out []VocabularyElement
	for i, v := range h.MasterData.VocabularyList {
		ptr := "/epcisHeader/epcisMasterData/vocabularyList/" + strconv.Itoa(i)
		if v.Type == "" {
			return nil, tracegate.Invalidf(ptr+"/type", "a vocabulary needs a type")
		}
		for j, e := range v.Elements {
			if e.ID == "" {
				return nil, tracegate.Invalidf(ptr+"/vocabularyElementList/"+strconv.Itoa(j)+"/id", "a vocabulary element needs an id")
			}
			el := VocabularyElement{Type: expandTerm(v.Type, ns), ID: CanonicalEPC(e.ID), Pointer: ptr + "/vocabularyElementList/" + strconv.Itoa(j)}
			for _, a := range e.Attributes {
				el.Attributes = append(el.Attributes, MasterAttribute{ID: expandTerm(a.ID, ns), Value: jsonAttrValue(a.Value)})
			}
			for _, c := range e.Children {
				el.Children = append(el.Children, CanonicalEPC(c))
			}
			out = append(out, el)
		}
	}
	return out, nil
}

// expandTerm expands a compact IRI ("cbvmda:name") by the document's
// prefixes; other values are returned unchanged.
func expandTerm(v string, ns map[string]string) string {
	pfx, rest, ok := strings.Cut(v, ":")
	if !ok || strings.HasPrefix(rest, "//") {
		return v
	}
	if uri, ok := ns[pfx]; ok {
		return uri + rest
	}
	return v
}

// jsonAttrValue is the text of a string attribute value, or the compact
// JSON of any other.
func jsonAttrValue(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// findElement returns the first element named local in the tree under e
// (e included), or nil.
func findElement(e Element, local string) *Element {
	if e.Local == local {
		return &e
	}
	for _, c := range e.Children {
		if f := findElement(c, local); f != nil {
			return f
		}
	}
	return nil
}

func xmlMasterData(md *Element) ([]VocabularyElement, error) {
	const base = "/EPCISDocument/EPCISHeader/extension/EPCISMasterData/VocabularyList"
	list := findElement(*md, "VocabularyList")
	if list == nil {
		return nil, nil
	}
	var out []VocabularyElement
	for i, v := range list.Children {
		if v.Local != "Vocabulary" {
			continue
		}
		ptr := base + "/Vocabulary[" + strconv.Itoa(i+1) + "]"
		typ := attrValue(v, "type")
		if typ == "" {
			return nil, tracegate.Invalidf(ptr+"/@type", "a vocabulary needs a type")
		}
		for _, l := range v.Children {
			if l.Local != "VocabularyElementList" {
				continue
			}
			for j, e := range l.Children {
				if e.Local != "VocabularyElement" {
					continue
				}
				id := attrValue(e, "id")
				if id == "" {
					return nil, tracegate.Invalidf(ptr+"/VocabularyElementList/VocabularyElement["+strconv.Itoa(j+1)+"]/@id", "a vocabulary element needs an id")
				}
				el := VocabularyElement{Type: typ, ID: CanonicalEPC(id), Pointer: ptr + "/VocabularyElementList/VocabularyElement[" + strconv.Itoa(j+1) + "]"}
				for _, c := range e.Children {
					switch c.Local {
					case "attribute":
						el.Attributes = append(el.Attributes, MasterAttribute{ID: attrValue(c, "id"), Value: xmlAttrValue(c)})
					case "children":
						for _, k := range c.Children {
							if k.Local == "id" && strings.TrimSpace(k.Value) != "" {
								el.Children = append(el.Children, CanonicalEPC(strings.TrimSpace(k.Value)))
							}
						}
					}
				}
				out = append(out, el)
			}
		}
	}
	return out, nil
}

func attrValue(e Element, local string) string {
	for _, a := range e.Attrs {
		if a.Local == local && a.Space == "" {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// xmlAttrValue is the text of a simple attribute, or the compact JSON of a
// structured one ({"{namespace}local": value, ...}; repeated names make
// arrays).
func xmlAttrValue(e Element) string {
	if len(e.Children) == 0 {
		return strings.TrimSpace(e.Value)
	}
	b, _ := json.Marshal(elementsJSON(e.Children))
	return string(b)
}

func elementsJSON(els []Element) map[string]any {
	m := map[string]any{}
	for _, c := range els {
		name := c.Local
		if c.Space != "" {
			name = "{" + c.Space + "}" + c.Local
		}
		var v any = strings.TrimSpace(c.Value)
		if len(c.Children) > 0 {
			v = elementsJSON(c.Children)
		}
		switch prev := m[name].(type) {
		case nil:
			m[name] = v
		case []any:
			m[name] = append(prev, v)
		default:
			m[name] = []any{prev, v}
		}
	}
	return m
}
