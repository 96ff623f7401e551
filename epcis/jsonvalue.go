package epcis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jval is a JSON value read token by token, keeping object key order and
// numbers as their literal text.
type jval struct {
	kind byte // 's' string, 'n' number, 'b' bool, 'z' null, 'o' object, 'a' array
	str  string
	keys []string
	vals []*jval
}

// get returns the value of key k of an object, or nil.
func (v *jval) get(k string) *jval {
	if v == nil || v.kind != 'o' {
		return nil
	}
	for i, key := range v.keys {
		if key == k {
			return v.vals[i]
		}
	}
	return nil
}

// maxDepth bounds the nesting of JSON values and XML elements read into
// memory, so that a hostile document cannot exhaust the stack.
const maxDepth = 64

var errTooDeep = errors.New("nested too deeply")

// readJVal reads the next complete value from dec, which must use
// UseNumber. The value is taken whole (Decode checks its syntax in one pass)
// and then parsed by parseJVal: json.Decoder.Token costs an error value
// (and its message) per scalar, which made it most of a capture's decoding.
func readJVal(dec *json.Decoder) (*jval, error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	p := jparser{data: raw}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if p.skipSpace(); p.i != len(p.data) {
		return nil, fmt.Errorf("unexpected data after a JSON value at offset %d", p.i)
	}
	return v, nil
}

// jparser parses one JSON value that encoding/json has already checked.
type jparser struct {
	data []byte
	i    int
}

func (p *jparser) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jparser) value(depth int) (*jval, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	p.skipSpace()
	if p.i >= len(p.data) {
		return nil, io.ErrUnexpectedEOF
	}
	switch c := p.data[p.i]; {
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &jval{kind: 's', str: s}, nil
	case c == '{':
		p.i++
		v := &jval{kind: 'o'}
		for {
			p.skipSpace()
			if p.i < len(p.data) && p.data[p.i] == '}' {
				p.i++
				return v, nil
			}
			if p.i < len(p.data) && p.data[p.i] == ',' {
				p.i++
				p.skipSpace()
			}
			if p.i >= len(p.data) || p.data[p.i] != '"' {
				return nil, fmt.Errorf("expected an object key at offset %d", p.i)
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.skipSpace()
			if p.i >= len(p.data) || p.data[p.i] != ':' {
				return nil, fmt.Errorf("expected ':' at offset %d", p.i)
			}
			p.i++
			c, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			v.keys = append(v.keys, k)
			v.vals = append(v.vals, c)
		}
	case c == '[':
		p.i++
		v := &jval{kind: 'a'}
		for {
			p.skipSpace()
			if p.i < len(p.data) && p.data[p.i] == ']' {
				p.i++
				return v, nil
			}
			if p.i < len(p.data) && p.data[p.i] == ',' {
				p.i++
			}
			c, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			v.vals = append(v.vals, c)
		}
	case c == 't' && bytes.HasPrefix(p.data[p.i:], []byte("true")):
		p.i += 4
		return &jval{kind: 'b', str: "true"}, nil
	case c == 'f' && bytes.HasPrefix(p.data[p.i:], []byte("false")):
		p.i += 5
		return &jval{kind: 'b', str: "false"}, nil
	case c == 'n' && bytes.HasPrefix(p.data[p.i:], []byte("null")):
		p.i += 4
		return &jval{kind: 'z'}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.i
		for p.i < len(p.data) && strings.IndexByte("+-.eE0123456789", p.data[p.i]) >= 0 {
			p.i++
		}
		return &jval{kind: 'n', str: string(p.data[start:p.i])}, nil
	default:
		return nil, fmt.Errorf("unexpected character %q at offset %d", c, p.i)
	}
}

// str reads a string literal; only one with escapes goes through
// encoding/json.
func (p *jparser) str() (string, error) {
	start := p.i
	p.i++ // the opening quote
	escaped := false
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case '\\':
			escaped = true
			p.i += 2
			continue
		case '"':
			p.i++
			if !escaped {
				return string(p.data[start+1 : p.i-1]), nil
			}
			var s string
			err := json.Unmarshal(p.data[start:p.i], &s)
			return s, err
		}
		p.i++
	}
	return "", io.ErrUnexpectedEOF
}

// raw re-encodes v as JSON.
func (v *jval) raw() json.RawMessage {
	b, _ := json.Marshal(v.any())
	return b
}

func (v *jval) any() any {
	switch v.kind {
	case 's':
		return v.str
	case 'n':
		return json.Number(v.str)
	case 'b':
		return v.str == "true"
	case 'o':
		m := make(map[string]any, len(v.keys))
		for i, k := range v.keys {
			m[k] = v.vals[i].any()
		}
		return m
	case 'a':
		a := make([]any, len(v.vals))
		for i, c := range v.vals {
			a[i] = c.any()
		}
		return a
	}
	return nil
}
