package epcis

import (
	"context"
	"time"
)

// This file is the boundary between the EPCIS domain and a repository
// store: what a stored event is, how it is indexed, and what a store does.

// Record is one event as a repository stores it.
type Record struct {
	Seq          int64     // the store's sequence: the order of capture
	LedgerIndex  int64     // the record's leaf index in the ledger; -1 when not logged
	EventID      string    // the event's eventID, or its hash when none was given
	Hash         string    // the CBV 2.0 event hash: the event's identity
	EnterpriseID int64     // the capturing enterprise
	CaptureID    int64     // the capture job that brought it
	RecordTime   time.Time // set by the store when it commits the event
	Event        *Event
	// Body is the event's canonical JSON-LD (MarshalEventJSON), which the
	// store keeps and queries return.
	Body []byte
	// Index is what the store indexes for queries.
	Index Index
}

// Index is the queryable projection of an event.
type Index struct {
	EPCs       []EPCRef     // every identifier, in canonical form, with its role
	BizTx      []TypedValue // business transactions
	Sources    []TypedValue
	Dests      []TypedValue
	PersistSet []string // persistentDisposition set
	Fields     []Field  // ILMD and extension fields, flattened
}

// EPC roles in the index: which field of the event an identifier came from.
const (
	RoleEPC         = "epc"      // epcList, childEPCs
	RoleParent      = "parent"   // parentID
	RoleInput       = "input"    // inputEPCList
	RoleOutput      = "output"   // outputEPCList
	RoleClass       = "class"    // quantityList, childQuantityList epcClass
	RoleInputClass  = "inclass"  // inputQuantityList epcClass
	RoleOutputClass = "outclass" // outputQuantityList epcClass
)

// EPCRef is one identifier of an event in canonical form (a GS1 Digital
// Link on id.gs1.org where the identifier is a GS1 key, else as written).
type EPCRef struct {
	Role  string
	Value string
}

// TypedValue is a business transaction, source or destination.
type TypedValue struct {
	Type  string
	Value string
}

// Field is one flattened ILMD or extension value: Scope "ilmd" or "ext",
// Name "{namespace}local" (nested fields joined by "/").
type Field struct {
	Scope string
	Name  string
	Value string
}

// CanonicalEPC is the form identifiers are indexed and matched in: the GS1
// Digital Link on id.gs1.org for GS1 keys (EPC URNs translate without a
// company-prefix length in that direction), else the identifier unchanged.
func CanonicalEPC(epc string) string {
	return TranslateEPC(epc, EPCAlwaysDigitalLink, 0)
}

// NewRecord computes what a store needs of e: its hash, eventID, canonical
// body and index.
func NewRecord(e *Event, enterpriseID int64) *Record {
	r := &Record{Event: e, Hash: EventHash(e), EnterpriseID: enterpriseID}
	if e.EventID == "" {
		e.EventID = r.Hash
	}
	r.EventID = e.EventID
	r.Body = MarshalEventJSON(e, EncodeOptions{})
	r.Index = indexOf(e)
	return r
}

func indexOf(e *Event) Index {
	var ix Index
	add := func(role string, vals ...string) {
		for _, v := range vals {
			if v != "" {
				ix.EPCs = append(ix.EPCs, EPCRef{Role: role, Value: CanonicalEPC(v)})
			}
		}
	}
	addQ := func(role string, qs []QuantityElement) {
		for _, q := range qs {
			add(role, q.EPCClass)
		}
	}
	add(RoleEPC, e.EPCList...)
	add(RoleEPC, e.ChildEPCs...)
	add(RoleParent, e.ParentID)
	add(RoleInput, e.InputEPCList...)
	add(RoleOutput, e.OutputEPCList...)
	addQ(RoleClass, e.QuantityList)
	addQ(RoleClass, e.ChildQuantityList)
	addQ(RoleInputClass, e.InputQuantityList)
	addQ(RoleOutputClass, e.OutputQuantityList)
	for _, b := range e.BizTransactionList {
		ix.BizTx = append(ix.BizTx, TypedValue{Type: b.Type, Value: b.Value})
	}
	for _, s := range e.SourceList {
		ix.Sources = append(ix.Sources, TypedValue{Type: s.Type, Value: s.Value})
	}
	for _, d := range e.DestinationList {
		ix.Dests = append(ix.Dests, TypedValue{Type: d.Type, Value: d.Value})
	}
	if e.PersistentDisposition != nil {
		ix.PersistSet = append(ix.PersistSet, e.PersistentDisposition.Set...)
	}
	flattenFields(&ix.Fields, "ilmd", "", e.ILMD)
	flattenFields(&ix.Fields, "ext", "", e.Extensions)
	return ix
}

// flattenFields lists the leaf values of an element tree as Fields.
func flattenFields(out *[]Field, scope, prefix string, els []Element) {
	for _, el := range els {
		name := "{" + el.Space + "}" + el.Local
		if prefix != "" {
			name = prefix + "/" + name
		}
		if len(el.Children) == 0 {
			*out = append(*out, Field{Scope: scope, Name: name, Value: el.Value})
			continue
		}
		flattenFields(out, scope, name, el.Children)
	}
}

