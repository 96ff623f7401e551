package customs

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// parseTreeFast builds the element tree of data as parseTreeStd does, in one
// pass over the bytes without encoding/xml's per-byte reader and token
// values. It reads the subset of XML that CEB messages are written in (ASCII
// names, the five predefined entities, character references, comments, CDATA
// sections, processing instructions, namespaces) and answers ok = false for
// anything else and for every error, so that the caller runs parseTreeStd,
// which decides and explains: a DOCTYPE, an entity declaration or any other
// directive, a non-ASCII name, a malformed document. When ok is true the tree
// is the one parseTreeStd builds (TestParseTreeDifferential and
// FuzzParseTreeDifferential compare the two).
func parseTreeFast(data []byte) (root *node, ok bool) {
	p := fastParser{data: data, names: make(map[string]string, 64)}
	return p.parse()
}

type fastFrame struct {
	n     *node  // nil inside a raw element
	qname []byte // the name as written, which the end tag must repeat
	nsLen int    // len(p.ns) before the element's declarations
	raw   bool   // n keeps its inner XML
	begin int    // offset after the start tag of a raw element
}

type nsBinding struct{ prefix, uri string }

type fastParser struct {
	data  []byte
	pos   int
	stack []fastFrame
	ns    []nsBinding
	names map[string]string
	buf   []byte
}

func (p *fastParser) parse() (*node, bool) {
	var root *node
	d := p.data
	for p.pos < len(d) {
		if d[p.pos] != '<' {
			seg, ok := p.text()
			if !ok {
				return nil, false
			}
			p.charData(seg)
			continue
		}
		if p.pos+1 >= len(d) {
			return nil, false
		}
		switch d[p.pos+1] {
		case '/':
			if !p.endTag() {
				return nil, false
			}
		case '?':
			if !p.procInst() {
				return nil, false
			}
		case '!':
			if bytes.HasPrefix(d[p.pos:], []byte("<!--")) {
				end := bytes.Index(d[p.pos+4:], []byte("--"))
				if end < 0 || p.pos+4+end+2 >= len(d) || d[p.pos+4+end+2] != '>' {
					return nil, false
				}
				p.pos += 4 + end + 3
				continue
			}
			if !bytes.HasPrefix(d[p.pos:], []byte("<![CDATA[")) {
				return nil, false // a directive (DOCTYPE, ENTITY …) or malformed: parseTreeStd refuses it
			}
			start := p.pos + 9
			end := bytes.Index(d[start:], []byte("]]>"))
			if end < 0 {
				return nil, false
			}
			seg, ok := p.decode(d[start:start+end], false)
			if !ok {
				return nil, false
			}
			p.pos = start + end + 3
			p.charData(seg)
		default:
			n, ok := p.startTag(root)
			if !ok {
				return nil, false
			}
			if root == nil {
				root = n
			}
		}
	}
	if root == nil || len(p.stack) > 0 {
		return nil, false
	}
	return root, true
}

// charData adds a run of character data to the open element as parseTreeStd
// does with a CharData token.
func (p *fastParser) charData(t []byte) {
	if len(p.stack) == 0 {
		return
	}
	f := &p.stack[len(p.stack)-1]
	if f.n == nil || f.raw {
		return
	}
	top := f.n
	if len(top.children) == 0 || !isSpace(t) {
		top.text = append(top.text, t...)
	}
}

// text reads character data up to the next '<' (or the end).
func (p *fastParser) text() ([]byte, bool) {
	d := p.data
	end := bytes.IndexByte(d[p.pos:], '<')
	if end < 0 {
		end = len(d) - p.pos
	}
	raw := d[p.pos : p.pos+end]
	if bytes.Contains(raw, []byte("]]>")) {
		return nil, false
	}
	p.pos += end
	return p.decode(raw, true)
}

