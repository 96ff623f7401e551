package customs

import (
	"bytes"
	"encoding/base64"
	"io"
	"reflect"

	"tracegate"
)

// Message is one parsed CEB message: a data message (CEB311, 411, 511, 513,
// 621, 623, 625, 711, 816) or a receipt (312, 412, 512, 514, 622, 624, 626,
// 712). The concrete type is *CEBnnnMessage.
type Message interface {
	// MessageType returns the root element name, such as "CEB621Message".
	MessageType() string
	// Root returns the guid and version attributes of the root element.
	Root() *Envelope
	// HasSignature reports whether a ds:Signature element is present.
	HasSignature() bool
}

// Envelope holds the two attributes every CEB root element carries.
type Envelope struct {
	GUID    string `xml:"guid,attr"`    // 36 characters, upper case
	Version string `xml:"version,attr"` // "1.0" by default
}

// Root returns e itself; it never fails.
func (e *Envelope) Root() *Envelope { return e }

// Signature is an XML-DSig ds:Signature element, kept byte for byte: Inner
// is the raw XML between its start and end tags, Prefix the namespace
// prefix it was written with ("ds" in the official samples; "" means the
// default namespace). Marshal writes it back with its namespace declared on
// the start tag. This package never checks the signature; note that it
// covers the document's canonical form, which re-serialising changes.
type Signature struct {
	Prefix string
	Inner  []byte
}

// RawXML is element content of type ceb:XMLElement (xs:any, processContents
// skip), kept byte for byte as raw inner XML.
type RawXML struct {
	Inner []byte
}

// ExtendMessage is the optional custom extension block of a data message.
type ExtendMessage struct {
	Name    string  `xml:"name"`    // 自定义报文名称
	Version string  `xml:"version"` // 自定义报文版本
	Message *RawXML `xml:"Message"` // 自定义报文实体 (any XML)
}

// Transfer is the trailer of the declaration data messages: the sender
// (BaseTransfer), receipt subscriptions, the extension, and the signature.
type Transfer struct {
	BaseTransfer  BaseTransfer    `xml:"BaseTransfer"`
	BaseSubscribe []BaseSubscribe `xml:"BaseSubscribe"`
	ExtendMessage *ExtendMessage  `xml:"ExtendMessage"`
	Signature     *Signature      `xml:"Signature"`
}

// HasSignature reports whether the ds:Signature element is present.
func (t *Transfer) HasSignature() bool { return t.Signature != nil }

// unsigned is embedded by messages that have no Signature element.
type unsigned struct{}

// HasSignature returns false: receipts and CEB816 carry no signature.
func (unsigned) HasSignature() bool { return false }

type messageKind struct {
	new      func() Message
	prefixed bool // data messages are written with the ceb: prefix
}

// kinds maps root element names to message types.
var kinds = map[string]messageKind{
	"CEB311Message": {func() Message { return new(CEB311Message) }, true},
	"CEB312Message": {func() Message { return new(CEB312Message) }, false},
	"CEB411Message": {func() Message { return new(CEB411Message) }, true},
	"CEB412Message": {func() Message { return new(CEB412Message) }, false},
	"CEB511Message": {func() Message { return new(CEB511Message) }, true},
	"CEB512Message": {func() Message { return new(CEB512Message) }, false},
	"CEB513Message": {func() Message { return new(CEB513Message) }, true},
	"CEB514Message": {func() Message { return new(CEB514Message) }, false},
	"CEB621Message": {func() Message { return new(CEB621Message) }, true},
	"CEB622Message": {func() Message { return new(CEB622Message) }, false},
	"CEB623Message": {func() Message { return new(CEB623Message) }, true},
	"CEB624Message": {func() Message { return new(CEB624Message) }, false},
	"CEB625Message": {func() Message { return new(CEB625Message) }, true},
	"CEB626Message": {func() Message { return new(CEB626Message) }, false},
	"CEB711Message": {func() Message { return new(CEB711Message) }, true},
	"CEB712Message": {func() Message { return new(CEB712Message) }, false},
	"CEB816Message": {func() Message { return new(CEB816Message) }, true},
}

