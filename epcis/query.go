package epcis

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"tracegate"
)

// Query is a SimpleEventQuery: every condition set must hold (AND); the
// values of one condition are alternatives (OR).
type Query struct {
	EventTypes   []EventType
	GEEventTime  time.Time // zero: no bound
	LTEventTime  time.Time
	GERecordTime time.Time
	LTRecordTime time.Time
	Actions      []Action
	BizSteps     []string
	Dispositions []string
	PersistDisp  []string // EQ_persistentDisposition (set)
	ReadPoints   []string
	BizLocations []string
	WDReadPoints []string // with descendants: the id itself or its descendants in master data
	// WDBizLocation is like WDReadPoints for bizLocation: the hierarchy of
	// the BusinessLocation vocabulary (WDReadPoints follows ReadPoint's).
	WDBizLocation []string
	EventIDs      []string
	// EPC conditions, by role; values are canonical identifiers or patterns
	// ending in "*" (prefix match).
	MatchEPC        []string
	MatchParentID   []string
	MatchInputEPC   []string
	MatchOutputEPC  []string
	MatchAnyEPC     []string
	MatchEPCClass   []string
	MatchInputClass []string
	MatchOutClass   []string
	MatchAnyClass   []string
	BizTx           []TypedValue // EQ_bizTransaction_<type>=value
	Sources         []TypedValue
	Dests           []TypedValue
	Fields          []FieldCond
	OrderBy         string // "eventTime" or "recordTime" (the default)
	Desc            bool
	EventCountLimit int // 0: none
	MaxEventCount   int // 0: none; more matching events is an error
	PerPage         int
	PageToken       string
	// EnterpriseID limits the answer to what that enterprise may see; 0 is
	// a regulator's view of everything.
	EnterpriseID int64
	// Seqs, when set, limits the answer to the events with those store
	// sequences (lookups of stored records within a view).
	Seqs []int64
	// AfterSeq, when set, answers only events stored after that sequence,
	// in capture order (subscriptions deliver from their position).
	AfterSeq int64
	// OmitBody leaves the answer's Record.Body empty, for callers that keep
	// decoded events and fetch a body (FindEvent) only when they lack it.
	OmitBody bool
}

// FieldCond is a condition on an ILMD or extension field: Op is "EQ",
// "GT", "GE", "LT", "LE" or "EXISTS".
type FieldCond struct {
	Scope  string // "ilmd" or "ext"
	Name   string // "{namespace}local"
	Op     string
	Values []string
}

// Query limits. A list-valued parameter (MATCH_epc, EQ_bizStep, …) takes
// at most MaxQueryValues values, of which at most MaxQueryPatterns may be
// wildcard patterns (ending in "*") or range bounds (GT_, GE_, LT_, LE_);
// a query takes at most MaxQueryParams parameters. Past them ParseQuery
// answers EINVALID naming the parameter, never a database error.
const (
	DefaultPerPage   = 100
	MaxPerPage       = 1000
	MaxQueryValues   = 1000
	MaxQueryPatterns = 100
	MaxQueryParams   = 100
)

