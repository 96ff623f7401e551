package epcis

import (
	"maps"
	"strconv"
	"strings"
	"time"
)

// eventFromJSON maps one JSON-LD event object to an Event. ns maps prefixes
// to namespace URIs; an @context inside the event adds to it.
func eventFromJSON(v *jval, ns map[string]string, ptr string) (*Event, error) {
	if err := checkText(v, ptr); err != nil {
		return nil, err
	}
	if c := v.get("@context"); c != nil {
		d := Document{Namespaces: maps.Clone(ns)}
		d.addContext(c)
		ns = d.Namespaces
	}
	e := &Event{}
	var err error
	str := func(k string, c *jval) (string, error) {
		if c.kind != 's' {
			return "", errAt(ptr+"/"+k, "%s must be a string", k)
		}
		return strings.TrimSpace(c.str), nil
	}
	tm := func(k string, c *jval) (time.Time, error) {
		s, err := str(k, c)
		if err != nil {
			return time.Time{}, err
		}
		t, err := parseTime(s)
		if err != nil {
			return t, errAt(ptr+"/"+k, "%s %q is not an xsd:dateTime with a time zone", k, s)
		}
		return t, nil
	}
	for i, k := range v.keys {
		c := v.vals[i]
		p := ptr + "/" + k
		switch k {
		case "@context":
		case "type":
			e.Type = EventType(c.str)
		case "eventID":
			e.EventID, err = str(k, c)
		case "eventTime":
			e.EventTime, err = tm(k, c)
		case "recordTime":
			e.RecordTime, err = tm(k, c)
		case "eventTimeZoneOffset":
			e.EventTimeZoneOffset, err = str(k, c)
		case "certificationInfo":
			e.CertificationInfo, err = strList(c, p, true)
		case "errorDeclaration":
			e.ErrorDeclaration, err = errDeclFromJSON(c, ns, p)
		case "epcList":
			e.EPCList, err = strList(c, p, false)
		case "childEPCs":
			e.ChildEPCs, err = strList(c, p, false)
		case "inputEPCList":
			e.InputEPCList, err = strList(c, p, false)
		case "outputEPCList":
			e.OutputEPCList, err = strList(c, p, false)
		case "quantityList":
			e.QuantityList, err = qtyListFromJSON(c, p)
		case "childQuantityList":
			e.ChildQuantityList, err = qtyListFromJSON(c, p)
		case "inputQuantityList":
			e.InputQuantityList, err = qtyListFromJSON(c, p)
		case "outputQuantityList":
			e.OutputQuantityList, err = qtyListFromJSON(c, p)
		case "parentID":
			e.ParentID, err = str(k, c)
		case "transformationID":
			e.TransformationID, err = str(k, c)
		case "action":
			var s string
			s, err = str(k, c)
			e.Action = Action(s)
		case "bizStep":
			e.BizStep, err = str(k, c)
			e.BizStep = NormalizeVocab(VocabBizStep, e.BizStep)
		case "disposition":
			e.Disposition, err = str(k, c)
			e.Disposition = NormalizeVocab(VocabDisposition, e.Disposition)
		case "persistentDisposition":
			e.PersistentDisposition, err = persistFromJSON(c, p)
		case "readPoint":
			e.ReadPoint, err = locationFromJSON(c, ns, p)
		case "bizLocation":
			e.BizLocation, err = locationFromJSON(c, ns, p)
		case "bizTransactionList":
			var l []SourceDest
			l, err = typedListFromJSON(c, p, "bizTransaction", VocabBizTransactionType)
			for _, x := range l {
				e.BizTransactionList = append(e.BizTransactionList, BizTransaction(x))
			}
		case "sourceList":
			e.SourceList, err = typedListFromJSON(c, p, "source", VocabSourceDestType)
		case "destinationList":
			e.DestinationList, err = typedListFromJSON(c, p, "destination", VocabSourceDestType)
		case "sensorElementList":
			e.SensorElementList, err = sensorListFromJSON(c, ns, p)
		case "ilmd":
			if c.kind != 'o' {
				return nil, errAt(p, "ilmd must be an object")
			}
			e.ILMD = elementsFromJSONObject(c, ns)
			if e.ILMD == nil {
				e.ILMD = []Element{}
			}
		default:
			e.Extensions = append(e.Extensions, elementsFromJSON(k, c, ns)...)
		}
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

// strList reads an array of strings; a single string is accepted when one
// is true.
func strList(c *jval, p string, one bool) ([]string, error) {
	if one && c.kind == 's' {
		return []string{strings.TrimSpace(c.str)}, nil
	}
	if c.kind != 'a' {
		return nil, errAt(p, "must be an array of strings")
	}
	l := make([]string, 0, len(c.vals))
	for i, x := range c.vals {
		if x.kind != 's' {
			return nil, errAt(p+"/"+strconv.Itoa(i), "must be a string")
		}
		l = append(l, strings.TrimSpace(x.str))
	}
	return l, nil
}

func qtyListFromJSON(c *jval, p string) ([]QuantityElement, error) {
	if c.kind != 'a' {
		return nil, errAt(p, "must be an array")
	}
	l := make([]QuantityElement, 0, len(c.vals))
	for i, x := range c.vals {
		pi := p + "/" + strconv.Itoa(i)
		if x.kind != 'o' {
			return nil, errAt(pi, "must be an object")
		}
		var q QuantityElement
		for j, k := range x.keys {
			y := x.vals[j]
			switch k {
			case "epcClass":
				q.EPCClass = strings.TrimSpace(y.str)
			case "quantity":
				if y.kind != 'n' {
					return nil, errAt(pi+"/quantity", "quantity must be a number")
				}
				q.Quantity = normDecimal(y.str)
			case "uom":
				q.UOM = strings.TrimSpace(y.str)
			}
		}
		l = append(l, q)
	}
	return l, nil
}

func persistFromJSON(c *jval, p string) (*PersistentDisposition, error) {
	if c.kind != 'o' {
		return nil, errAt(p, "must be an object")
	}
	pd := &PersistentDisposition{}
	for i, k := range c.keys {
		l, err := strList(c.vals[i], p+"/"+k, true)
		if err != nil {
			return nil, err
		}
		for j := range l {
			l[j] = NormalizeVocab(VocabDisposition, l[j])
		}
		switch k {
		case "set":
			pd.Set = l
		case "unset":
			pd.Unset = l
		}
	}
	return pd, nil
}

func locationFromJSON(c *jval, ns map[string]string, p string) (*Location, error) {
	if c.kind != 'o' {
		return nil, errAt(p, "must be an object")
	}
	loc := &Location{}
	for i, k := range c.keys {
		if k == "id" {
			loc.ID = strings.TrimSpace(c.vals[i].str)
			continue
		}
		loc.Extensions = append(loc.Extensions, elementsFromJSON(k, c.vals[i], ns)...)
	}
	return loc, nil
}

func typedListFromJSON(c *jval, p, name string, k VocabKind) ([]SourceDest, error) {
	if c.kind == 'o' { // lenient: a single object instead of an array
		c = &jval{kind: 'a', vals: []*jval{c}}
	}
	if c.kind != 'a' {
		return nil, errAt(p, "must be an array")
	}
	l := make([]SourceDest, 0, len(c.vals))
	for i, x := range c.vals {
		if x.kind != 'o' {
			return nil, errAt(p+"/"+strconv.Itoa(i), "must be an object")
		}
		var sd SourceDest
		if t := x.get("type"); t != nil {
			sd.Type = NormalizeVocab(k, t.str)
		}
		if v := x.get(name); v != nil {
			sd.Value = strings.TrimSpace(v.str)
		}
		l = append(l, sd)
	}
	return l, nil
}

func errDeclFromJSON(c *jval, ns map[string]string, p string) (*ErrorDeclaration, error) {
	if c.kind != 'o' {
		return nil, errAt(p, "must be an object")
	}
	ed := &ErrorDeclaration{}
	for i, k := range c.keys {
		x := c.vals[i]
		switch k {
		case "declarationTime":
			t, err := parseTime(x.str)
			if err != nil {
				return nil, errAt(p+"/declarationTime", "declarationTime %q is not an xsd:dateTime", x.str)
			}
			ed.DeclarationTime = t
		case "reason":
			ed.Reason = NormalizeVocab(VocabErrorReason, x.str)
		case "correctiveEventIDs":
			l, err := strList(x, p+"/"+k, true)
			if err != nil {
				return nil, err
			}
			ed.CorrectiveEventIDs = l
		default:
			ed.Extensions = append(ed.Extensions, elementsFromJSON(k, x, ns)...)
		}
	}
	return ed, nil
}

// resolveName splits a JSON-LD key "prefix:local" into namespace and local
// name using ns; an unknown prefix or no prefix leaves Space empty.
func resolveName(key string, ns map[string]string) (string, string) {
	if pfx, local, ok := strings.Cut(key, ":"); ok {
		if uri, ok := ns[pfx]; ok {
			return uri, local
		}
	}
	return "", key
}

// elementsFromJSON converts one extension member; an array yields one
// element per item.
func elementsFromJSON(key string, v *jval, ns map[string]string) []Element {
	if v.kind == 'a' {
		var out []Element
		for _, x := range v.vals {
			out = append(out, elementsFromJSON(key, x, ns)...)
		}
		return out
	}
	space, local := resolveName(key, ns)
	el := Element{Space: space, Local: local}
	switch v.kind {
	case 'o':
		if t := v.get("@value"); t != nil {
			el.Value = t.str
		} else if t := v.get("#text"); t != nil {
			el.Value = t.str
		}
		el.Children = elementsFromJSONObject(v, ns)
	case 'z':
	default:
		el.Value = v.str
	}
	return []Element{el}
}

func elementsFromJSONObject(v *jval, ns map[string]string) []Element {
	if c := v.get("@context"); c != nil {
		d := Document{Namespaces: maps.Clone(ns)}
		d.addContext(c)
		ns = d.Namespaces
	}
	var out []Element
	for i, k := range v.keys {
		if strings.HasPrefix(k, "@") || k == "#text" {
			continue
		}
		out = append(out, elementsFromJSON(k, v.vals[i], ns)...)
	}
	return out
}

// normDecimal trims a decimal literal: no leading '+', no trailing zeros
// after the point.
func normDecimal(s string) Decimal {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "+")
	if strings.ContainsAny(s, "eE") || !strings.Contains(s, ".") {
		return Decimal(s)
	}
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "" || s == "-" {
		s += "0"
	}
	return Decimal(s)
}
