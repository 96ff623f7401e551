package eventsql

import (
	"tracegate/audit"
	"tracegate/epcis"
)

// DeriveIndex returns the event row and index rows a store writes for r:
// what the audit rebuilds from the ledgered document and compares with
// the stored ones.
func DeriveIndex(r *epcis.Record) *audit.StoredEvent {
	e := r.Event
	st := &audit.StoredEvent{EventID: r.EventID, Hash: r.Hash, Type: string(e.Type), EventTime: e.EventTime,
		Action: string(e.Action), BizStep: e.BizStep, Disposition: e.Disposition, ReadPoint: Location(e.ReadPoint),
		BizLocation: Location(e.BizLocation), Body: r.Body, Attrs: AttrRows(&r.Index)}
	for _, x := range r.Index.EPCs {
		st.EPCs = append(st.EPCs, [2]string{x.Role, x.Value})
	}
	return st
}
