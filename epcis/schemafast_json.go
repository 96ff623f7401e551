package epcis

import (
	"encoding/json"
	"errors"
	"sync"
	"unicode/utf8"
)

// This file is the JSON reader of the fast schema check (schemafast.go):
// one pass over the document builds a flat tree of nodes that point into
// the document's text, with no allocation per value for the usual ASCII
// strings. It accepts exactly the texts that jsonschema.UnmarshalJSON
// accepts (encoding/json's grammar and its nesting limit, whitespace around
// one value), and each value reads as encoding/json reads it: strings with
// escapes or non-ASCII bytes are unquoted by encoding/json itself, and a
// repeated object key keeps its last value.

// jkind is the JSON type of a node.
type jkind uint8

const (
	jNull jkind = iota
	jFalse
	jTrue
	jNum
	jStr
	jArr
	jObj
)

// jnode is one JSON value. s is a string's decoded value or a number's
// text. An array's elements are kids[first:first+n]; an object's members
// are the pairs kids[first+2k] (the key, a jStr node) and kids[first+2k+1]
// (its value), k < n.
type jnode struct {
	s     string
	first int32
	n     int32
	kind  jkind
}

// jtree is a parsed JSON text; its root is nodes[0].
type jtree struct {
	nodes []jnode
	kids  []int32
	stack []int32 // children of the containers being read
	src   string
	pos   int
	depth int
}

// maxJSONDepth is encoding/json's nesting limit.
const maxJSONDepth = 10000

var errJSONSyntax = errors.New("epcis: not a JSON text")

// jtrees keeps the node arrays of finished checks, so that the check of a
// large document beside its capture adds little garbage.
var jtrees = sync.Pool{New: func() any { return new(jtree) }}

// release clears t (its nodes point into the document) and pools it.
func (t *jtree) release() {
	clear(t.nodes)
	*t = jtree{nodes: t.nodes[:0], kids: t.kids[:0], stack: t.stack[:0]}
	jtrees.Put(t)
}

// parseJSONTree reads src, which must hold one JSON value with optional
// whitespace around it; otherwise it fails with errJSONSyntax. The caller
// releases the tree.
func parseJSONTree(src string) (*jtree, error) {
	t := jtrees.Get().(*jtree)
	t.src = src
	// About one node per 16 bytes in EPCIS documents.
	if want := len(src)/12 + 1; cap(t.nodes) < want {
		t.nodes = make([]jnode, 0, want)
		t.kids = make([]int32, 0, want)
	}
	t.skipSpace()
	if !t.parseValue() {
		t.release()
		return nil, errJSONSyntax
	}
	t.skipSpace()
	if t.pos != len(t.src) {
		t.release()
		return nil, errJSONSyntax
	}
	return t, nil
}

func (t *jtree) skipSpace() {
	for t.pos < len(t.src) {
		switch t.src[t.pos] {
		case ' ', '\t', '\n', '\r':
			t.pos++
		default:
			return
		}
	}
}

func (t *jtree) add(n jnode) int32 {
	t.nodes = append(t.nodes, n)
	return int32(len(t.nodes) - 1)
}

// parseValue reads one value and pushes its index on the stack.
func (t *jtree) parseValue() bool {
	if t.pos >= len(t.src) {
		return false
	}
	switch c := t.src[t.pos]; {
	case c == '{':
		return t.object()
	case c == '[':
		return t.array()
	case c == '"':
		s, ok := t.str()
		if ok {
			t.stack = append(t.stack, t.add(jnode{kind: jStr, s: s}))
		}
		return ok
	case c == '-' || c >= '0' && c <= '9':
		return t.number()
	case c == 't':
		return t.literal("true", jTrue)
	case c == 'f':
		return t.literal("false", jFalse)
	case c == 'n':
		return t.literal("null", jNull)
	}
	return false
}

func (t *jtree) literal(word string, k jkind) bool {
	if len(t.src)-t.pos < len(word) || t.src[t.pos:t.pos+len(word)] != word {
		return false
	}
	t.pos += len(word)
	t.stack = append(t.stack, t.add(jnode{kind: k}))
	return true
}

