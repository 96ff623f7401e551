// Package eventsql builds the SQL of EPCIS event queries for both store
// backends, which differ only in placeholders and in how times are stored.
package eventsql

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tracegate"
	"tracegate/epcis"
)

// Dialect is what differs between backends.
type Dialect struct {
	// Placeholder returns the n-th (1-based) parameter marker: "?" or "$n".
	Placeholder func(n int) string
	// Time converts a time to its stored form (Unix µs or time.Time).
	Time func(t time.Time) any
	// Unhex is the SQL expression of the bytes whose hex digits expr is.
	Unhex func(expr string) string
}

// builder accumulates conditions and their arguments.
type builder struct {
	d     Dialect
	conds []string
	args  []any
}

func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	return b.d.Placeholder(len(b.args))
}

func (b *builder) in(col string, vals []string) {
	if len(vals) == 0 {
		return
	}
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = b.arg(v)
	}
	b.conds = append(b.conds, col+" IN ("+strings.Join(ph, ", ")+")")
}

// epcMatch adds "some identifier of the event in roles matches one of
// patterns"; a pattern ending in "*" matches by prefix.
func (b *builder) epcMatch(roles []string, patterns []string) {
	if len(patterns) == 0 {
		return
	}
	rph := make([]string, len(roles))
	for i, r := range roles {
		rph[i] = b.arg(r)
	}
	// Exact values go in one IN list (one index probe each, and no
	// expression depth however many there are); prefix patterns, which
	// ParseQuery bounds, are alternatives beside it.
	// Markers bind in the order they appear ("?"): the IN list first.
	var exact, alts []string
	for _, p := range patterns {
		if !strings.HasSuffix(p, "*") {
			exact = append(exact, b.arg(p))
		}
	}
	if len(exact) > 0 {
		alts = append(alts, "x.epc IN ("+strings.Join(exact, ", ")+")")
	}
	for _, p := range patterns {
		if strings.HasSuffix(p, "*") {
			alts = append(alts, "x.epc LIKE "+b.arg(escapeLike(strings.TrimSuffix(p, "*"))+"%")+" ESCAPE '\\'")
		}
	}
	// "seq IN (…)" lets the identifier index drive the query; an EXISTS
	// correlated on e.seq makes SQLite probe every event in order.
	b.conds = append(b.conds, "e.seq IN (SELECT x.seq FROM epcis_epcs x WHERE x.role IN ("+
		strings.Join(rph, ", ")+") AND ("+strings.Join(alts, " OR ")+"))")
}

// attrMatch adds "the event has an attribute of kind with (type, value)
// among vals".
func (b *builder) attrMatch(kind string, vals []epcis.TypedValue) {
	byType := map[string][]string{}
	var order []string
	for _, v := range vals {
		if _, ok := byType[v.Type]; !ok {
			order = append(order, v.Type)
		}
		byType[v.Type] = append(byType[v.Type], v.Value)
	}
	for _, t := range order {
		// Arguments are bound in the order their markers appear ("?").
		cond := "e.seq IN (SELECT a.seq FROM epcis_attrs a WHERE a.kind = " + b.arg(kind) + " AND a.type = " + b.arg(t)
		ph := make([]string, len(byType[t]))
		for i, v := range byType[t] {
			ph[i] = b.arg(v)
		}
		b.conds = append(b.conds, cond+" AND a.value IN ("+strings.Join(ph, ", ")+"))")
	}
}

