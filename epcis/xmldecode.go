package epcis

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"

	"tracegate"
)

// ErrXMLDirective is the cause of the error NewXMLDecoder and Decoder.Next
// return for a document with a DOCTYPE or ENTITY declaration: such
// documents are refused to rule out entity expansion bombs and external
// entities.
var ErrXMLDirective = errors.New("epcis: DOCTYPE and ENTITY declarations are not allowed")

// xnode is one XML element read whole.
type xnode struct {
	name     xml.Name
	attrs    []xml.Attr
	text     string
	children []*xnode
}

func (n *xnode) child(local string) *xnode {
	for _, c := range n.children {
		if c.name.Local == local && isStd(c) {
			return c
		}
	}
	return nil
}

func (n *xnode) attr(local string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == local && a.Name.Space == "" {
			return strings.TrimSpace(a.Value), true
		}
	}
	return "", false
}

type xmlReader struct {
	dec *xml.Decoder
	doc *Document
	d   *Decoder
}

// token returns the next token, refusing directives that declare a DTD or
// entities.
func (x *xmlReader) token() (xml.Token, error) {
	t, err := x.dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := t.(type) {
	case xml.Directive:
		// A bare <!DOCTYPE name> is harmless; an internal subset, an
		// external identifier or an entity declaration is refused.
		s := strings.ToUpper(string(t))
		if strings.Contains(s, "ENTITY") || strings.ContainsAny(s, "[%") ||
			strings.Contains(s, "SYSTEM") || strings.Contains(s, "PUBLIC") {
			return nil, &tracegate.Error{Code: tracegate.EINVALID, Message: ErrXMLDirective.Error(), Err: ErrXMLDirective}
		}
	case xml.StartElement:
		for _, a := range t.Attr {
			if a.Name.Space == "xmlns" {
				if _, ok := x.doc.Namespaces[a.Name.Local]; !ok {
					x.doc.Namespaces[a.Name.Local] = a.Value
				}
			}
		}
		return t.Copy(), nil
	case xml.CharData:
		return t.Copy(), nil
	}
	return t, nil
}

// readNode reads the subtree of start.
func (x *xmlReader) readNode(start xml.StartElement) (*xnode, error) {
	return x.readNodeDepth(start, 0)
}

func (x *xmlReader) readNodeDepth(start xml.StartElement, depth int) (*xnode, error) {
	if depth > maxDepth {
		return nil, xmlErr(errTooDeep)
	}
	n := &xnode{name: start.Name}
	for _, a := range start.Attr {
		if a.Name.Space != "xmlns" && !(a.Name.Space == "" && a.Name.Local == "xmlns") {
			n.attrs = append(n.attrs, a)
		}
	}
	var text strings.Builder
	for {
		t, err := x.token()
		if err != nil {
			return nil, xmlErr(err)
		}
		switch t := t.(type) {
		case xml.StartElement:
			c, err := x.readNodeDepth(t, depth+1)
			if err != nil {
				return nil, err
			}
			n.children = append(n.children, c)
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			n.text = strings.TrimSpace(text.String())
			return n, nil
		}
	}
}

