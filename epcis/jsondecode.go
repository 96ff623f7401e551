package epcis

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"

	"tracegate"
)

// standardPrefixes are the prefixes the EPCIS 2.0 JSON-LD context defines.
var standardPrefixes = map[string]string{
	"epcis":   NSEPCISWeb,
	"cbv":     NSCBV,
	"cbvmda":  "urn:epcglobal:cbv:mda:",
	"gs1":     NSGS1Voc,
	"rdfs":    "http://www.w3.org/2000/01/rdf-schema#",
	"owl":     "http://www.w3.org/2002/07/owl#",
	"xsd":     "http://www.w3.org/2001/XMLSchema#",
	"dcterms": "http://purl.org/dc/terms/",
}

// NewJSONDecoder reads a JSON-LD EPCISDocument, EPCISQueryDocument or bare
// event from r up to the start of its event list and returns a Decoder for
// the events. It fails with EINVALID when r is not such a document.
func NewJSONDecoder(r io.Reader) (*Decoder, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	d := &Decoder{}
	d.doc.Namespaces = maps.Clone(standardPrefixes)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, jsonErr("", err, "a JSON-LD document must be an object")
	}
	var top []string
	var topVals []*jval
	var buffered []*jval
	contextSeen := false
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, jsonErr("", err, "")
		}
		key, _ := kt.(string)
		if key == "epcisBody" {
			prefix, depth, err := openEventList(dec, &d.doc)
			if err != nil {
				return nil, err
			}
			if !d.doc.HasEventList {
				return d, nil
			}
			d.pointer = func(i int) string { return prefix + strconv.Itoa(i) }
			if contextSeen {
				d.next = jsonEventIter(dec, &d.doc, prefix, depth)
				return d, nil
			}
			// The @context comes after the events (rare): the events must
			// be held until it is known.
			if buffered, err = bufferEvents(dec, prefix, depth); err != nil {
				return nil, err
			}
			continue
		}
		if key == "@context" {
			contextSeen = true
		}
		v, err := readJVal(dec)
		if err != nil {
			return nil, jsonErr("/"+key, err, "")
		}
		if err := d.doc.setJSONField(key, v); err != nil {
			return nil, err
		}
		top, topVals = append(top, key), append(topVals, v)
	}
	if d.doc.HasEventList {
		i := 0
		d.next = func() (*Event, error) {
			if i == len(buffered) {
				return nil, io.EOF
			}
			i++
			return eventFromJSON(buffered[i-1], d.doc.Namespaces, d.pointer(i-1))
		}
		return d, nil
	}
	// No epcisBody: a bare event, or a document without events.
	if EventType(d.doc.typ()).Valid() {
		ev := &jval{kind: 'o', keys: top, vals: topVals}
		d.doc.Kind = KindEvent
		d.doc.HasEventList = true
		d.pointer = func(int) string { return "" }
		done := false
		d.next = func() (*Event, error) {
			if done {
				return nil, io.EOF
			}
			done = true
			return eventFromJSON(ev, d.doc.Namespaces, "")
		}
	}
	return d, nil
}

func (doc *Document) typ() string { return string(doc.Kind) }

func jsonErr(ptr string, err error, msg string) error {
	if msg == "" {
		msg = "malformed JSON"
	}
	if err != nil && err != io.EOF {
		msg += ": " + err.Error()
	}
	return &tracegate.Error{Code: tracegate.EINVALID, Pointer: ptr, Message: msg, Err: err}
}

// setJSONField records a top-level document field.
func (doc *Document) setJSONField(key string, v *jval) error {
	switch key {
	case "@context":
		doc.addContext(v)
	case "type":
		if doc.Kind == "" {
			doc.Kind = DocumentKind(v.str)
		}
	case "id":
		doc.ID = v.str
	case "schemaVersion":
		doc.SchemaVersion = v.str
	case "creationDate":
		t, err := parseTime(v.str)
		if err != nil {
			return tracegate.Invalidf("/creationDate", "creationDate %q is not an xsd:dateTime", v.str)
		}
		doc.CreationDate = t
	case "epcisHeader":
		doc.Header = v.raw()
	default:
		if key == "ignoreFields" || strings.HasSuffix(key, ":ignoreFields") {
			for _, x := range v.vals {
				space, local := resolveName(x.str, doc.Namespaces)
				doc.IgnoreFields = append(doc.IgnoreFields, "{"+space+"}"+local)
			}
		}
	}
	return nil
}

// addContext merges the namespace prefixes of a JSON-LD @context value.
func (doc *Document) addContext(v *jval) {
	switch v.kind {
	case 's':
		doc.Contexts = append(doc.Contexts, v.str)
	case 'a':
		for _, c := range v.vals {
			doc.addContext(c)
		}
	case 'o':
		for i, k := range v.keys {
			if strings.HasPrefix(k, "@") {
				continue
			}
			switch c := v.vals[i]; c.kind {
			case 's':
				doc.Namespaces[k] = c.str
			case 'o':
				if id := c.get("@id"); id != nil && id.kind == 's' {
					doc.Namespaces[k] = id.str
				}
			}
		}
	}
}

