package epcis

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// JSON equality for enum, const and uniqueItems, as the jsonschema library
// defines it (equals in its util.go): numbers are equal when their
// big.Rat values are, which fails (and so is never equal) for exponents
// too large for big.Rat.

func parseRat(s string) (*big.Rat, bool) {
	return new(big.Rat).SetString(s)
}

// has reports whether node i equals one of the values.
func (e *fenum) has(t *jtree, i int32) bool {
	if n := &t.nodes[i]; n.kind == jStr {
		if _, ok := e.strs[n.s]; ok {
			return true
		}
	}
	if len(e.others) == 0 {
		return false
	}
	v := t.value(i)
	for _, o := range e.others {
		if anyEquals(v, o) {
			return true
		}
	}
	return false
}

// value returns node i as jsonschema.UnmarshalJSON decodes it.
func (t *jtree) value(i int32) any {
	n := &t.nodes[i]
	switch n.kind {
	case jNull:
		return nil
	case jTrue:
		return true
	case jFalse:
		return false
	case jNum:
		return json.Number(n.s)
	case jStr:
		return n.s
	case jArr:
		out := make([]any, n.n)
		for k := range n.n {
			out[k] = t.value(t.kids[n.first+k])
		}
		return out
	default:
		out := make(map[string]any, n.n)
		for k := range n.n {
			out[t.nodes[t.kids[n.first+2*k]].s] = t.value(t.kids[n.first+2*k+1])
		}
		return out
	}
}

// anyEquals is the library's equals for decoded JSON values.
func anyEquals(v1, v2 any) bool {
	switch v1 := v1.(type) {
	case map[string]any:
		v2, ok := v2.(map[string]any)
		if !ok || len(v1) != len(v2) {
			return false
		}
		for k, a := range v1 {
			b, ok := v2[k]
			if !ok || !anyEquals(a, b) {
				return false
			}
		}
		return true
	case []any:
		v2, ok := v2.([]any)
		if !ok || len(v1) != len(v2) {
			return false
		}
		for i := range v1 {
			if !anyEquals(v1[i], v2[i]) {
				return false
			}
		}
		return true
	case nil:
		return v2 == nil
	case bool:
		v2, ok := v2.(bool)
		return ok && v1 == v2
	case string:
		v2, ok := v2.(string)
		return ok && v1 == v2
	case json.Number:
		if !isNumber(v2) {
			return false
		}
		a, ok1 := parseRat(string(v1))
		b, ok2 := parseRat(fmt.Sprint(v2))
		return ok1 && ok2 && a.Cmp(b) == 0
	}
	return false
}

func isNumber(v any) bool {
	switch v := v.(type) {
	case float64:
		return !math.IsNaN(v) && !math.IsInf(v, 0)
	case float32:
		return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0)
	case json.Number, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return true
	}
	return false
}

// hasDuplicates reports whether two of the nodes are equal JSON values,
// or the library could not tell: past 20 items it hashes each one, and
// panics on a number that big.Rat cannot read (a nil *big.Rat), which
// validateJSONSchemaFast turns into a refusal. Each value is written in a
// canonical form in which equal values, and only they, read the same.
func (t *jtree) hasDuplicates(items []int32) bool {
	seen := make(map[string]struct{}, len(items))
	var b strings.Builder
	for _, it := range items {
		b.Reset()
		if !t.canonical(&b, it) {
			if len(items) > 20 {
				return true
			}
			continue // holds a number big.Rat cannot read: equal to nothing
		}
		k := b.String()
		if _, ok := seen[k]; ok {
			return true
		}
		seen[k] = struct{}{}
	}
	return false
}

// canonical writes node i canonically; false if it holds a number that
// equals nothing.
func (t *jtree) canonical(b *strings.Builder, i int32) bool {
	n := &t.nodes[i]
	switch n.kind {
	case jNull:
		b.WriteByte('z')
	case jTrue:
		b.WriteByte('t')
	case jFalse:
		b.WriteByte('f')
	case jNum:
		r, ok := parseRat(n.s)
		if !ok {
			return false
		}
		b.WriteByte('n')
		b.WriteString(r.RatString())
		b.WriteByte(';')
	case jStr:
		b.WriteString(strconv.Quote(n.s))
	case jArr:
		b.WriteByte('[')
		for k := range n.n {
			if !t.canonical(b, t.kids[n.first+k]) {
				return false
			}
			b.WriteByte(',')
		}
		b.WriteByte(']')
	default:
		order := make([]int32, n.n)
		for k := range n.n {
			order[k] = k
		}
		key := func(k int32) string { return t.nodes[t.kids[n.first+2*k]].s }
		slices.SortFunc(order, func(x, y int32) int { return strings.Compare(key(x), key(y)) })
		b.WriteByte('{')
		for _, k := range order {
			b.WriteString(strconv.Quote(key(k)))
			b.WriteByte(':')
			if !t.canonical(b, t.kids[n.first+2*k+1]) {
				return false
			}
			b.WriteByte(',')
		}
		b.WriteByte('}')
	}
	return true
}
