package epcis

import (
	"strconv"
	"time"
)

// jsonNS assigns JSON-LD prefixes to namespace URIs while one event is
// written; namespaces without a prefix get a new one, declared in the
// event's own @context.
type jsonNS struct {
	known map[string]string
	local *jval
}

func (n *jsonNS) name(space, local string) string {
	if space == "" {
		return local
	}
	if p, ok := n.known[space]; ok {
		return p + ":" + local
	}
	if n.local == nil {
		n.local = &jval{kind: 'o'}
	}
	for i, uri := range n.local.vals {
		if uri.str == space {
			return n.local.keys[i] + ":" + local
		}
	}
	p := "ns" + strconv.Itoa(len(n.local.keys)+1)
	n.local.set(p, jstr(space))
	return p + ":" + local
}

func strs(l []string) *jval {
	a := &jval{kind: 'a', vals: make([]*jval, len(l))}
	for i, s := range l {
		a.vals[i] = jstr(s)
	}
	return a
}

func jtime(t time.Time) *jval { return jstr(formatTime(t)) }

// eventToJSON builds the JSON-LD object of e.
func eventToJSON(e *Event, known map[string]string, vf VocabFormat) *jval {
	ns := &jsonNS{known: known}
	v := &jval{kind: 'o'}
	vocab := func(k VocabKind, s string) *jval {
		if vf == FormDefault {
			return jstr(VocabForm(k, s, FormBare))
		}
		return jstr(VocabForm(k, s, vf))
	}
	v.set("type", jstr(string(e.Type)))
	if e.EventID != "" {
		v.set("eventID", jstr(e.EventID))
	}
	if !e.EventTime.IsZero() {
		v.set("eventTime", jtime(e.EventTime))
	}
	if !e.RecordTime.IsZero() {
		v.set("recordTime", jtime(e.RecordTime))
	}
	if e.EventTimeZoneOffset != "" {
		v.set("eventTimeZoneOffset", jstr(e.EventTimeZoneOffset))
	}
	switch len(e.CertificationInfo) {
	case 0:
	case 1:
		v.set("certificationInfo", jstr(e.CertificationInfo[0]))
	default:
		v.set("certificationInfo", strs(e.CertificationInfo))
	}
	if ed := e.ErrorDeclaration; ed != nil {
		d := &jval{kind: 'o'}
		if !ed.DeclarationTime.IsZero() {
			d.set("declarationTime", jtime(ed.DeclarationTime))
		}
		if ed.Reason != "" {
			d.set("reason", vocab(VocabErrorReason, ed.Reason))
		}
		if ed.CorrectiveEventIDs != nil {
			d.set("correctiveEventIDs", strs(ed.CorrectiveEventIDs))
		}
		elementsToJSON(d, ed.Extensions, ns)
		v.set("errorDeclaration", d)
	}
	if e.ParentID != "" {
		v.set("parentID", jstr(e.ParentID))
	}
	lists := []struct {
		k string
		l []string
	}{{"epcList", e.EPCList}, {"childEPCs", e.ChildEPCs}, {"inputEPCList", e.InputEPCList}}
	for _, x := range lists {
		if x.l != nil {
			v.set(x.k, strs(x.l))
		}
	}
	qtyToJSON(v, "quantityList", e.QuantityList)
	qtyToJSON(v, "childQuantityList", e.ChildQuantityList)
	qtyToJSON(v, "inputQuantityList", e.InputQuantityList)
	if e.OutputEPCList != nil {
		v.set("outputEPCList", strs(e.OutputEPCList))
	}
	qtyToJSON(v, "outputQuantityList", e.OutputQuantityList)
	if e.TransformationID != "" {
		v.set("transformationID", jstr(e.TransformationID))
	}
	if e.Action != "" {
		v.set("action", jstr(string(e.Action)))
	}
	if e.BizStep != "" {
		v.set("bizStep", vocab(VocabBizStep, e.BizStep))
	}
	if e.Disposition != "" {
		v.set("disposition", vocab(VocabDisposition, e.Disposition))
	}
	if pd := e.PersistentDisposition; pd != nil {
		p := &jval{kind: 'o'}
		for _, x := range []struct {
			k string
			l []string
		}{{"set", pd.Set}, {"unset", pd.Unset}} {
			if x.l != nil {
				a := &jval{kind: 'a'}
				for _, s := range x.l {
					a.vals = append(a.vals, vocab(VocabDisposition, s))
				}
				p.set(x.k, a)
			}
		}
		v.set("persistentDisposition", p)
	}
	locationToJSON(v, "readPoint", e.ReadPoint, ns)
	locationToJSON(v, "bizLocation", e.BizLocation, ns)
	if e.BizTransactionList != nil {
		a := &jval{kind: 'a'}
		for _, bt := range e.BizTransactionList {
			o := &jval{kind: 'o'}
			if bt.Type != "" {
				o.set("type", vocab(VocabBizTransactionType, bt.Type))
			}
			o.set("bizTransaction", jstr(bt.Value))
			a.vals = append(a.vals, o)
		}
		v.set("bizTransactionList", a)
	}
	sdToJSON(v, "sourceList", "source", e.SourceList, vocab)
	sdToJSON(v, "destinationList", "destination", e.DestinationList, vocab)
	if e.SensorElementList != nil {
		a := &jval{kind: 'a'}
		for i := range e.SensorElementList {
			a.vals = append(a.vals, sensorToJSON(&e.SensorElementList[i], ns))
		}
		v.set("sensorElementList", a)
	}
	if e.ILMD != nil {
		o := &jval{kind: 'o'}
		elementsToJSON(o, e.ILMD, ns)
		v.set("ilmd", o)
	}
	elementsToJSON(v, e.Extensions, ns)
	if ns.local != nil {
		v.keys = append([]string{"@context"}, v.keys...)
		v.vals = append([]*jval{ns.local}, v.vals...)
	}
	return v
}