func (t *jtree) digits() int {
	start := t.pos
	for t.pos < len(t.src) && t.src[t.pos] >= '0' && t.src[t.pos] <= '9' {
		t.pos++
	}
	return t.pos - start
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (t *jtree) number() bool {
	start := t.pos
	if t.src[t.pos] == '-' {
		t.pos++
	}
	if t.pos >= len(t.src) {
		return false
	}
	if t.src[t.pos] == '0' {
		t.pos++
	} else if t.digits() == 0 {
		return false
	}
	if t.pos < len(t.src) && t.src[t.pos] == '.' {
		t.pos++
		if t.digits() == 0 {
			return false
		}
	}
	if t.pos < len(t.src) && (t.src[t.pos] == 'e' || t.src[t.pos] == 'E') {
		t.pos++
		if t.pos < len(t.src) && (t.src[t.pos] == '+' || t.src[t.pos] == '-') {
			t.pos++
		}
		if t.digits() == 0 {
			return false
		}
	}
	t.stack = append(t.stack, t.add(jnode{kind: jNum, s: t.src[start:t.pos]}))
	return true
}

// str reads a string literal at pos and returns its value.
func (t *jtree) str() (string, bool) {
	start := t.pos
	t.pos++
	plain := true // no escape and ASCII only
	for t.pos < len(t.src) {
		c := t.src[t.pos]
		switch {
		case c == '"':
			t.pos++
			raw := t.src[start+1 : t.pos-1]
			if plain || (!hasByte(raw, '\\') && utf8.ValidString(raw)) {
				return raw, true
			}
			// encoding/json's own unquoting: escapes, surrogates and
			// invalid UTF-8 (replaced by U+FFFD) read as it reads them.
			var s string
			if err := json.Unmarshal([]byte(t.src[start:t.pos]), &s); err != nil {
				return "", false
			}
			return s, true
		case c == '\\':
			plain = false
			t.pos++
			if t.pos >= len(t.src) {
				return "", false
			}
			switch t.src[t.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				t.pos++
			case 'u':
				if len(t.src)-t.pos < 5 {
					return "", false
				}
				for _, h := range []byte(t.src[t.pos+1 : t.pos+5]) {
					if !isHex(h) {
						return "", false
					}
				}
				t.pos += 5
			default:
				return "", false
			}
		case c < 0x20:
			return "", false
		default:
			if c >= 0x80 {
				plain = false
			}
			t.pos++
		}
	}
	return "", false
}

func hasByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// open starts a container: it reserves the container's node and returns
// it with the stack mark of its children.
func (t *jtree) open(k jkind) (int32, int, bool) {
	t.depth++
	if t.depth > maxJSONDepth {
		return 0, 0, false
	}
	t.pos++
	return t.add(jnode{kind: k}), len(t.stack), true
}

// close moves the children above mark from the stack to kids.
func (t *jtree) close(id int32, mark int, count int) {
	t.depth--
	t.nodes[id].first = int32(len(t.kids))
	t.nodes[id].n = int32(count)
	t.kids = append(t.kids, t.stack[mark:]...)
	t.stack = append(t.stack[:mark], id)
}

func (t *jtree) array() bool {
	id, mark, ok := t.open(jArr)
	if !ok {
		return false
	}
	t.skipSpace()
	if t.pos < len(t.src) && t.src[t.pos] == ']' {
		t.pos++
		t.close(id, mark, 0)
		return true
	}
	for n := 1; ; n++ {
		t.skipSpace()
		if !t.parseValue() {
			return false
		}
		t.skipSpace()
		if t.pos >= len(t.src) {
			return false
		}
		switch t.src[t.pos] {
		case ',':
			t.pos++
		case ']':
			t.pos++
			t.close(id, mark, n)
			return true
		default:
			return false
		}
	}
}

func (t *jtree) object() bool {
	id, mark, ok := t.open(jObj)
	if !ok {
		return false
	}
	t.skipSpace()
	if t.pos < len(t.src) && t.src[t.pos] == '}' {
		t.pos++
		t.close(id, mark, 0)
		return true
	}
	for n := 1; ; n++ {
		t.skipSpace()
		if t.pos >= len(t.src) || t.src[t.pos] != '"' {
			return false
		}
		key, ok := t.str()
		if !ok {
			return false
		}
		t.stack = append(t.stack, t.add(jnode{kind: jStr, s: key}))
		t.skipSpace()
		if t.pos >= len(t.src) || t.src[t.pos] != ':' {
			return false
		}
		t.pos++
		t.skipSpace()
		if !t.parseValue() {
			return false
		}
		t.skipSpace()
		if t.pos >= len(t.src) {
			return false
		}
		switch t.src[t.pos] {
		case ',':
			t.pos++
		case '}':
			t.pos++
			t.close(id, mark, t.dedupe(mark, n))
			return true
		default:
			return false
		}
	}
}

// dedupe keeps, of the n members above mark on the stack, the last one of
// each key (encoding/json's map semantics) and returns how many remain.
func (t *jtree) dedupe(mark, n int) int {
	if n < 2 {
		return n
	}
	m := t.stack[mark:]
	key := func(i int) string { return t.nodes[m[2*i]].s }
	dup := false
	if n <= 16 {
		for i := 1; i < n && !dup; i++ {
			for j := range i {
				if key(i) == key(j) {
					dup = true
					break
				}
			}
		}
	} else {
		seen := make(map[string]struct{}, n)
		for i := range n {
			if _, ok := seen[key(i)]; ok {
				dup = true
				break
			}
			seen[key(i)] = struct{}{}
		}
	}
	if !dup {
		return n
	}
	last := make(map[string]int, n)
	for i := range n {
		last[key(i)] = i
	}
	out := 0
	for i := range n {
		if last[key(i)] == i {
			m[2*out], m[2*out+1] = m[2*i], m[2*i+1]
			out++
		}
	}
	t.stack = t.stack[:mark+2*out]
	return out
}