// CaptureBehaviour is the GS1-Capture-Error-Behaviour of a capture.
type CaptureBehaviour string

// Capture behaviours: rollback stores all events or none; proceed stores
// the valid events and reports the others.
const (
	Rollback CaptureBehaviour = "rollback"
	Proceed  CaptureBehaviour = "proceed"
)

// CaptureJob is the state of one capture (the EPCIS 2.0 capture job).
type CaptureJob struct {
	ID           int64            `json:"-"`
	EnterpriseID int64            `json:"-"`
	Behaviour    CaptureBehaviour `json:"captureErrorBehaviour"`
	Running      bool             `json:"running"`
	Success      bool             `json:"success"`
	Captured     int              `json:"capturedEvents"`  // newly stored
	Duplicates   int              `json:"duplicateEvents"` // already stored, recognised by hash
	Failed       int              `json:"failedEvents"`
	Errors       []CaptureError   `json:"errors"`
	CreatedAt    time.Time        `json:"createdAt"`
	FinishedAt   *time.Time       `json:"finishedAt,omitempty"`
}

// CaptureError is one problem of a capture: the event's index in the
// document (-1 for the document) and where in it.
type CaptureError struct {
	Index   int    `json:"eventIndex"`
	Pointer string `json:"pointer,omitempty"`
	Detail  string `json:"detail"`
}

// EventWriter writes events inside one store transaction.
type EventWriter interface {
	// Write stores each record unless an event with its hash is stored
	// already (or comes earlier in recs), and reports for each whether it
	// stored it; it sets Seq, RecordTime and, with a ledger, LedgerIndex of
	// the stored ones, in order. The eventID is not unique: GS1's own
	// examples give one eventID to different events, so the hash alone is an
	// event's identity. After an error the transaction must roll back.
	Write(ctx context.Context, recs []*Record) (stored []bool, err error)
	// WriteMasterData stores vocabulary elements; an element stored before
	// (same type and id) takes the new attributes and children. After an
	// error the transaction must roll back.
	WriteMasterData(ctx context.Context, enterpriseID int64, els []VocabularyElement) error
	// ForeignEventIDs returns which of ids an event stored by an
	// enterprise other than enterpriseID carries as its eventID (one query
	// for the batch). It fails only when the store does.
	ForeignEventIDs(ctx context.Context, enterpriseID int64, ids []string) (map[string]bool, error)
}

// Store is an EPCIS repository store.
type Store interface {
	// CreateCaptureJob stores a new running job and sets its ID.
	CreateCaptureJob(ctx context.Context, j *CaptureJob) error
	// FinishCaptureJob stores j's final state.
	FinishCaptureJob(ctx context.Context, j *CaptureJob) error
	// FindCaptureJob returns job id, or ENOTFOUND.
	FindCaptureJob(ctx context.Context, id int64) (*CaptureJob, error)
	// RecoverCaptureJobs finishes the jobs still running that were created
	// before before (a process stopped while capturing): from what was
	// committed, a job whose events are stored succeeded (its events
	// counted, its other counts lost), one with none failed. It returns how
	// many it finished; call it at start-up.
	RecoverCaptureJobs(ctx context.Context, before time.Time) (int, error)
	// WriteEvents runs fn in one write transaction; when fn fails nothing
	// it wrote is kept. With a leaf function, each newly stored event gets
	// the next ledger index and its leaf, and the leaves are appended to the
	// ledger tree in the same transaction (one group commit per call), under
	// the ledger's sequencer lock.
	WriteEvents(ctx context.Context, leaf LeafFunc, fn func(w EventWriter) error) error
	// QueryEvents answers q, at most q.PerPage records and a token for the
	// next page ("" on the last).
	QueryEvents(ctx context.Context, q *Query) (records []*Record, next string, err error)
	// FindEvent returns the first-captured event whose eventID or hash is id,
	// or ENOTFOUND.
	FindEvent(ctx context.Context, eventID string) (*Record, error)
	// LocationNames returns the names master data gives the locations ids
	// (in any form: canonical, EPC URN or Digital Link), keyed as given;
	// an id without a name is absent from the map. It fails only when the
	// store does.
	LocationNames(ctx context.Context, ids []string) (map[string]string, error)
}

// Details of the capture jobs RecoverCaptureJobs finishes.
const (
	RecoveredCommitted = "the server stopped before this capture job was finished; its transaction was committed: the captured events are stored (duplicates and failures were not counted)"
	RecoveredLost      = "the server stopped before this capture was committed: none of its events was stored (or it held only events stored before); capturing the document again is safe, events are recognised by their hash"
)

// RecoveredJob sets the final state of a job found running after a stop
// whose transaction stored captured events.
func RecoveredJob(j *CaptureJob, captured int) {
	j.Running, j.Captured, j.Duplicates, j.Failed = false, captured, 0, 0
	j.Success = captured > 0
	detail := RecoveredLost
	if j.Success {
		detail = RecoveredCommitted
	}
	j.Errors = []CaptureError{{Index: -1, Detail: detail}}
}