func qtyToJSON(v *jval, k string, l []QuantityElement) {
	if l == nil {
		return
	}
	a := &jval{kind: 'a'}
	for _, q := range l {
		o := &jval{kind: 'o'}
		o.set("epcClass", jstr(q.EPCClass))
		if q.Quantity != "" {
			o.set("quantity", jnum(q.Quantity))
		}
		if q.UOM != "" {
			o.set("uom", jstr(q.UOM))
		}
		a.vals = append(a.vals, o)
	}
	v.set(k, a)
}

func locationToJSON(v *jval, k string, loc *Location, ns *jsonNS) {
	if loc == nil {
		return
	}
	o := &jval{kind: 'o'}
	o.set("id", jstr(loc.ID))
	elementsToJSON(o, loc.Extensions, ns)
	v.set(k, o)
}

func sdToJSON(v *jval, k, name string, l []SourceDest, vocab func(VocabKind, string) *jval) {
	if l == nil {
		return
	}
	a := &jval{kind: 'a'}
	for _, x := range l {
		o := &jval{kind: 'o'}
		if x.Type != "" {
			o.set("type", vocab(VocabSourceDestType, x.Type))
		}
		o.set(name, jstr(x.Value))
		a.vals = append(a.vals, o)
	}
	v.set(k, a)
}

// elementsToJSON adds extension elements to the object v; elements that
// share a name become one array.
func elementsToJSON(v *jval, l []Element, ns *jsonNS) {
	idx := map[string]int{}
	for i := range l {
		x := &l[i]
		k := ns.name(x.Space, x.Local)
		c := elementToJSON(x, ns)
		if j, ok := idx[k]; ok {
			if v.vals[j].kind != 'a' || v.vals[j].str != "multi" {
				v.vals[j] = &jval{kind: 'a', str: "multi", vals: []*jval{v.vals[j]}}
			}
			v.vals[j].vals = append(v.vals[j].vals, c)
			continue
		}
		idx[k] = len(v.keys)
		v.set(k, c)
	}
}

func elementToJSON(x *Element, ns *jsonNS) *jval {
	if len(x.Children) == 0 && len(x.Attrs) == 0 {
		return jstr(x.Value)
	}
	o := &jval{kind: 'o'}
	if x.Value != "" {
		o.set("#text", jstr(x.Value))
	}
	for _, a := range x.Attrs {
		o.set(ns.name(a.Space, a.Local), jstr(a.Value))
	}
	elementsToJSON(o, x.Children, ns)
	return o
}
