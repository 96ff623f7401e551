package epcis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"tracegate"
)

// Capture limits, advertised by the capture endpoint.
const (
	MaxCaptureEvents = 100_000
	MaxCaptureBytes  = 64 << 20
	// schemaCheckBytes bounds the JSON documents checked against the JSON
	// Schema as a whole; larger ones are checked event by event on their
	// decoded form (CheckEvent) only.
	schemaCheckBytes = 16 << 20
	maxCaptureErrors = 100
	// writeBatch is how many events go to the store at a time: enough for a
	// network store to pipeline, small enough to bound memory.
	writeBatch = 256
)

// CaptureRequest is one document to capture.
type CaptureRequest struct {
	EnterpriseID int64
	Behaviour    CaptureBehaviour
	// Body is the document, seekable so it can be read twice (schema, then
	// events); Size is its length.
	Body io.ReadSeeker
	Size int64
	JSON bool // the body is JSON-LD (else XML)
	// Leaf makes each stored event's ledger leaf; nil captures without the
	// ledger.
	Leaf LeafFunc
}

// Capture validates and stores the events of one document as one capture
// job, committed before it returns: with Rollback all events or none, with
// Proceed every valid event. It returns the finished job; the error is
// EINVALID (with Details naming each event and field) when a Rollback
// capture stored nothing because of bad events, or the document is
// malformed, ETOOLARGE past the limits, or a store failure.
func Capture(ctx context.Context, s Store, req CaptureRequest) (*CaptureJob, error) {
	if req.Behaviour == "" {
		req.Behaviour = Rollback
	}
	job := &CaptureJob{EnterpriseID: req.EnterpriseID, Behaviour: req.Behaviour}
	if err := s.CreateCaptureJob(ctx, job); err != nil {
		return nil, err
	}
	capErr := capture(ctx, s, job, req)
	if capErr != nil {
		job.Success = false
		job.Captured, job.Duplicates = 0, 0
		if len(job.Errors) == 0 {
			job.Errors = []CaptureError{{Index: -1, Pointer: pointerOf(capErr), Detail: tracegate.ErrorMessage(capErr)}}
		}
	} else {
		job.Success = job.Failed == 0
	}
	if err := s.FinishCaptureJob(context.WithoutCancel(ctx), job); err != nil {
		return job, err
	}
	return job, capErr
}

func capture(ctx context.Context, s Store, job *CaptureJob, req CaptureRequest) error {
	if req.Size > MaxCaptureBytes {
		return tracegate.Errorf(tracegate.ETOOLARGE, "the document has %d bytes; the capture limit is %d (GS1-EPCIS-Capture-File-Size-Limit)", req.Size, MaxCaptureBytes)
	}
	skip := map[int]bool{} // events refused by the schema, under Proceed
	// The whole-document JSON Schema check. Under Rollback any problem
	// aborts the transaction, so it runs beside the decoding and writing
	// (on another core) and is awaited before the commit; under Proceed its
	// per-event verdicts are needed first.
	var schemaDone chan error
	if req.JSON && req.Size <= schemaCheckBytes {
		ra, concurrent := req.Body.(io.ReaderAt)
		if concurrent && req.Behaviour == Rollback {
			schemaDone = make(chan error, 1)
			go func() { schemaDone <- validateJSONSchemaFast(io.NewSectionReader(ra, 0, req.Size)) }()
		} else if err := prevalidate(job, req, skip, validateJSONSchemaFast); err != nil {
			return err
		}
	}
	schemaErr := func() error {
		if schemaDone == nil {
			return nil
		}
		err := <-schemaDone
		schemaDone = nil
		if err != nil {
			job.Errors = append(eventErrors(err), job.Errors...)
			return withDetails(err, job.Errors)
		}
		return nil
	}
	defer schemaErr() // never leave the checker behind
	if !req.JSON {
		// XML: element order, unknown elements and event rules, streaming.
		if err := prevalidate(job, req, skip, ValidateDocument); err != nil {
			return err
		}
	}
	dec, err := NewDecoder(req.Body)
	if err != nil {
		return err
	}
	err = s.WriteEvents(ctx, req.Leaf, func(w EventWriter) error {
		var pending []pendingRecord
		flush := func() error {
			if len(pending) == 0 {
				return nil
			}
			var err error
			if pending, err = claimEventIDs(ctx, w, job, req.EnterpriseID, pending); err != nil {
				return err
			}
			if job.Failed > 0 && req.Behaviour == Rollback {
				pending = pending[:0]
				return nil // nothing will be stored
			}
			recs := make([]*Record, len(pending))
			for i, p := range pending {
				recs[i] = p.rec
			}
			stored, err := w.Write(ctx, recs)
			if err != nil {
				return err
			}
			for _, ok := range stored {
				if ok {
					job.Captured++
				} else {
					job.Duplicates++
				}
			}
			pending = pending[:0]
			return nil
		}
		for {
			e, err := dec.Next()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return err
			}
			i := dec.Index() - 1 // Index counts the events returned so far
			if i >= MaxCaptureEvents {
				return tracegate.Errorf(tracegate.ETOOLARGE, "more than %d events; the capture limit is %d (GS1-EPCIS-Capture-Limit)", MaxCaptureEvents, MaxCaptureEvents)
			}
			if skip[i] {
				job.Failed++
				continue
			}
			if problems := CheckEvent(e, dec.Pointer(i)); len(problems) > 0 {
				job.Failed++
				for _, p := range problems {
					job.addError(CaptureError{Index: i, Pointer: p.Pointer, Detail: p.Detail})
				}
				continue
			}
			givenID := e.EventID != ""
			rec := NewRecord(e, req.EnterpriseID)
			if p := CheckEventID(rec.EventID, rec.Hash, dec.Pointer(i)); p != nil {
				job.Failed++
				job.addError(CaptureError{Index: i, Pointer: p.Pointer, Detail: p.Detail})
				continue
			}
			rec.CaptureID = job.ID
			if pending = append(pending, pendingRecord{rec: rec, index: i, ptr: dec.Pointer(i), givenID: givenID}); len(pending) == writeBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		// The header is complete once the events are read (a JSON-LD
		// header may follow the body).
		md, err := dec.Document().MasterData()
		if err != nil {
			return err
		}
		if len(md) > 0 && !(job.Failed > 0 && req.Behaviour == Rollback) {
			if err := w.WriteMasterData(ctx, req.EnterpriseID, md); err != nil {
				return err
			}
		}
		if err := schemaErr(); err != nil {
			return err
		}
		if job.Failed > 0 && req.Behaviour == Rollback {
			return withDetails(tracegate.Invalidf("", "%d of the document's events are invalid; nothing was stored (GS1-Capture-Error-Behaviour: rollback)", job.Failed), job.Errors)
		}
		return nil
	})
	return err
}