// ParseMessage reads one CEB message from r, sniffs its root element and
// returns the typed message (*CEB311Message, *CEB622Message, ...). A DXP
// envelope (dxp:DxpMsg, or dxp:DxpMsgSv around it) is unwrapped: its Data
// element holds the CEB message as base64 (xs:base64Binary, per the DXP XSD)
// or, as some senders do with AddInfo/IsText, as plain XML text.
//
// It fails with EINVALID (a *tracegate.Error whose Pointer locates the
// problem) on malformed XML, a DOCTYPE or entity declaration, an undefined
// entity, a root outside the CEB namespace, an unknown message type, an
// element the message type does not have, or a repeated single element; with
// ETOOLARGE past MaxMessageSize. ParseMessage does not check facets or
// required elements: call Validate or ValidateXML for that.
func ParseMessage(r io.Reader) (Message, error) {
	data, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	root, err := parseDocument(data)
	if err != nil {
		return nil, err
	}
	return decodeMessage(root)
}

// parseDocument parses data and unwraps a DXP envelope, returning the root
// of the CEB message.
func parseDocument(data []byte) (*node, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	if root.space != NamespaceDXP {
		return root, nil
	}
	inner, err := unwrapDXP(root)
	if err != nil {
		return nil, err
	}
	root, err = parseTree(inner)
	if err != nil {
		return nil, err
	}
	if root.space == NamespaceDXP {
		return nil, tracegate.Invalidf("/"+root.local, "nested DXP envelope in DXP Data")
	}
	return root, nil
}

// unwrapDXP returns the CEB message carried in a DxpMsg's Data element.
func unwrapDXP(root *node) ([]byte, error) {
	path := "/" + root.local
	if root.local == "DxpMsgSv" {
		root = root.child("DxpMsg")
		if root == nil {
			return nil, tracegate.Invalidf(path, "DxpMsgSv has no DxpMsg")
		}
		path += "/DxpMsg"
	}
	if root.local != "DxpMsg" {
		return nil, tracegate.Invalidf(path, "unknown DXP element %s, want DxpMsg", root.local)
	}
	data := root.child("Data")
	if data == nil || data.space != NamespaceDXP {
		return nil, tracegate.Invalidf(path+"/Data", "DxpMsg has no Data element")
	}
	text := bytes.TrimPrefix(bytes.TrimSpace(data.text), []byte("\ufeff")) // a UTF-8 BOM
	if bytes.HasPrefix(text, []byte("<")) {
		return text, nil // IsText: plain XML
	}
	clean := bytes.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, text)
	out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Decode(out, clean)
	if err != nil {
		return nil, tracegate.Invalidf(path+"/Data", "Data is neither base64 nor XML text: %v", err)
	}
	return out[:n], nil
}

func decodeMessage(root *node) (Message, error) {
	path := "/" + root.local
	if root.space != Namespace {
		return nil, tracegate.Invalidf(path, "root element %s is in namespace %q, want %q", root.local, root.space, Namespace)
	}
	k, ok := kinds[root.local]
	if !ok {
		return nil, tracegate.Invalidf(path, "unknown CEB message type %s", root.local)
	}
	m := k.new()
	if err := decodeNode(root, reflect.ValueOf(m).Elem(), path); err != nil {
		return nil, err
	}
	return m, nil
}

// Marshal writes m as an indented XML document in UTF-8. Data messages use
// the ceb: prefix (as the official samples do), receipts the default
// namespace; elements come in XSD order, optional elements only when set
// (non-nil), a Signature exactly as kept. It fails with EINVALID when m is
// nil or not one of this package's message types.
func Marshal(m Message) ([]byte, error) {
	if m == nil || reflect.ValueOf(m).IsNil() {
		return nil, tracegate.Invalidf("/", "nil message")
	}
	k, ok := kinds[m.MessageType()]
	v := reflect.ValueOf(m)
	if !ok || v.Kind() != reflect.Pointer || reflect.TypeOf(k.new()) != v.Type() {
		return nil, tracegate.Invalidf("/", "unknown message type %T", m)
	}
	e := &encoder{}
	decl := ` xmlns="` + Namespace + `"`
	if k.prefixed {
		e.prefix = "ceb:"
		decl = ` xmlns:ceb="` + Namespace + `"`
	}
	e.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	e.element(0, m.MessageType(), v.Elem(), decl)
	e.b.WriteByte('\n')
	return e.b.Bytes(), nil
}
