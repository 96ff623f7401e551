package epcis

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// EventHash returns the CBV 2.0 event hash of e,
// "ni:///sha-256;<hex>?ver=CBV2.0": the SHA-256 of PreHash(e). It never
// fails; values it cannot normalise are hashed as written.
func EventHash(e *Event) string {
	return HashOptions{}.EventHash(e)
}

// HashOptions adjusts the event hash. The zero value is the plain CBV 2.0
// hash.
type HashOptions struct {
	// IgnoreFields names event-level user extension fields, as
	// "{namespace}local" (Document.IgnoreFields), to leave out.
	IgnoreFields []string
}

// EventHash is EventHash with the options o. It never fails.
func (o HashOptions) EventHash(e *Event) string {
	sum := sha256.Sum256([]byte(o.PreHash(e)))
	var b [len("ni:///sha-256;") + 64 + len("?ver=CBV2.0")]byte
	n := copy(b[:], "ni:///sha-256;")
	hex.Encode(b[n:], sum[:])
	copy(b[n+64:], "?ver=CBV2.0")
	return string(b[:])
}

// PreHash returns the canonical pre-hash string of e as CBV 2.0 section 8.9
// and its reference implementation define it: the fields in canonical
// order, each "key=value", lists sorted, timestamps in UTC with
// milliseconds, vocabulary values as GS1 Web URIs, EPCs as canonical GS1
// Digital Link URIs, numbers without trailing zeros; then the fields the
// reference leaves outside its fixed order (bizTransactionList, sourceList,
// destinationList, ilmd and user extensions), sorted as strings. eventID,
// recordTime and errorDeclaration are left out; certificationInfo is
// included, as the reference vectors require. It never fails.
func PreHash(e *Event) string {
	return HashOptions{}.PreHash(e)
}

// PreHash is PreHash with the options o. It never fails.
func (o HashOptions) PreHash(e *Event) string {
	var b strings.Builder
	b.Grow(1024)
	b.WriteString("eventType=")
	b.WriteString(string(e.Type))
	kvTime(&b, "eventTime", e.EventTime)
	kv(&b, "eventTimeZoneOffset", strings.TrimSpace(e.EventTimeZoneOffset))
	sortedKVs(&b, "", "certificationInfo", e.CertificationInfo)
	// The reference implementation puts parentID before epcList (they
	// meet only in TransactionEvents).
	kv(&b, "parentID", canon(e.ParentID))
	sortedKVs(&b, "epcList", "epc", e.EPCList)
	sortedKVs(&b, "inputEPCList", "epc", e.InputEPCList)
	sortedKVs(&b, "childEPCs", "epc", e.ChildEPCs)
	quantities(&b, "quantityList", e.QuantityList)
	quantities(&b, "childQuantityList", e.ChildQuantityList)
	quantities(&b, "inputQuantityList", e.InputQuantityList)
	sortedKVs(&b, "outputEPCList", "epc", e.OutputEPCList)
	quantities(&b, "outputQuantityList", e.OutputQuantityList)
	kv(&b, "action", string(e.Action))
	kv(&b, "transformationID", canon(e.TransformationID))
	kv(&b, "bizStep", canon(e.BizStep))
	kv(&b, "disposition", canon(e.Disposition))
	if pd := e.PersistentDisposition; pd != nil {
		var s strings.Builder
		sortedKVs(&s, "", "set", pd.Set)
		sortedKVs(&s, "", "unset", pd.Unset)
		if s.Len() > 0 {
			b.WriteString("persistentDisposition")
			b.WriteString(s.String())
		}
	}
	var rest []string
	rest = location(&b, "readPoint", e.ReadPoint, rest)
	rest = location(&b, "bizLocation", e.BizLocation, rest)
	rest = sensors(&b, e.SensorElementList, rest)

	rest = typedList(rest, "bizTransactionList", "bizTransaction", e.BizTransactionList)
	rest = typedList(rest, "sourceList", "source", e.SourceList)
	rest = typedList(rest, "destinationList", "destination", e.DestinationList)
	if len(e.ILMD) > 0 {
		rest = append(rest, "ilmd"+genericList(e.ILMD))
	}
	for i := range e.Extensions {
		if x := &e.Extensions[i]; !isComment(x) && !o.ignored(x) {
			rest = append(rest, generic(&e.Extensions[i]))
		}
	}
	slices.Sort(rest)
	for _, s := range rest {
		b.WriteString(s)
	}
	return b.String()
}

