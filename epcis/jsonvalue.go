package epcis

import (
	"encoding/json"
	"errors"
	"fmt"
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
// UseNumber.
func readJVal(dec *json.Decoder) (*jval, error) { return readJValDepth(dec, 0) }

func readJValDepth(dec *json.Decoder, depth int) (*jval, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	return readJValFrom(dec, tok, depth)
}

func readJValFrom(dec *json.Decoder, tok json.Token, depth int) (*jval, error) {
	switch t := tok.(type) {
	case string:
		return &jval{kind: 's', str: t}, nil
	case json.Number:
		return &jval{kind: 'n', str: string(t)}, nil
	case bool:
		if t {
			return &jval{kind: 'b', str: "true"}, nil
		}
		return &jval{kind: 'b', str: "false"}, nil
	case nil:
		return &jval{kind: 'z'}, nil
	case json.Delim:
		switch t {
		case '{':
			v := &jval{kind: 'o'}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				c, err := readJValDepth(dec, depth+1)
				if err != nil {
					return nil, err
				}
				v.keys = append(v.keys, k)
				v.vals = append(v.vals, c)
			}
			_, err := dec.Token() // '}'
			return v, err
		case '[':
			v := &jval{kind: 'a'}
			for dec.More() {
				c, err := readJValDepth(dec, depth+1)
				if err != nil {
					return nil, err
				}
				v.vals = append(v.vals, c)
			}
			_, err := dec.Token() // ']'
			return v, err
		}
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
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
