package customs

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"tracegate"
)

// Namespaces of the messages this package reads and writes.
const (
	// Namespace is the namespace of every CEB element.
	Namespace = "http://www.chinaport.gov.cn/ceb"
	// NamespaceDXP is the namespace of the DXP transport envelope (DxpMsg).
	NamespaceDXP = "http://www.chinaport.gov.cn/dxp"
	// NamespaceDS is the XML-DSig namespace of ds:Signature.
	NamespaceDS = "http://www.w3.org/2000/09/xmldsig#"
)

// MaxMessageSize is the largest message, in bytes, that ParseMessage and
// ValidateXML read; a larger input fails with code ETOOLARGE. One CEB message
// carries at most 100 documents of at most 99 lines, far below this.
const MaxMessageSize = 16 << 20

// maxDepth bounds element nesting; CEB messages are at most 4 deep below the
// root (ExtendMessage and Signature content is kept raw and not counted).
const maxDepth = 32

// node is one element of a parsed document. Leaves keep their character
// data exactly; raw nodes (ds:Signature, ExtendMessage/Message) keep their
// inner XML byte for byte and have no children.
type node struct {
	space, local string
	prefix       string // prefix as written, kept for raw nodes only
	attrs        []xml.Attr
	children     []*node
	text         []byte
	inner        []byte
	raw          bool
}

// readLimited reads all of r, refusing more than MaxMessageSize bytes.
func readLimited(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	if l, ok := r.(interface{ Len() int }); ok && l.Len() <= MaxMessageSize {
		buf.Grow(l.Len() + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(r, MaxMessageSize+1))
	data := buf.Bytes()
	if err != nil {
		return nil, fmt.Errorf("customs: read message: %w", err)
	}
	if len(data) > MaxMessageSize {
		return nil, tracegate.Errorf(tracegate.ETOOLARGE, "message exceeds %d bytes", MaxMessageSize)
	}
	return data, nil
}

// isRaw reports whether an element's content is kept as raw inner XML.
func isRaw(parent *node, space, local string) bool {
	if space == NamespaceDS && local == "Signature" {
		return true
	}
	return parent != nil && parent.local == "ExtendMessage" && local == "Message"
}

// parseTree parses data into an element tree, as parseTreeStd describes:
// parseTreeFast builds it when data is in the subset of XML it reads, and
// parseTreeStd (encoding/xml) otherwise, which also writes every refusal.
func parseTree(data []byte) (*node, error) {
	if root, ok := parseTreeFast(data); ok {
		return root, nil
	}
	return parseTreeStd(data)
}

// parseTreeStd parses data into an element tree with encoding/xml. It refuses a DOCTYPE (and with
// it every entity declaration, so no entity expansion or external entity is
// ever attempted), undefined entity references, malformed XML, more than one
// root, and nesting deeper than maxDepth. Errors are EINVALID.
func parseTreeStd(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var stack []*node
	var root *node
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, tracegate.Invalidf("/", "malformed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, refuseDirective(t)
		case xml.StartElement:
			var parent *node
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			} else if root != nil {
				return nil, tracegate.Invalidf("/", "malformed XML: more than one root element")
			}
			if len(stack) >= maxDepth {
				return nil, tracegate.Invalidf("/", "elements nested deeper than %d", maxDepth)
			}
			n := &node{space: t.Name.Space, local: t.Name.Local}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				n.attrs = append(n.attrs, a)
			}
			if parent == nil {
				root = n
			} else {
				if len(parent.children) == 0 && isSpace(parent.text) {
					parent.text = parent.text[:0] // indentation, not a leaf's value
				}
				parent.children = append(parent.children, n)
			}
			if isRaw(parent, n.space, n.local) {
				if err := captureRaw(d, data, off, n); err != nil {
					return nil, err
				}
				continue
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				if len(top.children) == 0 || !isSpace(t) {
					top.text = append(top.text, t...)
				}
			}
		}
	}
	if root == nil {
		return nil, tracegate.Invalidf("/", "malformed XML: no root element")
	}
	return root, nil
}

func refuseDirective(t xml.Directive) error {
	if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) {
		return tracegate.Invalidf("/", "DOCTYPE is not allowed: CEB messages carry no DTD, and entity declarations are refused")
	}
	return tracegate.Invalidf("/", "XML directive <!%s> is not allowed", firstWord(t))
}

func firstWord(b []byte) string {
	b = bytes.TrimSpace(b)
	if i := bytes.IndexAny(b, " \t\r\n"); i >= 0 {
		b = b[:i]
	}
	if len(b) > 20 {
		b = b[:20]
	}
	return string(b)
}

// captureRaw consumes the content of n up to its end tag and stores the
// bytes between its start and end tags in n.inner. start is the offset of
// n's start tag, from which the prefix as written is recovered.
func captureRaw(d *xml.Decoder, data []byte, start int64, n *node) error {
	n.raw = true
	tag := data[start:]
	if i := bytes.IndexAny(tag, " \t\r\n/>"); i > 1 {
		if name := tag[1:i]; bytes.IndexByte(name, ':') > 0 {
			n.prefix = string(name[:bytes.IndexByte(name, ':')])
		}
	}
	begin := d.InputOffset()
	for depth := 1; depth > 0; {
		end := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return tracegate.Invalidf("/", "malformed XML in %s: %v", n.local, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return refuseDirective(t)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
			if depth == 0 {
				n.inner = append([]byte(nil), data[begin:end]...)
			}
		}
	}
	return nil
}

// child returns the first child named local, or nil.
func (n *node) child(local string) *node {
	for _, c := range n.children {
		if c.local == local {
			return c
		}
	}
	return nil
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}