func (o HashOptions) ignored(x *Element) bool {
	for _, f := range o.IgnoreFields {
		if len(f) == len(x.Space)+len(x.Local)+2 && f[1:1+len(x.Space)] == x.Space && f[len(x.Space)+2:] == x.Local {
			return true
		}
	}
	return false
}

// splitExt divides the extensions of a standard field with n regular
// values as the reference implementation does: those in a namespace ending
// in "/" belong to the field; the others (and all of them when the field
// has a single child) are left to the unordered rest of the pre-hash.
func splitExt(exts []Element, n int) (own, other []Element) {
	if n+len(exts) <= 1 {
		return nil, exts
	}
	for _, x := range exts {
		if strings.HasSuffix(x.Space, "/") {
			own = append(own, x)
		} else {
			other = append(other, x)
		}
	}
	return own, other
}

func kv(b *strings.Builder, k, v string) {
	if v == "" {
		return
	}
	b.WriteString(k)
	b.WriteByte('=')
	b.WriteString(v)
}

func kvTime(b *strings.Builder, k string, t time.Time) {
	if t.IsZero() {
		return
	}
	b.WriteString(k)
	b.WriteByte('=')
	var buf [32]byte
	b.Write(appendHashTime(buf[:0], t))
}

// hashTime writes t in UTC with milliseconds, rounding the microseconds
// half to even as the reference implementation does.
func hashTime(t time.Time) string { return string(appendHashTime(nil, t)) }

func appendHashTime(dst []byte, t time.Time) []byte {
	t = t.UTC()
	us := t.Nanosecond() / 1000
	ms, rem := us/1000, us%1000
	if rem > 500 || (rem == 500 && ms%2 == 1) {
		ms++
	}
	t = t.Truncate(time.Second).Add(time.Duration(ms) * time.Millisecond)
	return t.AppendFormat(dst, "2006-01-02T15:04:05.000Z")
}

// sortedKVs writes head followed by "key=canon(v)" for each non-empty v, in
// sorted order; nothing when all values are empty.
func sortedKVs(b *strings.Builder, head, key string, vals []string) {
	if len(vals) == 0 {
		return
	}
	// Sorting the values sorts the "key=value" strings: they share the
	// prefix.
	var buf [16]string
	l := buf[:0]
	for _, v := range vals {
		if c := canon(v); c != "" {
			l = append(l, c)
		}
	}
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	b.WriteString(head)
	for _, s := range l {
		b.WriteString(key)
		b.WriteByte('=')
		b.WriteString(s)
	}
}

func quantities(b *strings.Builder, head string, q []QuantityElement) {
	if len(q) == 0 {
		return
	}
	l := make([]string, 0, len(q))
	for _, x := range q {
		var s strings.Builder
		kv(&s, "epcClass", canon(x.EPCClass))
		kv(&s, "quantity", canon(string(x.Quantity)))
		kv(&s, "uom", canon(x.UOM))
		if s.Len() > 0 {
			l = append(l, "quantityElement"+s.String())
		}
	}
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	b.WriteString(head)
	for _, s := range l {
		b.WriteString(s)
	}
}

// location writes a readPoint or bizLocation. Extensions whose namespace
// ends in "/" follow the id; the reference implementation leaves others to
// the unordered rest, under the location's name, which rest receives.
func location(b *strings.Builder, name string, loc *Location, rest []string) []string {
	if loc == nil {
		return rest
	}
	id := canon(loc.ID)
	n := 0
	if id != "" {
		n = 1
	}
	own, other := splitExt(loc.Extensions, n)
	if id != "" || len(own) > 0 {
		b.WriteString(name)
		kv(b, "id", id)
		b.WriteString(genericList(own))
	}
	if len(other) > 0 {
		rest = append(rest, name+genericList(other))
	}
	return rest
}

