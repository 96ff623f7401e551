package storetest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracegate"
	"tracegate/epcis"
)

// Testdata returns the path of the module's testdata folder (the external
// vectors and documents, testdata/SOURCES.md), failing t when it is not there.
func Testdata(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			td := filepath.Join(dir, "testdata")
			if _, err := os.Stat(filepath.Join(td, "SOURCES.tsv")); err != nil {
				t.Fatalf("test data not found at %s: %v", td, err)
			}
			return td
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// SharedTestdata is Testdata, under the name it had when the data sat in
// ../shared/testdata beside the module.
//
// Deprecated: use Testdata.
func SharedTestdata(t testing.TB) string {
	t.Helper()
	return Testdata(t)
}

// epcisStore is what the EPCIS part of the suite needs.
type epcisStore interface {
	Store
	epcis.Store
	epcis.CompanyPrefixStore
}

// lenientDocuments are the example documents a strict validator may refuse
// (testdata/README.md); the suite logs rather than asserts them.
var lenientDocuments = []string{
	"JumbledFieldsOrder.xml", "Namespace_document.xml", "SensorData_with_combined_events.json",
	"event_with_identical_hash_id_7.json",
	"json-simple-context/Example-TransactionEvents-2020_07_03y",
	"json-simple-context/WithFullCombinationOfFields/object_event_all_possible_fields",
	"json-simple-context/WithSensorData/SensorDataExample12",
	"json-simple-context/WithSensorData/SensorDataExample17",
}

func captureFile(ctx context.Context, s epcis.Store, enterpriseID int64, path string, b epcis.CaptureBehaviour) (*epcis.CaptureJob, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: enterpriseID, Behaviour: b,
		Body: bytes.NewReader(data), Size: int64(len(data)), JSON: !strings.HasSuffix(path, ".xml")})
}

// forgedHashIDs returns the indexes of the events whose ni: eventID is not
// their own CBV 2.0 hash.
func forgedHashIDs(events []epcis.Event) []int {
	var out []int
	for i := range events {
		if id := events[i].EventID; strings.HasPrefix(id, "ni:") && !epcis.SameHash(id, epcis.EventHash(&events[i])) {
			out = append(out, i)
		}
	}
	return out
}

// allEventIDErrors reports whether errs are n problems, each of an eventID.
func allEventIDErrors(errs []epcis.CaptureError, n int) bool {
	if len(errs) != n {
		return false
	}
	for _, e := range errs {
		if !strings.HasSuffix(e.Pointer, "/eventID") {
			return false
		}
	}
	return true
}

// withOwnHashes is the document at path with each forged ni: eventID of
// events replaced by the event's own hash, in document order.
func withOwnHashes(path string, events []epcis.Event) []byte {
	data, _ := os.ReadFile(path)
	for _, i := range forgedHashIDs(events) {
		data = bytes.Replace(data, []byte(events[i].EventID), []byte(epcis.EventHash(&events[i])), 1)
	}
	return data
}

func captureBytes(ctx context.Context, s epcis.Store, enterpriseID int64, path string, data []byte) (*epcis.CaptureJob, error) {
	return epcis.Capture(ctx, s, epcis.CaptureRequest{EnterpriseID: enterpriseID, Behaviour: epcis.Rollback,
		Body: bytes.NewReader(data), Size: int64(len(data)), JSON: !strings.HasSuffix(path, ".xml")})
}

// countEvents counts the stored events an unrestricted query returns.
func countEvents(t *testing.T, s epcis.Store) int {
	t.Helper()
	n, tok := 0, ""
	for {
		recs, next, err := s.QueryEvents(context.Background(), &epcis.Query{PerPage: epcis.MaxPerPage, PageToken: tok})
		if err != nil {
			t.Fatalf("QueryEvents() = %v", err)
		}
		n += len(recs)
		if next == "" {
			return n
		}
		tok = next
	}
}