func xmlErr(err error) error {
	var te *tracegate.Error
	if errors.As(err, &te) {
		return err
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	msg := "malformed XML: " + err.Error()
	if se := (*xml.SyntaxError)(nil); errors.As(err, &se) {
		return &tracegate.Error{Code: tracegate.EINVALID, Pointer: fmt.Sprintf("line %d", se.Line), Message: msg, Err: err}
	}
	return &tracegate.Error{Code: tracegate.EINVALID, Message: msg, Err: err}
}

// NewXMLDecoder reads an XML EPCISDocument, EPCISQueryDocument or bare
// event from r up to its EventList and returns a Decoder for the events. It
// fails with EINVALID for malformed XML and for any DOCTYPE or ENTITY
// declaration (see ErrXMLDirective).
func NewXMLDecoder(r io.Reader) (*Decoder, error) {
	d := &Decoder{}
	d.doc.Namespaces = map[string]string{}
	x := &xmlReader{dec: xml.NewDecoder(r), doc: &d.doc, d: d}
	d.pointer = func(i int) string { return fmt.Sprintf("/EPCISDocument/EPCISBody/EventList/*[%d]", i+1) }
	x.dec.Strict = true
	root := true
	for {
		t, err := x.token()
		if err == io.EOF {
			return d, nil // no EventList: master data, capture job, ...
		}
		if err != nil {
			return nil, xmlErr(err)
		}
		se, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		if root {
			root = false
			if err := x.readRoot(se); err != nil {
				return nil, err
			}
			if EventType(se.Name.Local).Valid() {
				n, err := x.readNode(se)
				if err != nil {
					return nil, err
				}
				d.doc.Kind = KindEvent
				d.doc.HasEventList = true
				d.pointer = func(int) string { return "/" + se.Name.Local }
				done := false
				d.next = func() (*Event, error) {
					if done {
						return nil, io.EOF
					}
					done = true
					if d.checkXML {
						d.structure = checkXMLStructure(n, "/"+se.Name.Local)
					}
					return eventFromXML(n, "/"+se.Name.Local)
				}
				return d, nil
			}
			continue
		}
		switch se.Name.Local {
		case "EPCISHeader":
			n, err := x.readNode(se)
			if err != nil {
				return nil, err
			}
			d.doc.HeaderXML = elementsFromXML(n.children)
		case "ignoreFields":
			n, err := x.readNode(se)
			if err != nil {
				return nil, err
			}
			for _, c := range n.children {
				d.doc.IgnoreFields = append(d.doc.IgnoreFields, "{"+c.name.Space+"}"+c.name.Local)
			}
		case "EventList":
			d.doc.HasEventList = true
			d.next = x.eventIter()
			return d, nil
		case "subscriptionID", "queryName":
			n, err := x.readNode(se)
			if err != nil {
				return nil, err
			}
			if se.Name.Local == "queryName" {
				d.doc.QueryName = n.text
			} else {
				d.doc.SubscriptionID = n.text
			}
		}
	}
}

func (x *xmlReader) readRoot(se xml.StartElement) error {
	doc := x.doc
	switch se.Name.Local {
	case "EPCISDocument":
		doc.Kind = KindDocument
	case "EPCISQueryDocument":
		doc.Kind = KindQueryDocument
	default:
		doc.Kind = DocumentKind(se.Name.Local)
	}
	for _, a := range se.Attr {
		switch a.Name.Local {
		case "schemaVersion":
			doc.SchemaVersion = a.Value
		case "creationDate":
			t, err := parseTime(a.Value)
			if err != nil {
				return tracegate.Invalidf("/"+se.Name.Local+"/@creationDate", "creationDate %q is not an xsd:dateTime", a.Value)
			}
			doc.CreationDate = t
		}
	}
	return nil
}

// eventIter returns the Next function of a decoder inside an EventList.
func (x *xmlReader) eventIter() func() (*Event, error) {
	i := 0
	return func() (*Event, error) {
		for {
			t, err := x.token()
			if err != nil {
				return nil, xmlErr(err)
			}
			switch t := t.(type) {
			case xml.StartElement:
				if t.Name.Local == "extension" {
					continue // EPCIS 1.x wrapper of TransformationEvent
				}
				i++
				ptr := fmt.Sprintf("/EPCISDocument/EPCISBody/EventList/*[%d]", i)
				n, err := x.readNode(t)
				if err != nil {
					return nil, err
				}
				if !EventType(t.Name.Local).Valid() {
					return nil, tracegate.Invalidf(ptr, "unknown event type <%s>", t.Name.Local)
				}
				if x.d.checkXML {
					x.d.structure = checkXMLStructure(n, ptr)
				}
				return eventFromXML(n, ptr)
			case xml.EndElement:
				if t.Name.Local == "EventList" {
					return nil, x.drain()
				}
			}
		}
	}
}

// drain reads to the end of the document, then returns io.EOF.
func (x *xmlReader) drain() error {
	for {
		_, err := x.token()
		if err == io.EOF {
			return io.EOF
		}
		if err != nil {
			return xmlErr(err)
		}
	}
}

// elementsFromXML converts extension elements, keeping namespaces.
func elementsFromXML(nodes []*xnode) []Element {
	if len(nodes) == 0 {
		return nil
	}
	out := make([]Element, 0, len(nodes))
	for _, n := range nodes {
		el := Element{Space: n.name.Space, Local: n.name.Local, Children: elementsFromXML(n.children)}
		if len(n.children) == 0 {
			el.Value = n.text
		}
		for _, a := range n.attrs {
			el.Attrs = append(el.Attrs, Attr{Space: a.Name.Space, Local: a.Name.Local, Value: a.Value})
		}
		out = append(out, el)
	}
	return out
}

var _ = maps.Clone[map[string]string]