func (b *builder) field(f epcis.FieldCond) {
	base := "e.seq IN (SELECT a.seq FROM epcis_attrs a WHERE a.kind = " + b.arg(f.Scope) + " AND a.type = " + b.arg(f.Name)
	switch f.Op {
	case "EXISTS":
		b.conds = append(b.conds, base+")")
	case "EQ":
		ph := make([]string, len(f.Values))
		for i, v := range f.Values {
			ph[i] = b.arg(v)
		}
		b.conds = append(b.conds, base+" AND a.value IN ("+strings.Join(ph, ", ")+"))")
	default:
		op := map[string]string{"GT": ">", "GE": ">=", "LT": "<", "LE": "<="}[f.Op]
		for _, v := range f.Values {
			// Numbers compare as numbers, other values (times) as text.
			if _, err := strconv.ParseFloat(v, 64); err == nil {
				b.conds = append(b.conds, base+" AND CAST(a.value AS NUMERIC) "+op+" "+b.arg(v)+")")
			} else {
				b.conds = append(b.conds, base+" AND a.value "+op+" "+b.arg(v)+")")
			}
		}
	}
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Select returns the SQL and arguments of q: the columns seq, event_id,
// event_hash, enterprise_id, capture_id, record_time, order key, body, for
// at most limit rows after q's page token.
func Select(d Dialect, q *epcis.Query, limit int) (string, []any, error) {
	b := &builder{d: d}
	types := make([]string, len(q.EventTypes))
	for i, t := range q.EventTypes {
		types[i] = string(t)
	}
	b.in("e.event_type", types)
	for _, c := range []struct {
		col string
		op  string
		t   time.Time
	}{
		{"e.event_time", ">=", q.GEEventTime}, {"e.event_time", "<", q.LTEventTime},
		{"e.record_time", ">=", q.GERecordTime}, {"e.record_time", "<", q.LTRecordTime},
	} {
		if !c.t.IsZero() {
			b.conds = append(b.conds, c.col+" "+c.op+" "+b.arg(d.Time(c.t)))
		}
	}
	actions := make([]string, len(q.Actions))
	for i, a := range q.Actions {
		actions[i] = string(a)
	}
	b.in("e.action", actions)
	b.in("e.biz_step", q.BizSteps)
	b.in("e.disposition", q.Dispositions)
	b.in("e.read_point", q.ReadPoints)
	b.in("e.biz_location", q.BizLocations)
	b.within("e.read_point", epcis.VocabTypeReadPoint, q.WDReadPoints)
	b.within("e.biz_location", epcis.VocabTypeBusinessLocation, q.WDBizLocation)
	b.in("e.event_id", q.EventIDs)
	b.epcMatch([]string{epcis.RoleEPC}, q.MatchEPC)
	b.epcMatch([]string{epcis.RoleParent}, q.MatchParentID)
	b.epcMatch([]string{epcis.RoleInput}, q.MatchInputEPC)
	b.epcMatch([]string{epcis.RoleOutput}, q.MatchOutputEPC)
	b.epcMatch([]string{epcis.RoleEPC, epcis.RoleParent, epcis.RoleInput, epcis.RoleOutput}, q.MatchAnyEPC)
	b.epcMatch([]string{epcis.RoleClass}, q.MatchEPCClass)
	b.epcMatch([]string{epcis.RoleInputClass}, q.MatchInputClass)
	b.epcMatch([]string{epcis.RoleOutputClass}, q.MatchOutClass)
	b.epcMatch([]string{epcis.RoleClass, epcis.RoleInputClass, epcis.RoleOutputClass}, q.MatchAnyClass)
	b.attrMatch("bizt", q.BizTx)
	b.attrMatch("src", q.Sources)
	b.attrMatch("dst", q.Dests)
	for _, p := range q.PersistDisp {
		b.attrMatch("pdisp", []epcis.TypedValue{{Type: "", Value: p}})
	}
	for _, f := range q.Fields {
		b.field(f)
	}
	if len(q.Seqs) > 0 {
		ph := make([]string, len(q.Seqs))
		for i, seq := range q.Seqs {
			ph[i] = b.arg(seq)
		}
		b.conds = append(b.conds, "e.seq IN ("+strings.Join(ph, ", ")+")")
	}
	if q.EnterpriseID != 0 {
		b.visibleTo(q.EnterpriseID)
	}
	key := "e.record_time"
	if q.OrderBy == "eventTime" {
		key = "e.event_time"
	}
	order := key
	if q.AfterSeq > 0 {
		b.conds = append(b.conds, "e.seq > "+b.arg(q.AfterSeq))
		order = "e.seq" // capture order; the selected key stays a time
	}
	dir, cmp := "ASC", ">"
	if q.Desc {
		dir, cmp = "DESC", "<"
	}
	if q.PageToken != "" {
		t, seq, err := DecodeToken(q.PageToken)
		if err != nil {
			return "", nil, err
		}
		tv := b.arg(d.Time(t))
		b.conds = append(b.conds, fmt.Sprintf("(%s %s %s OR (%s = %s AND e.seq %s %s))", key, cmp, tv, key, b.arg(d.Time(t)), cmp, b.arg(seq)))
	}
	where := ""
	if len(b.conds) > 0 {
		where = " WHERE " + strings.Join(b.conds, " AND ")
	}
	body := "e.body"
	if q.OmitBody {
		body = "''"
	}
	sql := "SELECT e.seq, e.event_id, e.event_hash, e.enterprise_id, e.capture_id, e.record_time, " + key + ", " + body + " FROM epcis_events e" +
		where + fmt.Sprintf(" ORDER BY %s %s, e.seq %s LIMIT %d", order, dir, dir, limit)
	return sql, b.args, nil
}

// EncodeToken makes the opaque page token after a row with order key t and
// sequence seq.
func EncodeToken(t time.Time, seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(t.UnixMicro(), 10) + "." + strconv.FormatInt(seq, 10)))
}

// DecodeToken reads a page token; EINVALID for one this server did not make.
func DecodeToken(tok string) (time.Time, int64, error) {
	bad := tracegate.Invalidf("/query/nextPageToken", "nextPageToken is not one this server issued")
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return time.Time{}, 0, bad
	}
	us, s, ok := strings.Cut(string(raw), ".")
	if !ok {
		return time.Time{}, 0, bad
	}
	micros, err1 := strconv.ParseInt(us, 10, 64)
	seq, err2 := strconv.ParseInt(s, 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, 0, bad
	}
	return time.UnixMicro(micros).UTC(), seq, nil
}

// AttrRows flattens an index's typed attributes into (kind, type, value).
func AttrRows(ix *epcis.Index) [][3]string {
	var rows [][3]string
	for _, v := range ix.BizTx {
		rows = append(rows, [3]string{"bizt", v.Type, v.Value})
	}
	for _, v := range ix.Sources {
		rows = append(rows, [3]string{"src", v.Type, v.Value})
	}
	for _, v := range ix.Dests {
		rows = append(rows, [3]string{"dst", v.Type, v.Value})
	}
	for _, p := range ix.PersistSet {
		rows = append(rows, [3]string{"pdisp", "", p})
	}
	for _, f := range ix.Fields {
		rows = append(rows, [3]string{f.Scope, f.Name, f.Value})
	}
	return rows
}

// Location returns a location's id, or "".
func Location(l *epcis.Location) string {
	if l == nil {
		return ""
	}
	return epcis.CanonicalEPC(l.ID)
}