// ParseQuery reads the EPCIS 2.0 REST query parameters of q. It fails with
// EINVALID pointing at "/query/<name>" for an unknown parameter or a bad
// value (the spec's QueryParameterException).
func ParseQuery(q url.Values) (*Query, error) {
	out := &Query{PerPage: DefaultPerPage, OrderBy: "recordTime"}
	if len(q) > MaxQueryParams {
		return nil, tracegate.Invalidf("/query", "a query takes at most %d parameters, not %d", MaxQueryParams, len(q))
	}
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := out.set(name, q[name]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (out *Query) set(name string, raw []string) error {
	ptr := "/query/" + name
	vals := splitValues(raw)
	bad := func(format string, args ...any) error { return tracegate.Invalidf(ptr, format, args...) }
	if err := checkString(name, ptr); err != nil {
		return err
	}
	for _, v := range raw {
		if err := checkString(v, ptr); err != nil {
			return err
		}
	}
	if len(vals) > MaxQueryValues {
		return bad("%s takes at most %d values, not %d", name, MaxQueryValues, len(vals))
	}
	patterns := 0
	for _, v := range vals {
		if strings.HasSuffix(v, "*") {
			patterns++
		}
	}
	if op, _, _ := strings.Cut(name, "_"); op == "GT" || op == "GE" || op == "LT" || op == "LE" {
		patterns = len(vals)
	}
	if patterns > MaxQueryPatterns {
		return bad("%s takes at most %d wildcard patterns or range bounds, not %d", name, MaxQueryPatterns, patterns)
	}
	one := func() (string, error) {
		if len(vals) != 1 {
			return "", bad("%s takes one value", name)
		}
		return vals[0], nil
	}
	timeVal := func(t *time.Time) error {
		v, err := one()
		if err != nil {
			return err
		}
		if *t, err = time.Parse(time.RFC3339Nano, v); err != nil {
			return bad("%s: %q is not an RFC 3339 time with an offset", name, v)
		}
		return nil
	}
	intVal := func(n *int, lo, hi int) error {
		v, err := one()
		if err != nil {
			return err
		}
		if *n, err = strconv.Atoi(v); err != nil || *n < lo || *n > hi {
			return bad("%s must be an integer from %d to %d", name, lo, hi)
		}
		return nil
	}
	canon := func() []string {
		c := make([]string, len(vals))
		for i, v := range vals {
			c[i] = canonicalPattern(v)
		}
		return c
	}
	switch {
	case name == "eventType":
		for _, v := range vals {
			t := EventType(v)
			if !knownEventType(t) {
				return bad("unknown event type %q", v)
			}
			out.EventTypes = append(out.EventTypes, t)
		}
	case name == "GE_eventTime":
		return timeVal(&out.GEEventTime)
	case name == "LT_eventTime":
		return timeVal(&out.LTEventTime)
	case name == "GE_recordTime":
		return timeVal(&out.GERecordTime)
	case name == "LT_recordTime":
		return timeVal(&out.LTRecordTime)
	case name == "EQ_action":
		for _, v := range vals {
			a := Action(strings.ToUpper(v))
			if a != "ADD" && a != "OBSERVE" && a != "DELETE" {
				return bad("action must be ADD, OBSERVE or DELETE, not %q", v)
			}
			out.Actions = append(out.Actions, a)
		}
	case name == "EQ_bizStep":
		out.BizSteps = vocabValues(VocabBizStep, vals)
	case name == "EQ_disposition":
		out.Dispositions = vocabValues(VocabDisposition, vals)
	case name == "EQ_persistentDisposition":
		out.PersistDisp = vocabValues(VocabDisposition, vals)
	case name == "EQ_readPoint":
		out.ReadPoints = canon()
	case name == "EQ_bizLocation":
		out.BizLocations = canon()
	case name == "WD_readPoint":
		out.WDReadPoints = canon()
	case name == "WD_bizLocation":
		out.WDBizLocation = canon()
	case name == "EQ_eventID":
		out.EventIDs = vals
	case name == "MATCH_epc":
		out.MatchEPC = canon()
	case name == "MATCH_parentID":
		out.MatchParentID = canon()
	case name == "MATCH_inputEPC":
		out.MatchInputEPC = canon()
	case name == "MATCH_outputEPC":
		out.MatchOutputEPC = canon()
	case name == "MATCH_anyEPC":
		out.MatchAnyEPC = canon()
	case name == "MATCH_epcClass":
		out.MatchEPCClass = canon()
	case name == "MATCH_inputEPCClass":
		out.MatchInputClass = canon()
	case name == "MATCH_outputEPCClass":
		out.MatchOutClass = canon()
	case name == "MATCH_anyEPCClass":
		out.MatchAnyClass = canon()
	case strings.HasPrefix(name, "EQ_bizTransaction_"):
		t := NormalizeVocab(VocabBizTransactionType, strings.TrimPrefix(name, "EQ_bizTransaction_"))
		for _, v := range vals {
			out.BizTx = append(out.BizTx, TypedValue{Type: t, Value: v})
		}
	case strings.HasPrefix(name, "EQ_source_"):
		t := NormalizeVocab(VocabSourceDestType, strings.TrimPrefix(name, "EQ_source_"))
		for _, v := range vals {
			out.Sources = append(out.Sources, TypedValue{Type: t, Value: v})
		}
	case strings.HasPrefix(name, "EQ_destination_"):
		t := NormalizeVocab(VocabSourceDestType, strings.TrimPrefix(name, "EQ_destination_"))
		for _, v := range vals {
			out.Dests = append(out.Dests, TypedValue{Type: t, Value: v})
		}
	case name == "orderBy":
		v, err := one()
		if err != nil {
			return err
		}
		if v != "eventTime" && v != "recordTime" {
			return bad("orderBy must be eventTime or recordTime")
		}
		out.OrderBy = v
	case name == "orderDirection":
		v, err := one()
		if err != nil {
			return err
		}
		if v != "ASC" && v != "DESC" {
			return bad("orderDirection must be ASC or DESC")
		}
		out.Desc = v == "DESC"
	case name == "eventCountLimit":
		return intVal(&out.EventCountLimit, 1, 1<<30)
	case name == "maxEventCount":
		return intVal(&out.MaxEventCount, 1, 1<<30)
	case name == "perPage":
		return intVal(&out.PerPage, 1, MaxPerPage)
	case name == "nextPageToken":
		v, err := one()
		if err != nil {
			return err
		}
		out.PageToken = v
	default:
		fc, ok, err := parseFieldCond(name, vals)
		if err != nil {
			return bad("%v", err)
		}
		if !ok {
			return bad("unknown query parameter %q", name)
		}
		out.Fields = append(out.Fields, fc)
	}
	return nil
}

// parseFieldCond reads EQ_/GT_/GE_/LT_/LE_/EXISTS_ on ILMD ("_ILMD_") and
// extension fields, named "{namespace}local" or "namespace#local".
func parseFieldCond(name string, vals []string) (FieldCond, bool, error) {
	op, rest, ok := strings.Cut(name, "_")
	if !ok {
		return FieldCond{}, false, nil
	}
	switch op {
	case "EQ", "GT", "GE", "LT", "LE", "EXISTS":
	default:
		return FieldCond{}, false, nil
	}
	scope := "ext"
	if strings.HasPrefix(rest, "ILMD_") {
		scope, rest = "ilmd", strings.TrimPrefix(rest, "ILMD_")
	}
	field := rest
	if ns, local, ok := strings.Cut(rest, "#"); ok && !strings.HasPrefix(rest, "{") {
		field = "{" + ns + "}" + local
	}
	if !strings.HasPrefix(field, "{") || !strings.Contains(field, "}") {
		return FieldCond{}, false, nil
	}
	return FieldCond{Scope: scope, Name: field, Op: op, Values: vals}, true, nil
}

// splitValues splits the pipe-separated alternatives of query values.
func splitValues(raw []string) []string {
	var out []string
	for _, r := range raw {
		for _, v := range strings.Split(r, "|") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func vocabValues(k VocabKind, vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = NormalizeVocab(k, v)
	}
	return out
}

// canonicalPattern puts an identifier or an EPC pattern in canonical form.
// An SGTIN pattern with a wildcard serial (urn:epc:idpat:sgtin:CP.IR.*)
// becomes the prefix of its Digital Links, ".../01/GTIN/21/*"; the pattern
// of every SGTIN becomes ".../01/*". A canonical value ending in "*" is
// matched by prefix.
func canonicalPattern(v string) string {
	const sgtinPat = "urn:epc:idpat:sgtin:"
	switch {
	case v == sgtinPat+"*.*.*":
		return "https://id.gs1.org/01/*"
	case strings.HasPrefix(v, sgtinPat) && strings.HasSuffix(v, ".*") && !strings.Contains(strings.TrimSuffix(v, ".*"), "*"):
		if c := CanonicalEPC(v); strings.HasPrefix(c, "https://") {
			return c + "/21/*"
		}
	}
	return CanonicalEPC(v)
}

func knownEventType(t EventType) bool {
	switch t {
	case ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent:
		return true
	}
	return false
}