// openEventList consumes epcisBody up to the '[' of its event list and
// returns the JSON pointer prefix of the list's items.
func openEventList(dec *json.Decoder, doc *Document) (string, int, error) {
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", 0, jsonErr("/epcisBody", err, "epcisBody must be an object")
	}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return "", 0, jsonErr("/epcisBody", err, "")
		}
		switch key, _ := kt.(string); key {
		case "eventList":
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return "", 0, jsonErr("/epcisBody/eventList", err, "eventList must be an array")
			}
			doc.HasEventList = true
			return "/epcisBody/eventList/", 1, nil
		case "queryResults":
			if doc.Kind == "" {
				doc.Kind = KindQueryDocument
			}
			if t, err := dec.Token(); err != nil || t != json.Delim('{') {
				return "", 0, jsonErr("/epcisBody/queryResults", err, "queryResults must be an object")
			}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return "", 0, jsonErr("/epcisBody/queryResults", err, "")
				}
				k, _ := kt.(string)
				if k == "resultsBody" {
					if t, err := dec.Token(); err != nil || t != json.Delim('{') {
						return "", 0, jsonErr("/epcisBody/queryResults/resultsBody", err, "resultsBody must be an object")
					}
					for dec.More() {
						kt, err := dec.Token()
						if err != nil {
							return "", 0, jsonErr("/epcisBody/queryResults/resultsBody", err, "")
						}
						if k, _ := kt.(string); k == "eventList" {
							if t, err := dec.Token(); err != nil || t != json.Delim('[') {
								return "", 0, jsonErr("/epcisBody/queryResults/resultsBody/eventList", err, "eventList must be an array")
							}
							doc.HasEventList = true
							return "/epcisBody/queryResults/resultsBody/eventList/", 3, nil
						}
						if _, err := readJVal(dec); err != nil {
							return "", 0, jsonErr("/epcisBody/queryResults/resultsBody", err, "")
						}
					}
					return "", 0, nil
				}
				v, err := readJVal(dec)
				if err != nil {
					return "", 0, jsonErr("/epcisBody/queryResults/"+k, err, "")
				}
				switch k {
				case "subscriptionID":
					doc.SubscriptionID = v.str
				case "queryName":
					doc.QueryName = v.str
				default:
					doc.setJSONField(k, v)
				}
			}
			return "", 0, nil
		default:
			if _, err := readJVal(dec); err != nil {
				return "", 0, jsonErr("/epcisBody/"+key, err, "")
			}
		}
	}
	return "", 0, nil
}

// jsonEventIter returns the Next function of a JSON decoder positioned
// inside an event list.
func jsonEventIter(dec *json.Decoder, doc *Document, prefix string, depth int) func() (*Event, error) {
	i := 0
	return func() (*Event, error) {
		if !dec.More() {
			if _, err := dec.Token(); err != nil { // ']'
				return nil, jsonErr(prefix, err, "")
			}
			return nil, readJSONTail(dec, doc, depth)
		}
		ptr := prefix + strconv.Itoa(i)
		v, err := readJVal(dec)
		if err != nil {
			return nil, jsonErr(ptr, err, "")
		}
		i++
		if v.kind != 'o' {
			return nil, tracegate.Invalidf(ptr, "an event must be an object")
		}
		return eventFromJSON(v, doc.Namespaces, ptr)
	}
}

// bufferEvents reads the rest of an event list and closes the depth objects
// that enclose it.
func bufferEvents(dec *json.Decoder, prefix string, depth int) ([]*jval, error) {
	var out []*jval
	for dec.More() {
		v, err := readJVal(dec)
		if err != nil {
			return nil, jsonErr(prefix+strconv.Itoa(len(out)), err, "")
		}
		if v.kind != 'o' {
			return nil, tracegate.Invalidf(prefix+strconv.Itoa(len(out)), "an event must be an object")
		}
		out = append(out, v)
	}
	dec.Token() // ']'
	for depth > 0 {
		t, err := dec.Token()
		if err != nil {
			return nil, jsonErr("/epcisBody", err, "")
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return out, nil
}

// readJSONTail reads the rest of a document after its event list: it closes
// the depth objects that enclose the list, records the top-level fields that
// follow (such as an epcisHeader written after the body), checks that the
// rest is well formed, then returns io.EOF.
func readJSONTail(dec *json.Decoder, doc *Document, depth int) error {
	for depth > 0 {
		t, err := dec.Token()
		if err != nil {
			return jsonErr("/epcisBody", err, "")
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return jsonErr("", err, "")
		}
		key, _ := kt.(string)
		v, err := readJVal(dec)
		if err != nil {
			return jsonErr("/"+key, err, "")
		}
		if err := doc.setJSONField(key, v); err != nil {
			return err
		}
	}
	return drainJSON(dec)
}

// drainJSON reads the rest of the document to check it is well formed, then
// returns io.EOF.
func drainJSON(dec *json.Decoder) error {
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return io.EOF
		}
		if err != nil {
			return jsonErr("", err, "")
		}
	}
}

func errAt(ptr, format string, args ...any) error {
	return tracegate.Invalidf(ptr, format, args...)
}

var _ = fmt.Sprintf