// prevalidate runs a whole-document check before the write pass and
// rewinds the body. Its problems abort a Rollback capture (and any capture
// when the document itself is at fault); under Proceed they mark the
// events in skip.
func prevalidate(job *CaptureJob, req CaptureRequest, skip map[int]bool, check func(io.Reader) error) error {
	if err := check(req.Body); err != nil {
		byEvent := eventErrors(err)
		job.Errors = append(job.Errors, byEvent...)
		if req.Behaviour == Rollback || hasDocumentError(byEvent) {
			return withDetails(err, job.Errors)
		}
		for _, e := range byEvent {
			skip[e.Index] = true
		}
	}
	if _, err := req.Body.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("epcis: rewind capture body: %w", err)
	}
	return nil
}

func (j *CaptureJob) addError(e CaptureError) {
	if len(j.Errors) < maxCaptureErrors {
		j.Errors = append(j.Errors, e)
	}
}

// eventErrors turns a validation error into capture errors, finding the
// event index in each pointer (/epcisBody/eventList/N/...).
func eventErrors(err error) []CaptureError {
	var te *tracegate.Error
	if !errors.As(err, &te) {
		return []CaptureError{{Index: -1, Detail: err.Error()}}
	}
	details := te.Details
	if len(details) == 0 {
		details = []tracegate.FieldError{{Pointer: te.Pointer, Detail: te.Message}}
	}
	out := make([]CaptureError, 0, len(details))
	for _, d := range details {
		out = append(out, CaptureError{Index: eventIndex(d.Pointer), Pointer: d.Pointer, Detail: d.Detail})
	}
	return out
}

func eventIndex(ptr string) int {
	const p = "/epcisBody/eventList/"
	i := strings.Index(ptr, p)
	if i < 0 {
		return xmlEventIndex(ptr)
	}
	rest := ptr[i+len(p):]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest = rest[:j]
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return -1
	}
	return n
}

func hasDocumentError(errs []CaptureError) bool {
	for _, e := range errs {
		if e.Index < 0 {
			return true
		}
	}
	return false
}

// withDetails returns an EINVALID error whose Details are errs.
func withDetails(err error, errs []CaptureError) error {
	te := &tracegate.Error{Code: tracegate.EINVALID, Message: tracegate.ErrorMessage(err), Err: err}
	if e, ok := err.(*tracegate.Error); ok {
		te.Pointer, te.Message = e.Pointer, e.Message
	}
	for _, e := range errs {
		te.Details = append(te.Details, tracegate.FieldError{Pointer: e.Pointer, Detail: fmt.Sprintf("event %d: %s", e.Index, e.Detail)})
	}
	return te
}

func pointerOf(err error) string {
	var te *tracegate.Error
	if errors.As(err, &te) {
		return te.Pointer
	}
	return ""
}

// xmlEventIndex reads the 0-based event index of an XPath such as
// /EPCISDocument/EPCISBody/EventList/*[4]/action, or -1.
func xmlEventIndex(ptr string) int {
	const p = "/EventList/*["
	i := strings.Index(ptr, p)
	if i < 0 {
		return -1
	}
	rest := ptr[i+len(p):]
	j := strings.IndexByte(rest, ']')
	if j < 0 {
		return -1
	}
	n, err := strconv.Atoi(rest[:j])
	if err != nil || n < 1 {
		return -1
	}
	return n - 1
}
