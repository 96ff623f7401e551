package customs

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"tracegate"
)

// The codec maps element trees to the message structs and writes structs
// back as XML. It is driven by the `xml:"name"` and `xml:"name,attr"` tags
// of the structs; embedded structs without a tag are flattened.

type fieldKind int

const (
	kLeaf      fieldKind = iota // string: required leaf
	kOptLeaf                    // *string: optional leaf
	kStruct                     // struct: required complex element
	kPtrStruct                  // *struct: optional complex element
	kSlice                      // []struct: repeated complex element
	kRaw                        // *Signature or *RawXML: raw inner XML
)

type fieldInfo struct {
	name  string
	index []int
	attr  bool
	kind  fieldKind
}

type typeInfo struct {
	fields []fieldInfo // elements in document order
	attrs  []fieldInfo
	byName map[string]int
}

var typeInfos sync.Map // reflect.Type -> *typeInfo

var (
	signatureType = reflect.TypeFor[Signature]()
	rawXMLType    = reflect.TypeFor[RawXML]()
)

func typeInfoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{byName: map[string]int{}}
	addFields(ti, t, nil)
	for i, f := range ti.fields {
		ti.byName[f.name] = i
	}
	v, _ := typeInfos.LoadOrStore(t, ti)
	return v.(*typeInfo)
}

func addFields(ti *typeInfo, t reflect.Type, prefix []int) {
	for i := range t.NumField() {
		sf := t.Field(i)
		index := append(append([]int(nil), prefix...), i)
		tag := sf.Tag.Get("xml")
		if sf.Anonymous && tag == "" {
			addFields(ti, sf.Type, index)
			continue
		}
		if tag == "" || tag == "-" || !sf.IsExported() {
			continue
		}
		name, opt, _ := strings.Cut(tag, ",")
		f := fieldInfo{name: name, index: index}
		if opt == "attr" {
			f.attr = true
			ti.attrs = append(ti.attrs, f)
			continue
		}
		switch ft := sf.Type; {
		case ft.Kind() == reflect.String:
			f.kind = kLeaf
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.String:
			f.kind = kOptLeaf
		case ft.Kind() == reflect.Pointer && (ft.Elem() == signatureType || ft.Elem() == rawXMLType):
			f.kind = kRaw
		case ft.Kind() == reflect.Struct:
			f.kind = kStruct
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct:
			f.kind = kPtrStruct
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			f.kind = kSlice
		default:
			panic(fmt.Sprintf("customs: unsupported field %s.%s", t.Name(), sf.Name))
		}
		ti.fields = append(ti.fields, f)
	}
}

// decodeNode fills the struct v from n. path is n's XPath-like location.
// An element the struct does not know, an element outside the CEB
// namespace, or a non-repeating element given twice is an EINVALID error.
func decodeNode(n *node, v reflect.Value, path string) error {
	ti := typeInfoOf(v.Type())
	for _, a := range n.attrs {
		for _, f := range ti.attrs {
			if a.Name.Space == "" && a.Name.Local == f.name {
				v.FieldByIndex(f.index).SetString(a.Value)
			}
		}
	}
	seen := make([]int, len(ti.fields))
	for _, c := range n.children {
		i, ok := ti.byName[c.local]
		if !ok {
			return tracegate.Invalidf(path+"/"+c.local, "unexpected element %s in %s", c.local, n.local)
		}
		f := ti.fields[i]
		seen[i]++
		want := Namespace
		if f.kind == kRaw && c.local == "Signature" {
			want = NamespaceDS
		}
		if c.space != want {
			return tracegate.Invalidf(path+"/"+c.local, "element %s is in namespace %q, want %q", c.local, c.space, want)
		}
		fv := v.FieldByIndex(f.index)
		if f.kind != kSlice && seen[i] > 1 {
			return tracegate.Invalidf(path+"/"+c.local, "element %s occurs more than once", c.local)
		}
		switch f.kind {
		case kLeaf:
			fv.SetString(string(c.text))
		case kOptLeaf:
			s := string(c.text)
			fv.Set(reflect.ValueOf(&s))
		case kRaw:
			if fv.Type().Elem() == signatureType {
				fv.Set(reflect.ValueOf(&Signature{Prefix: c.prefix, Inner: c.inner}))
			} else {
				fv.Set(reflect.ValueOf(&RawXML{Inner: c.inner}))
			}
		case kStruct:
			if err := decodeNode(c, fv, path+"/"+c.local); err != nil {
				return err
			}
		case kPtrStruct:
			p := reflect.New(fv.Type().Elem())
			if err := decodeNode(c, p.Elem(), path+"/"+c.local); err != nil {
				return err
			}
			fv.Set(p)
		case kSlice:
			fv.Set(reflect.Append(fv, reflect.Zero(fv.Type().Elem())))
			e := fv.Index(fv.Len() - 1)
			if err := decodeNode(c, e, path+"/"+c.local+"["+strconv.Itoa(seen[i])+"]"); err != nil {
				return err
			}
		}
	}
	return nil
}

