package gs1

import "strings"

// DigitalLink is a parsed GS1 Digital Link URI: the primary key, its key
// qualifiers in path order, the data attributes of the query string in URI
// order, and the query parameters that are not GS1 AIs (linkType, ...).
type DigitalLink struct {
	// Stem is everything before the primary key: scheme, host and any
	// path prefix, "https://id.gs1.org" or "https://example.com/some/path".
	Stem        string
	PrimaryKey  AIValue
	Qualifiers  []AIValue
	Attributes  []AIValue
	OtherParams []Param

	buf [4]AIValue // backing store of Qualifiers and Attributes
}

// Param is a query parameter that is not a GS1 AI, percent-decoded. A
// parameter without "=" has an empty Value.
type Param struct {
	Name  string
	Value string
}

// AIs returns the primary key, the qualifiers and the attributes, in that
// order: the order of the element string. It never fails.
func (d *DigitalLink) AIs() []AIValue {
	out := make([]AIValue, 0, 1+len(d.Qualifiers)+len(d.Attributes))
	out = append(out, d.PrimaryKey)
	out = append(out, d.Qualifiers...)
	return append(out, d.Attributes...)
}

// ElementString returns the bracketed element string of d, path AIs first,
// then attributes in URI order: "(01)09506000134352(21)ABC(17)261231".
// It never fails.
func (d *DigitalLink) ElementString() string { return ElementString(d.AIs()) }