// typedList writes a list whose items carry a type: "type=T" then
// "key=V" per item, items sorted.
func typedList[T BizTransaction | SourceDest](rest []string, head, key string, list []T) []string {
	if len(list) == 0 {
		return rest
	}
	var buf [8]string
	l := buf[:0]
	size := len(head)
	for _, x := range list {
		sd := SourceDest(x)
		t, v := canon(sd.Type), canon(sd.Value)
		var s string
		switch {
		case t != "" && v != "":
			s = "type=" + t + key + "=" + v
		case t != "":
			s = "type=" + t
		case v != "":
			s = key + "=" + v
		}
		size += len(s)
		l = append(l, s)
	}
	slices.Sort(l)
	var b strings.Builder
	b.Grow(size)
	b.WriteString(head)
	for _, s := range l {
		b.WriteString(s)
	}
	return append(rest, b.String())
}

func isComment(x *Element) bool {
	return x.Local == "comment" && (x.Space == "" || x.Space == standardPrefixes["rdfs"])
}

// generic writes an extension or ILMD element: "{ns}local=value" and its
// children, sorted.
func generic(x *Element) string {
	var b strings.Builder
	if x.Space != "" {
		b.WriteByte('{')
		b.WriteString(x.Space)
		b.WriteByte('}')
	}
	b.WriteString(x.Local)
	if v := strings.TrimSpace(x.Value); v != "" {
		b.WriteByte('=')
		b.WriteString(canon(v))
	}
	if len(x.Attrs) == 0 {
		b.WriteString(genericList(x.Children))
		return b.String()
	}
	// Attributes count as child elements.
	kids := make([]Element, 0, len(x.Attrs)+len(x.Children))
	for _, a := range x.Attrs {
		kids = append(kids, Element{Space: a.Space, Local: a.Local, Value: a.Value})
	}
	b.WriteString(genericList(append(kids, x.Children...)))
	return b.String()
}

func genericList(l []Element) string {
	switch len(l) {
	case 0:
		return ""
	case 1:
		if isComment(&l[0]) {
			return ""
		}
		return generic(&l[0])
	}
	s := make([]string, 0, len(l))
	for i := range l {
		if !isComment(&l[i]) {
			s = append(s, generic(&l[i]))
		}
	}
	slices.Sort(s)
	return strings.Join(s, "")
}

// canon normalises one value: CBV URNs to Web URIs, numbers to their
// shortest form, EPC URNs and Digital Links to canonical Digital Links.
func canon(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return v
	}
	if strings.HasPrefix(v, "urn:epcglobal:cbv:") {
		for i := range vocabs {
			if w, ok := strings.CutPrefix(v[len("urn:epcglobal:cbv:"):], vocabs[i].urnPrefix); ok && i != int(VocabComponent) {
				return NSCBV + vocabs[i].uriPrefix + w
			}
		}
		return v
	}
	if c := v[0]; c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' {
		if n, ok := pyNumber(v); ok {
			return n
		}
	}
	if strings.HasPrefix(v, "urn:epc:") {
		if dl, ok := urnToDL(v); ok {
			return dl
		}
		return v
	}
	if strings.HasPrefix(v, "http") {
		if dl, ok := canonicalDL(v); ok {
			return dl
		}
	}
	return v
}

// pyNumber formats a decimal literal as the reference implementation (a
// Python float) does: integral values without a fraction, others in
// shortest round-trip form. ok is false when v is not a plain number.
func pyNumber(v string) (string, bool) {
	if v == "" {
		return "", false
	}
	i := 0
	if v[0] == '+' || v[0] == '-' {
		i++
	}
	digits, dot := 0, false
	for ; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		case (c == 'e' || c == 'E') && digits > 0:
			j := i + 1
			if j < len(v) && (v[j] == '+' || v[j] == '-') {
				j++
			}
			if j == len(v) {
				return "", false
			}
			for ; j < len(v); j++ {
				if v[j] < '0' || v[j] > '9' {
					return "", false
				}
			}
			i = len(v)
		default:
			return "", false
		}
	}
	if digits == 0 {
		return "", false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) {
		return "", false
	}
	if f == math.Trunc(f) {
		if f == 0 {
			return "0", true
		}
		return strconv.FormatFloat(f, 'f', 0, 64), true
	}
	if a := math.Abs(f); a >= 1e-4 && a < 1e16 {
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	return strconv.FormatFloat(f, 'e', -1, 64), true
}