// encoder writes a struct as indented XML. prefix is "ceb:" for data
// messages and "" for receipts (which declare the default namespace).
type encoder struct {
	b      bytes.Buffer
	prefix string
}

func (e *encoder) indent(depth int) {
	e.b.WriteByte('\n')
	for range depth {
		e.b.WriteByte('\t')
	}
}

func (e *encoder) text(s string) {
	_ = xml.EscapeText(&e.b, []byte(s)) // bytes.Buffer writes never fail
}

func (e *encoder) attr(name, value string) {
	e.b.WriteString(" " + name + `="`)
	e.text(value)
	e.b.WriteByte('"')
}

func (e *encoder) leaf(depth int, name, value string) {
	e.indent(depth)
	e.b.WriteString("<" + e.prefix + name + ">")
	e.text(value)
	e.b.WriteString("</" + e.prefix + name + ">")
}

// element writes v as the element name; rootNS is the namespace declaration
// written on the root only.
func (e *encoder) element(depth int, name string, v reflect.Value, rootNS string) {
	ti := typeInfoOf(v.Type())
	if depth > 0 {
		e.indent(depth)
	}
	e.b.WriteString("<" + e.prefix + name)
	for _, f := range ti.attrs {
		e.attr(f.name, v.FieldByIndex(f.index).String())
	}
	if rootNS != "" {
		e.b.WriteString(rootNS)
	}
	e.b.WriteByte('>')
	for _, f := range ti.fields {
		fv := v.FieldByIndex(f.index)
		switch f.kind {
		case kLeaf:
			e.leaf(depth+1, f.name, fv.String())
		case kOptLeaf:
			if !fv.IsNil() {
				e.leaf(depth+1, f.name, fv.Elem().String())
			}
		case kRaw:
			if fv.IsNil() {
				continue
			}
			e.indent(depth + 1)
			if sig, ok := fv.Interface().(*Signature); ok {
				e.signature(sig)
			} else {
				e.b.WriteString("<" + e.prefix + f.name + ">")
				e.b.Write(fv.Interface().(*RawXML).Inner)
				e.b.WriteString("</" + e.prefix + f.name + ">")
			}
		case kStruct:
			e.element(depth+1, f.name, fv, "")
		case kPtrStruct:
			if !fv.IsNil() {
				e.element(depth+1, f.name, fv.Elem(), "")
			}
		case kSlice:
			for i := range fv.Len() {
				e.element(depth+1, f.name, fv.Index(i), "")
			}
		}
	}
	e.indent(depth)
	e.b.WriteString("</" + e.prefix + name + ">")
}

func (e *encoder) signature(s *Signature) {
	p := s.Prefix
	name, decl := "Signature", ` xmlns="`+NamespaceDS+`"`
	if p != "" {
		name, decl = p+":Signature", ` xmlns:`+p+`="`+NamespaceDS+`"`
	}
	e.b.WriteString("<" + name + decl + ">")
	e.b.Write(s.Inner)
	e.b.WriteString("</" + name + ">")
}
