package epcis

import (
	"sort"

	"tracegate/ledger"
)

// LeafFunc makes the ledger leaf of a record the store has just stored
// (its Seq and RecordTime set). A nil LeafFunc captures without the ledger.
type LeafFunc func(r *Record) ([]byte, error)

// LedgerLeaf is the ledger leaf of an EPCIS event record captured by the
// enterprise with USCC uscc: kind epcis-event, the event hash, the record
// time, and the item commitments of the event's instance-level identifiers
// (epcList, childEPCs, parentID, inputs, outputs) in canonical form. An
// event with more than ledger.MaxItems such identifiers commits none of them
// (the event hash still binds them). Capture and audit both use it, so a
// record re-derives to exactly its leaf. It fails only when the leaf cannot
// be encoded (a malformed USCC or hash).
func LedgerLeaf(c *ledger.Committer, r *Record, uscc string) ([]byte, error) {
	l := ledger.Leaf{Kind: ledger.KindEPCISEvent, ContentHash: r.Hash, Time: r.RecordTime, USCC: uscc}
	var codes []string
	seen := map[string]bool{}
	for _, x := range r.Index.EPCs {
		switch x.Role {
		case RoleEPC, RoleParent, RoleInput, RoleOutput:
			if !seen[x.Value] {
				seen[x.Value] = true
				codes = append(codes, x.Value)
			}
		}
	}
	if len(codes) <= ledger.MaxItems {
		sort.Strings(codes)
		for _, code := range codes {
			l.Items = append(l.Items, c.Commit(code))
		}
	}
	return l.Encode()
}
