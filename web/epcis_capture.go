package web

import (
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"

	"tracegate"
	"tracegate/epcis"
)

// setEPCISHeaders sets the EPCIS 2.0 REST binding's version and capture
// limit headers.
func setEPCISHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("GS1-EPCIS-Version", "2.0.0")
	h.Set("GS1-CBV-Version", "2.0.0")
	h.Set("GS1-EPC-Format", "No_Preference")
	h.Set("GS1-EPCIS-Capture-Limit", strconv.Itoa(epcis.MaxCaptureEvents))
	h.Set("GS1-EPCIS-Capture-File-Size-Limit", strconv.Itoa(epcis.MaxCaptureBytes))
	h.Set("GS1-Capture-Error-Behaviour", "rollback, proceed")
}

// handleCaptureOptions advertises the capture limits.
func (s *Server) handleCaptureOptions(w http.ResponseWriter, r *http.Request) {
	setEPCISHeaders(w)
	w.Header().Set("Allow", "OPTIONS, POST")
	w.WriteHeader(http.StatusNoContent)
}

// handleCapture captures an EPCISDocument (JSON-LD or XML). The document is
// committed before the answer — every capture is synchronous — and the
// answer is 202 with the Location of its capture job, as the EPCIS 2.0 REST
// binding says; an invalid document under rollback answers 400 and stores
// nothing.
func (s *Server) handleCapture(w http.ResponseWriter, r *http.Request) {
	setEPCISHeaders(w)
	isJSON, err := captureMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	behaviour := epcis.CaptureBehaviour(strings.ToLower(strings.TrimSpace(r.Header.Get("GS1-Capture-Error-Behaviour"))))
	switch behaviour {
	case "":
		behaviour = epcis.Rollback
	case epcis.Rollback, epcis.Proceed:
	default:
		s.writeError(w, r, tracegate.Invalidf("/headers/GS1-Capture-Error-Behaviour", "GS1-Capture-Error-Behaviour must be rollback or proceed"))
		return
	}
	// Spool the body to disk, so a slow upload never holds the write lock
	// and a large one never sits in memory.
	f, err := os.CreateTemp(s.tempDir, "capture-*.doc")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer os.Remove(f.Name())
	defer f.Close()
	n, err := io.Copy(f, http.MaxBytesReader(w, r.Body, epcis.MaxCaptureBytes))
	if err != nil {
		s.writeError(w, r, jsonBodyError(err))
		return
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		s.writeError(w, r, err)
		return
	}
	p := principalOf(r)
	job, err := s.events.Capture(r.Context(), epcis.CaptureRequest{
		EnterpriseID: p.EnterpriseID, Behaviour: behaviour, Body: f, Size: n, JSON: isJSON, Leaf: s.eventLeaf(p.USCC)})
	if job != nil {
		w.Header().Set("Location", "/epcis/capture/"+strconv.FormatInt(job.ID, 10))
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, captureJobView(job))
}

// captureMediaType tells JSON-LD from XML, or fails with EUNSUPPORTED.
func captureMediaType(ct string) (isJSON bool, err error) {
	mt, _, _ := mime.ParseMediaType(ct)
	switch mt {
	case "application/json", "application/ld+json":
		return true, nil
	case "application/xml", "text/xml":
		return false, nil
	}
	return false, tracegate.Errorf(tracegate.EUNSUPPORTED, "Content-Type %q: send application/ld+json, application/json or application/xml", ct)
}

// captureJobView is a capture job as the API shows it.
func captureJobView(j *epcis.CaptureJob) map[string]any {
	return map[string]any{
		"captureID": strconv.FormatInt(j.ID, 10), "running": j.Running, "success": j.Success,
		"captureErrorBehaviour": j.Behaviour, "capturedEvents": j.Captured, "duplicateEvents": j.Duplicates,
		"failedEvents": j.Failed, "errors": j.Errors, "createdAt": j.CreatedAt, "finishedAt": j.FinishedAt,
	}
}

// handleCaptureGet answers one capture job (its owner or a regulator).
func (s *Server) handleCaptureGet(w http.ResponseWriter, r *http.Request) {
	setEPCISHeaders(w)
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	job, err := s.events.CaptureJob(r.Context(), readerOf(principalOf(r)), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, captureJobView(job))
}