func testEPCISExamples(t *testing.T, open Opener) {
	s := open(t, NewClock()).(epcisStore)
	ctx := context.Background()
	ent := &tracegate.Enterprise{USCC: USCC(31), Name: "品牌方", Roles: []tracegate.Role{tracegate.RoleManufacturer}}
	if err := s.CreateEnterprise(ctx, ent); err != nil {
		t.Fatal(err)
	}
	td := Testdata(t)
	var docs []string
	for _, root := range []string{"epcis/examples", "epcis/openepcis/json/Capture/Documents", "epcis/openepcis/xml/Capture/Documents"} {
		filepath.WalkDir(filepath.Join(td, root), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".jsonld") || strings.HasSuffix(p, ".xml")) {
				docs = append(docs, p)
			}
			return nil
		})
	}
	if len(docs) < 150 {
		t.Fatalf("found %d example documents, want the shared set", len(docs))
	}
	captured := 0
	for _, p := range docs {
		name := strings.TrimPrefix(p, td+"/")
		lenient := false
		for _, l := range lenientDocuments {
			lenient = lenient || strings.Contains(p, l)
		}
		f, _ := os.Open(p)
		_, events, decErr := epcis.DecodeAll(f)
		f.Close()
		if decErr != nil {
			t.Errorf("%s: DecodeAll() = %v", name, decErr)
			continue
		}
		job, err := captureFile(ctx, s, ent.ID, p, epcis.Rollback)
		if forged := forgedHashIDs(events); len(forged) > 0 && !(lenient && !allEventIDErrors(job.Errors, len(forged))) {
			// The examples give events ni: eventIDs that are not their
			// hashes: refused, naming each eventID; the same events under
			// their own hashes are taken.
			if tracegate.ErrorCode(err) != tracegate.EINVALID || job.Captured != 0 || !allEventIDErrors(job.Errors, len(forged)) {
				t.Errorf("%s: Capture() with %d forged ni: eventIDs = %+v, %v; want them refused", name, len(forged), job, err)
				continue
			}
			job, err = captureBytes(ctx, s, ent.ID, p, withOwnHashes(p, events))
		}
		if err != nil {
			if lenient {
				t.Logf("%s (lenient): capture refused: %v", name, err)
				continue
			}
			t.Errorf("%s: Capture() = %v %+v", name, err, job)
			continue
		}
		if !job.Success || job.Captured+job.Duplicates != len(events) || job.Running {
			t.Errorf("%s: job %+v, want success with %d events", name, job, len(events))
			continue
		}
		captured += job.Captured
		// Each event reads back semantically equal: same CBV 2.0 hash.
		for i := range events {
			e := &events[i]
			want := epcis.EventHash(e)
			rec, err := s.FindEvent(ctx, want) // by hash: a duplicate keeps the first capture's eventID
			if err != nil {
				t.Errorf("%s event %d: FindEvent(%s) = %v", name, i, want, err)
				continue
			}
			back, err := epcis.DecodeEvent(rec.Body)
			if err != nil {
				t.Errorf("%s event %d: stored body does not decode: %v", name, i, err)
				continue
			}
			if got := epcis.EventHash(back); got != want || rec.Hash != want {
				t.Errorf("%s event %d: read back with hash %s, want %s", name, i, got, want)
			}
		}
	}
	if n := countEvents(t, s); n != captured || n < 100 {
		t.Fatalf("%d events stored, want the %d captured (≥ 100 distinct)", n, captured)
	}
	// Capturing everything again stores nothing new: events are recognised
	// by their hash.
	for _, p := range docs[:20] {
		if job, err := captureFile(ctx, s, ent.ID, p, epcis.Rollback); err == nil && job.Captured != 0 {
			t.Errorf("%s captured again stored %d events, want 0 (duplicates %d)", p, job.Captured, job.Duplicates)
		}
	}
	// The openepcis Invalid documents are refused and store nothing.
	before := countEvents(t, s)
	for _, dir := range []string{"epcis/openepcis/json/Capture/Invalid", "epcis/openepcis/xml/Capture/Invalid"} {
		entries, _ := os.ReadDir(filepath.Join(td, dir))
		for _, en := range entries {
			p := filepath.Join(td, dir, en.Name())
			if _, err := captureFile(ctx, s, ent.ID, p, epcis.Rollback); tracegate.ErrorCode(err) != tracegate.EINVALID {
				t.Errorf("%s: Capture() = %v, want invalid", en.Name(), err)
			}
		}
	}
	if after := countEvents(t, s); after != before {
		t.Fatalf("refused documents stored %d events", after-before)
	}
}