// Param returns the value of the first non-GS1 query parameter called
// name, and whether there is one. It never fails.
func (d *DigitalLink) Param(name string) (string, bool) {
	for _, p := range d.OtherParams {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// uriChars is the set of characters a Digital Link URI may contain.
var uriChars = charTable("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")

// badDomainChars are URI characters that may not appear in the host.
var badDomainChars = charTable("_~?#@!$&'()*+,;=%")

// ParseDigitalLink parses a GS1 Digital Link URI with the default Parser.
// See Parser.ParseDigitalLink.
func ParseDigitalLink(uri string) (*DigitalLink, error) {
	var p Parser
	return p.ParseDigitalLink(uri)
}

// ParseDigitalLink parses a GS1 Digital Link URI: http or https (all lower
// or all upper case), any host, any path prefix before the rightmost
// "/AI/value" pair whose AI is a primary key. Path values are
// percent-decoded; query values also turn "+" into a space. A fragment is
// ignored. Query parameters whose name is not numeric are kept in
// OtherParams; a numeric name must be a known AI.
//
// It fails with a *Error: rule "syntax" (not a URI of this shape, empty
// path value, %00), "not-primary-key" (no key in the path),
// "qualifier-not-allowed" and "qualifier-order" (path AIs that are not an
// ordered subset of one of the key's qualifier chains), "unknown-ai",
// "repeated-ai", "not-attribute" (an AI that may not be a query attribute),
// "qualifier-in-query" (a qualifier that belongs in the path),
// "too-many-ais", "exclusive", "requisite", or a rule of ValidateAI for a
// bad value (check digit, length, charset, date, ...).
func (p *Parser) ParseDigitalLink(uri string) (*DigitalLink, error) {
	for i := 0; i < len(uri); i++ {
		if !uriChars[uri[i]] {
			return nil, errf("", RuleSyntax, "character %q at position %d is not allowed in a URI", uri[i], i+1)
		}
	}
	var rest string
	switch {
	case strings.HasPrefix(uri, "https://") || strings.HasPrefix(uri, "HTTPS://"):
		rest = uri[8:]
	case strings.HasPrefix(uri, "http://") || strings.HasPrefix(uri, "HTTP://"):
		rest = uri[7:]
	default:
		return nil, errf("", RuleSyntax, "URI must start with http:// or https://")
	}
	slash := strings.IndexByte(rest, '/')
	if slash < 1 {
		return nil, errf("", RuleSyntax, "URI has no host or no path")
	}
	for i := 0; i < slash; i++ {
		if badDomainChars[rest[i]] {
			return nil, errf("", RuleSyntax, "character %q is not allowed in the host", rest[i])
		}
	}
	pathStart := len(uri) - len(rest) + slash
	path := uri[pathStart:]
	if i := strings.IndexByte(path, '#'); i >= 0 {
		path = path[:i]
	}
	query := ""
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i+1:]
	}

	// Offsets of the slashes of the path; segment k runs from
	// slashes[k]+1 to slashes[k+1] (or the end).
	var sbuf [24]int
	slashes := sbuf[:0]
	for i := 0; i < len(path); i++ {
		if path[i] == '/' {
			slashes = append(slashes, i)
		}
	}
	seg := func(k int) string {
		end := len(path)
		if k+1 < len(slashes) {
			end = slashes[k+1]
		}
		return path[slashes[k]+1 : end]
	}

	// Walk back over /AI/value pairs to the rightmost primary key.
	start := -1
	for k := len(slashes) - 2; k >= 0; k -= 2 {
		_, e := p.pathAI(seg(k))
		if e == nil {
			break
		}
		if e.dlpkey {
			start = k
			break
		}
	}
	if start < 0 {
		return nil, errf("", RuleNotPrimaryKey, "no GS1 Digital Link primary key in the path %q", path)
	}

	d := &DigitalLink{Stem: uri[:pathStart+slashes[start]]}
	ais := d.buf[:0]
	var ebuf [8]*aiEntry
	ents := ebuf[:0]
	for k := start; k < len(slashes); k += 2 {
		ai, e := p.pathAI(seg(k))
		raw := seg(k + 1)
		if raw == "" {
			return nil, errf(ai, RuleSyntax, "empty value in the path")
		}
		v, ok := unescape(raw, false)
		if !ok {
			return nil, errf(ai, RuleSyntax, "value in the path holds a percent-encoded NUL")
		}
		if p.PermitZeroSuppressedGTIN {
			v = padGTIN(ai, v)
		}
		if err := validateValue(e, ai, v); err != nil {
			return nil, err
		}
		if len(ais) == MaxAIs {
			return nil, errf("", RuleTooMany, "more than %d AIs", MaxAIs)
		}
		ais = append(ais, AIValue{AI: ai, Value: v})
		ents = append(ents, e)
	}
	npath := len(ais)
	if err := checkPathSequence(ents[0], ais[1:npath]); err != nil {
		return nil, err
	}

	for query != "" {
		var param string
		param, query, _ = strings.Cut(query, "&")
		if param == "" {
			continue
		}
		name, raw, hasEq := strings.Cut(param, "=")
		if !hasEq || !allDigits(name) {
			d.OtherParams = append(d.OtherParams, decodeParam(name, raw))
			continue
		}
		e := p.entry(name)
		if e == nil {
			return nil, errf(name, RuleUnknownAI, "unknown AI in the query")
		}
		if raw == "" {
			return nil, errf(name, RuleSyntax, "empty value in the query")
		}
		v, ok := unescape(raw, true)
		if !ok {
			return nil, errf(name, RuleSyntax, "value in the query holds a percent-encoded NUL")
		}
		if p.PermitZeroSuppressedGTIN {
			v = padGTIN(name, v)
		}
		if err := validateValue(e, name, v); err != nil {
			return nil, err
		}
		if len(ais) == MaxAIs {
			return nil, errf("", RuleTooMany, "more than %d AIs", MaxAIs)
		}
		ais = append(ais, AIValue{AI: name, Value: v})
		ents = append(ents, e)
	}

	for i := npath; i < len(ais); i++ {
		ai := ais[i].AI
		for j := 0; j < i; j++ {
			if ais[j].AI == ai {
				return nil, errf(ai, RuleRepeatedAI, "appears more than once")
			}
		}
		if !ents[i].dlAttr && !(ents[i].unknown && p.UnknownAIsAsAttributes) {
			return nil, errf(ai, RuleNotAttribute, "may not be a Digital Link data attribute")
		}
		if belongsInPath(ents[0], ais[1:npath], ai) {
			return nil, errf(ai, RuleQualifierInQuery, "is a key qualifier of (%s) and belongs in the path", ais[0].AI)
		}
	}
	if err := checkAssociations(ents, p.SkipRequisites); err != nil {
		return nil, err
	}
	d.PrimaryKey = ais[0]
	d.Qualifiers = ais[1:npath:npath]
	d.Attributes = ais[npath:]
	return d, nil
}