// decode resolves references (when refs) and line ends in raw and checks
// that every character is one XML allows. The result may alias raw.
func (p *fastParser) decode(raw []byte, refs bool) ([]byte, bool) {
	simple := true
	for _, c := range raw {
		if c < 0x20 && c != '\n' && c != '\t' || c >= utf8.RuneSelf || c == '&' {
			simple = false
			break
		}
	}
	if simple {
		return raw, true
	}
	if !bytes.ContainsAny(raw, "&\r") {
		return raw, validChars(raw)
	}
	out := p.buf[:0]
	var prev byte
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '&' && refs:
			semi := bytes.IndexByte(raw[i:], ';')
			if semi < 0 {
				return nil, false
			}
			r, ok := reference(raw[i+1 : i+semi])
			if !ok {
				return nil, false
			}
			out = utf8.AppendRune(out, r)
			i += semi
			prev = 0
			continue
		case c == '\r':
			out = append(out, '\n')
		case prev == '\r' && c == '\n':
		default:
			out = append(out, c)
		}
		prev = c
	}
	p.buf = out[:0]
	if !validChars(out) {
		return nil, false
	}
	return append([]byte(nil), out...), true
}

// reference resolves the body of &…; (without & and ;): a predefined
// entity or a character reference, as encoding/xml does.
func reference(ref []byte) (rune, bool) {
	switch string(ref) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	digits, base := ref[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, false
	}
	for _, c := range digits {
		if !('0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 64)
	if err != nil || n > unicode.MaxRune {
		return 0, false
	}
	return rune(n), true
}

// validChars reports whether b is UTF-8 of characters in XML's Char range.
func validChars(b []byte) bool {
	for len(b) > 0 {
		c := b[0]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 || !isInRange(r) {
			return false
		}
		b = b[size:]
	}
	return true
}

func isInRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// name reads an ASCII XML name at p.pos; anything else is not ok.
func (p *fastParser) name() ([]byte, bool) {
	d, i := p.data, p.pos
	if i >= len(d) {
		return nil, false
	}
	if c := d[i]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == ':') {
		return nil, false
	}
	for i++; i < len(d); i++ {
		c := d[i]
		if c >= utf8.RuneSelf {
			return nil, false // a non-ASCII name: parseTreeStd checks it
		}
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == ':' || c == '.' || c == '-') {
			break
		}
	}
	n := d[p.pos:i]
	p.pos = i
	return n, true
}

// split divides a name at its colon as encoding/xml does (more than one
// colon is an error).
func split(n []byte) (space, local []byte, ok bool) {
	i := bytes.IndexByte(n, ':')
	if i < 0 {
		return nil, n, true
	}
	if bytes.IndexByte(n[i+1:], ':') >= 0 {
		return nil, nil, false
	}
	if i == 0 || i == len(n)-1 {
		return nil, n, true
	}
	return n[:i], n[i+1:], true
}

func (p *fastParser) intern(b []byte) string {
	if s, ok := p.names[string(b)]; ok {
		return s
	}
	s := string(b)
	p.names[s] = s
	return s
}

