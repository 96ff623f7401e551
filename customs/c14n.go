package customs

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"

	"tracegate"
)

// Canonical XML 1.0 (inclusive, without comments), for checking the
// ds:Signature of a CEB message: the form its SignedInfo and, after the
// enveloped-signature transform, the message itself are digested in.
// SPEC: https://www.w3.org/TR/2001/REC-xml-c14n-20010315
//
// The subset needed here: a whole document, or one element's subtree with
// the namespaces in scope at it; no DTD (ParseValidated refuses one),
// comments and processing instructions dropped, line ends normalised by the
// parser, CDATA as text, empty elements as start-end pairs, namespace
// declarations (sorted by prefix, the default first) where the output
// parent did not render the same one, attributes sorted by namespace URI
// then local name, and the escaping of section 2.3 of the spec.

// xnode is an element with its names as written (prefix kept).
type xnode struct {
	prefix, local string
	ns            map[string]string // declarations on this element: prefix ("" default) -> URI
	attrs         []xml.Attr        // other attributes, Name.Space holding the prefix
	kids          []any             // *xnode or []byte (character data)
}

// parseXNodes reads data into a tree of xnodes, keeping prefixes.
func parseXNodes(data []byte) (*xnode, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*xnode
	var root *xnode
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, tracegate.Invalidf("/", "the message is not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xnode{prefix: t.Name.Space, local: t.Name.Local, ns: map[string]string{}}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					n.ns[""] = a.Value
				case a.Name.Space == "xmlns":
					n.ns[a.Name.Local] = a.Value
				default:
					n.attrs = append(n.attrs, a)
				}
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
			if len(stack) > maxDepth*4 {
				return nil, tracegate.Invalidf("/", "elements nested deeper than %d", maxDepth*4)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, tracegate.Invalidf("/", "unbalanced end tag %s", t.Name.Local)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, bytes.Clone(t))
			}
		}
	}
	if root == nil || len(stack) != 0 {
		return nil, tracegate.Invalidf("/", "the message has no complete root element")
	}
	return root, nil
}

// canonicalize writes n in canonical form to b; inScope are the namespaces
// in scope at n's parent and rendered those its output parent rendered.
func canonicalize(b *bytes.Buffer, n *xnode, inScope, rendered map[string]string) {
	scope := maps2(inScope, n.ns)
	out := map[string]string{}
	for p, uri := range scope {
		if r, ok := rendered[p]; ok && r == uri || !ok && p == "" && uri == "" {
			continue
		}
		out[p] = uri
	}
	name := n.local
	if n.prefix != "" {
		name = n.prefix + ":" + n.local
	}
	b.WriteString("<" + name)
	for _, p := range slices.Sorted(mapKeys(out)) {
		if p == "" {
			b.WriteString(` xmlns="`)
		} else {
			b.WriteString(" xmlns:" + p + `="`)
		}
		escapeAttr(b, out[p])
		b.WriteByte('"')
	}
	attrs := slices.Clone(n.attrs)
	uri := func(a xml.Attr) string {
		switch a.Name.Space {
		case "":
			return ""
		case "xml":
			return "http://www.w3.org/XML/1998/namespace"
		}
		return scope[a.Name.Space]
	}
	slices.SortFunc(attrs, func(x, y xml.Attr) int {
		if c := strings.Compare(uri(x), uri(y)); c != 0 {
			return c
		}
		return strings.Compare(x.Name.Local, y.Name.Local)
	})
	for _, a := range attrs {
		b.WriteByte(' ')
		if a.Name.Space != "" {
			b.WriteString(a.Name.Space + ":")
		}
		b.WriteString(a.Name.Local + `="`)
		escapeAttr(b, a.Value)
		b.WriteByte('"')
	}
	b.WriteByte('>')
	nowRendered := maps2(rendered, out)
	for _, k := range n.kids {
		switch k := k.(type) {
		case []byte:
			escapeText(b, k)
		case *xnode:
			canonicalize(b, k, scope, nowRendered)
		}
	}
	b.WriteString("</" + name + ">")
}

// canonicalForm returns the canonical form of n as the apex of its output,
// with the namespaces inScope at it declared.
func canonicalForm(n *xnode, inScope map[string]string) []byte {
	var b bytes.Buffer
	canonicalize(&b, n, inScope, map[string]string{})
	return b.Bytes()
}

func maps2(a, b map[string]string) map[string]string {
	out := make(map[string]string, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func escapeText(b *bytes.Buffer, s []byte) {
	for _, c := range s {
		switch c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteByte(c)
		}
	}
}

func escapeAttr(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '"':
			b.WriteString("&quot;")
		case '\t':
			b.WriteString("&#x9;")
		case '\n':
			b.WriteString("&#xA;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteByte(c)
		}
	}
}