// pathAI resolves a path segment to its AI and dictionary entry, or "" and
// nil.
func (p *Parser) pathAI(s string) (string, *aiEntry) {
	if p.PermitConvenienceAlphas && len(s) >= 3 && len(s) <= 5 && !isN[s[0]] {
		if ai := convenienceAlphas[s]; ai != "" {
			return ai, lookupAI(ai)
		}
	}
	if e := p.entry(s); e != nil {
		return s, e
	}
	return "", nil
}

// convenienceAlphas are the deprecated names of path AIs (Digital Link 1.0).
var convenienceAlphas = map[string]string{
	"cpid": "8010", "cpsn": "8011", "cpv": "22", "gcn": "255", "gdti": "253",
	"giai": "8004", "ginc": "401", "gln": "414", "glnx": "254", "gmn": "8013",
	"grai": "8003", "gsin": "402", "gsrn": "8018", "gsrnp": "8017", "gtin": "01",
	"itip": "8006", "lot": "10", "party": "417", "refno": "8020", "ser": "21",
	"srin": "8019", "sscc": "00",
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isN[s[i]] {
			return false
		}
	}
	return true
}

func padGTIN(ai, v string) string {
	if ai == "01" && (len(v) == 8 || len(v) == 12 || len(v) == 13) {
		return strings.Repeat("0", 14-len(v)) + v
	}
	return v
}

func decodeParam(name, raw string) Param {
	n, ok1 := unescape(name, true)
	v, ok2 := unescape(raw, true)
	if !ok1 || !ok2 {
		return Param{Name: name, Value: raw}
	}
	return Param{Name: n, Value: v}
}

// orderedIn reports whether quals is an ordered subset of chain.
func orderedIn(chain []string, quals []AIValue, extra string, at int) bool {
	pos := 0
	n := len(quals)
	if extra != "" {
		n++
	}
	for i := 0; i < n; i++ {
		var q string
		switch {
		case extra != "" && i == at:
			q = extra
		case extra != "" && i > at:
			q = quals[i-1].AI
		default:
			q = quals[i].AI
		}
		for pos < len(chain) && chain[pos] != q {
			pos++
		}
		if pos == len(chain) {
			return false
		}
		pos++
	}
	return true
}

// checkPathSequence checks that the qualifiers after a primary key are an
// ordered subset of one of its qualifier chains.
func checkPathSequence(key *aiEntry, quals []AIValue) error {
	if len(quals) == 0 {
		return nil
	}
	for _, c := range key.chains {
		if orderedIn(c, quals, "", 0) {
			return nil
		}
	}
	for _, q := range quals {
		in := false
		for _, c := range key.chains {
			for _, a := range c {
				in = in || a == q.AI
			}
		}
		if !in {
			return errf(q.AI, RuleQualifierNotAllowed, "is not a key qualifier of primary key (%s)%s", key.ai, describeChains(key))
		}
	}
	return errf(quals[len(quals)-1].AI, RuleQualifierOrder, "key qualifiers %s of primary key (%s) are out of order or mix alternatives%s", ElementString(quals), key.ai, describeChains(key))
}

func describeChains(key *aiEntry) string {
	if len(key.chains) == 0 {
		return "; it takes no qualifiers"
	}
	s := "; allowed, in this order: "
	for i, c := range key.chains {
		if i > 0 {
			s += " or "
		}
		s += strings.Join(c, ",")
	}
	return s
}

// belongsInPath reports whether inserting ai among the path qualifiers
// would give a valid key-qualifier sequence.
func belongsInPath(key *aiEntry, quals []AIValue, ai string) bool {
	if i := aiIndex(ai); i < 0 || !getTable().qualifier[i] {
		return false
	}
	for at := 0; at <= len(quals); at++ {
		for _, c := range key.chains {
			if orderedIn(c, quals, ai, at) {
				return true
			}
		}
	}
	return false
}
