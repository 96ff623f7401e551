package eventsql

import (
	"slices"
	"strings"

	"tracegate"
	"tracegate/epcis"
)

// Master-data statements, in "?" form; Rebind turns them into a dialect's.
const (
	// UpsertVocabElement records an element (vtype, id, time, owner).
	UpsertVocabElement = "INSERT INTO epcis_vocab_elements (vtype, id, updated_at, owner_id) VALUES (?, ?, ?, ?) " +
		"ON CONFLICT (vtype, id) DO UPDATE SET updated_at = excluded.updated_at, owner_id = excluded.owner_id"
	// VocabOwner is the owner of an element (GLN digits or "", vtype, id):
	// the enterprise of the longest registered company prefix of its GLN,
	// else the one that declared it first, else 0.
	VocabOwner = "SELECT COALESCE((SELECT enterprise_id FROM gs1_company_prefixes WHERE CAST(? AS TEXT) LIKE prefix || '%' " +
		"ORDER BY length(prefix) DESC LIMIT 1), (SELECT owner_id FROM epcis_vocab_elements WHERE vtype = ? AND id = ?), 0)"
	// ForeignEventIDs selects, of a list of eventIDs (an IN list after the
	// first marker, an enterprise), those another enterprise's events carry.
	ForeignEventIDs = "SELECT DISTINCT event_id FROM epcis_events WHERE enterprise_id <> ? AND event_id IN "
	// DeleteVocabAttrs and DeleteVocabChildren clear an element (vtype, id)
	// before its new attributes and children are written.
	DeleteVocabAttrs    = "DELETE FROM epcis_vocab_attrs WHERE vtype = ? AND id = ?"
	DeleteVocabChildren = "DELETE FROM epcis_vocab_children WHERE vtype = ? AND parent = ?"
	// InsertVocabAttr writes (vtype, id, ord, attr, value).
	InsertVocabAttr = "INSERT INTO epcis_vocab_attrs (vtype, id, ord, attr, value) VALUES (?, ?, ?, ?, ?)"
	// InsertVocabChild writes (vtype, parent, child).
	InsertVocabChild = "INSERT INTO epcis_vocab_children (vtype, parent, child) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
)

// Rebind numbers the "?" markers of q with d's placeholders.
func Rebind(d Dialect, q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString(d.Placeholder(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// within adds "col is one of ids or a descendant of one of them in the
// master-data hierarchy of vocabulary vtype" (EPCIS 2.0 §8.2.7.1, WD_).
// UNION (not UNION ALL) ends the recursion even when the hierarchy has a
// cycle.
func (b *builder) within(col, vtype string, ids []string) {
	if len(ids) == 0 {
		return
	}
	seeds := make([]string, len(ids))
	for i, id := range ids {
		seeds[i] = "(CAST(" + b.arg(id) + " AS TEXT))"
	}
	b.conds = append(b.conds, col+" IN (WITH RECURSIVE d(id) AS (VALUES "+strings.Join(seeds, ", ")+
		" UNION SELECT c.child FROM epcis_vocab_children c JOIN d ON c.parent = d.id WHERE c.vtype = "+b.arg(vtype)+
		") SELECT id FROM d)")
}

// LocationNames returns the query of the name attributes of the locations
// ids (canonical), rows (vtype, id, attr, value).
func LocationNames(d Dialect, ids []string) (string, []any) {
	b := &builder{d: d}
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = b.arg(id)
	}
	names := make([]string, len(epcis.NameAttributes))
	for i, n := range epcis.NameAttributes {
		names[i] = b.arg(n)
	}
	q := "SELECT vtype, id, attr, value FROM epcis_vocab_attrs WHERE id IN (" + strings.Join(ph, ", ") +
		") AND attr IN (" + strings.Join(names, ", ") + ") AND vtype IN (" + b.arg(epcis.VocabTypeBusinessLocation) +
		", " + b.arg(epcis.VocabTypeReadPoint) + ") ORDER BY id, ord"
	return q, b.args
}

// NameRow is one row of the LocationNames query.
type NameRow struct{ VType, ID, Attr, Value string }

// PickNames chooses each location's name among rows: the business
// location's before the read point's, then by epcis.NameAttributes order.
// The map is keyed by the ids as the caller gave them (given[i] has the
// canonical form canon[i]).
func PickNames(rows []NameRow, given, canon []string) map[string]string {
	rank := func(r NameRow) int {
		n := slices.Index(epcis.NameAttributes, r.Attr)
		if r.VType != epcis.VocabTypeBusinessLocation {
			n += len(epcis.NameAttributes)
		}
		return n
	}
	best := map[string]NameRow{}
	for _, r := range rows {
		if r.Value == "" {
			continue
		}
		if b, ok := best[r.ID]; !ok || rank(r) < rank(b) {
			best[r.ID] = r
		}
	}
	out := map[string]string{}
	for i, id := range given {
		if r, ok := best[canon[i]]; ok {
			out[id] = r.Value
		}
	}
	return out
}

// MasterDataOwner decides whether enterpriseID may declare an element whose
// owner (VocabOwner) is owner, and who owns it afterwards: nobody may
// replace another enterprise's element; enterprise 0 (tracegate itself)
// writes without owning. The error is EFORBIDDEN pointing at the element.
func MasterDataOwner(el epcis.VocabularyElement, owner, enterpriseID int64) (any, error) {
	if owner != 0 && enterpriseID != 0 && owner != enterpriseID {
		return nil, &tracegate.Error{Code: tracegate.EFORBIDDEN, Pointer: el.Pointer,
			Message: "vocabulary element " + el.ID + " (" + el.Type + ") is another enterprise's master data: only its owner may declare it"}
	}
	switch {
	case owner != 0:
		return owner, nil
	case enterpriseID != 0:
		return enterpriseID, nil
	}
	return nil, nil
}

// InList returns "(m1, m2, …)" of n markers numbered from first+1.
func InList(d Dialect, first, n int) string {
	ph := make([]string, n)
	for i := range ph {
		ph[i] = d.Placeholder(first + i + 1)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}