func (p *fastParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

func (p *fastParser) lookup(prefix string) (string, bool) {
	for i := len(p.ns) - 1; i >= 0; i-- {
		if p.ns[i].prefix == prefix {
			return p.ns[i].uri, true
		}
	}
	return "", false
}

// translate maps a name's prefix to its namespace as encoding/xml does.
func (p *fastParser) translate(space, local string, element bool) string {
	switch {
	case space == "xmlns":
		return space
	case space == "" && !element:
		return space
	case space == "xml":
		return "http://www.w3.org/XML/1998/namespace"
	case space == "" && local == "xmlns":
		return space
	}
	if v, ok := p.lookup(space); ok {
		return v
	}
	return space
}

// startTag reads a start tag (and, when it closes itself, its end) and adds
// its element to the tree as parseTreeStd does.
func (p *fastParser) startTag(root *node) (*node, bool) {
	d := p.data
	p.pos++
	qname, ok := p.name()
	if !ok {
		return nil, false
	}
	rawSpace, rawLocal, ok := split(qname)
	if !ok {
		return nil, false
	}
	type rawAttr struct{ space, local, value []byte }
	var attrs []rawAttr
	empty := false
	for {
		p.space()
		if p.pos >= len(d) {
			return nil, false
		}
		if c := d[p.pos]; c == '/' {
			if p.pos+1 >= len(d) || d[p.pos+1] != '>' {
				return nil, false
			}
			p.pos += 2
			empty = true
			break
		} else if c == '>' {
			p.pos++
			break
		}
		an, ok := p.name()
		if !ok {
			return nil, false
		}
		as, al, ok := split(an)
		if !ok {
			return nil, false
		}
		p.space()
		if p.pos >= len(d) || d[p.pos] != '=' {
			return nil, false
		}
		p.pos++
		p.space()
		if p.pos >= len(d) || d[p.pos] != '"' && d[p.pos] != '\'' {
			return nil, false
		}
		q := d[p.pos]
		end := bytes.IndexByte(d[p.pos+1:], q)
		if end < 0 {
			return nil, false
		}
		rawVal := d[p.pos+1 : p.pos+1+end]
		if bytes.IndexByte(rawVal, '<') >= 0 {
			return nil, false
		}
		val, ok := p.decode(rawVal, true)
		if !ok {
			return nil, false
		}
		p.pos += end + 2
		attrs = append(attrs, rawAttr{as, al, val})
	}
	var parent *fastFrame
	if len(p.stack) > 0 {
		parent = &p.stack[len(p.stack)-1]
	} else if root != nil {
		return nil, false // more than one root
	}
	f := fastFrame{qname: qname, nsLen: len(p.ns)}
	if parent != nil && (parent.n == nil || parent.raw) {
		// Inside raw inner XML: checked, not built.
		if !empty {
			p.stack = append(p.stack, f)
		}
		return nil, true
	}
	if len(p.stack) >= maxDepth {
		return nil, false
	}
	for _, a := range attrs {
		switch {
		case string(a.space) == "xmlns":
			p.ns = append(p.ns, nsBinding{p.intern(a.local), string(a.value)})
		case a.space == nil && string(a.local) == "xmlns":
			p.ns = append(p.ns, nsBinding{"", string(a.value)})
		}
	}
	space, local := p.intern(rawSpace), p.intern(rawLocal)
	n := &node{space: p.translate(space, local, true), local: local}
	for _, a := range attrs {
		if string(a.space) == "xmlns" || a.space == nil && string(a.local) == "xmlns" {
			continue
		}
		as, al := p.intern(a.space), p.intern(a.local)
		n.attrs = append(n.attrs, xml.Attr{Name: xml.Name{Space: p.translate(as, al, false), Local: al}, Value: string(a.value)})
	}
	var pn *node
	if parent != nil {
		pn = parent.n
		if len(pn.children) == 0 && isSpace(pn.text) {
			pn.text = pn.text[:0]
		}
		pn.children = append(pn.children, n)
	}
	f.n = n
	if isRaw(pn, n.space, n.local) {
		n.raw = true
		if i := bytes.IndexByte(qname, ':'); i > 0 {
			n.prefix = string(qname[:i])
		}
		f.raw, f.begin = true, p.pos
	}
	if empty {
		p.ns = p.ns[:f.nsLen]
		return n, true
	}
	p.stack = append(p.stack, f)
	return n, true
}

// endTag reads an end tag, which must close the open element by the same
// name, and ends that element.
func (p *fastParser) endTag() bool {
	d := p.data
	tagStart := p.pos
	p.pos += 2
	qname, ok := p.name()
	if !ok {
		return false
	}
	if _, _, ok := split(qname); !ok {
		return false
	}
	p.space()
	if p.pos >= len(d) || d[p.pos] != '>' {
		return false
	}
	p.pos++
	if len(p.stack) == 0 {
		return false
	}
	f := p.stack[len(p.stack)-1]
	if !bytes.Equal(f.qname, qname) {
		return false
	}
	p.stack = p.stack[:len(p.stack)-1]
	if f.raw && tagStart > f.begin {
		f.n.inner = append([]byte(nil), d[f.begin:tagStart]...)
	}
	if f.n != nil {
		p.ns = p.ns[:f.nsLen]
	}
	return true
}

// procInst reads a processing instruction. The XML declaration is checked
// by encoding/xml itself (version 1.0, UTF-8).
func (p *fastParser) procInst() bool {
	d := p.data
	start := p.pos
	p.pos += 2
	target, ok := p.name()
	if !ok {
		return false
	}
	end := bytes.Index(d[p.pos:], []byte("?>"))
	if end < 0 {
		return false
	}
	p.pos += end + 2
	if string(target) == "xml" {
		x := xml.NewDecoder(bytes.NewReader(d[start:p.pos]))
		if _, err := x.Token(); err != nil {
			return false
		}
	}
	return true
}
