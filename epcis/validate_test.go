package epcis

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracegate"
)

// refuse runs everything a capture endpoint runs and returns the first
// error: decoding, the streaming checks and, for JSON, the JSON Schema.
func refuse(t *testing.T, path string) error {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := DecodeAll(bytes.NewReader(data)); err != nil {
		return err
	}
	if err := ValidateDocument(bytes.NewReader(data)); err != nil {
		return err
	}
	if filepath.Ext(path) != ".xml" {
		return ValidateJSONSchema(bytes.NewReader(data))
	}
	return nil
}

func TestValidDocumentsValidate(t *testing.T) {
	// Documents the README says a strict validator may refuse: the XSD
	// rejects the first two (element order), the JSON Schema the others.
	lenient := []string{
		"xml/Capture/Documents/JumbledFieldsOrder.xml", "xml/Query/JumbledFieldsOrder.xml",
		"xml/Capture/Documents/Namespace_document.xml",
		"SensorData_with_combined_events.json",
		// JSON in the XML folder, with URN vocabulary values the schema refuses.
		"xml/WithEventHashID/event_with_identical_hash_id_7.json",
		"json-simple-context/Example-TransactionEvents-2020_07_03y",
		"json-simple-context/WithFullCombinationOfFields/object_event_all_possible_fields",
		"json-simple-context/WithSensorData/SensorDataExample12",
		"json-simple-context/WithSensorData/SensorDataExample17",
	}
	files := docFiles(t, "openepcis", "Invalid", "Queries")
	files = append(files, docFiles(t, "examples")...)
	for _, p := range files {
		t.Run(strings.TrimPrefix(p, testdata), func(t *testing.T) {
			err := refuse(t, p)
			for _, l := range lenient {
				if strings.Contains(p, l) {
					t.Logf("lenient case, strict validation says: %v", err)
					return
				}
			}
			if err != nil {
				var te *tracegate.Error
				errors.As(err, &te)
				t.Errorf("valid document refused: %v\n%+v", err, te.Details)
			}
		})
	}
}

func TestInvalidDocumentsRefused(t *testing.T) {
	var files []string
	for _, p := range docFiles(t, "openepcis") {
		if strings.Contains(p, "/Invalid/") && !strings.Contains(p, "/Queries/") {
			files = append(files, p)
		}
	}
	if len(files) < 20 {
		t.Fatalf("found %d invalid documents", len(files))
	}
	for _, p := range files {
		t.Run(strings.TrimPrefix(p, testdata), func(t *testing.T) {
			err := refuse(t, p)
			if err == nil {
				t.Fatal("invalid document accepted")
			}
			if !tracegate.IsCode(err, tracegate.EINVALID) {
				t.Errorf("error code %q, want %q: %v", tracegate.ErrorCode(err), tracegate.EINVALID, err)
			}
			t.Log(err)
		})
	}
}

// TestEventStoreRoundTrip checks the path a store takes: MarshalEventJSON,
// then DecodeEvent, gives the same event; and the marshalled event passes
// the JSON Schema of its type.
func TestEventStoreRoundTrip(t *testing.T) {
	files := docFiles(t, "examples/json")
	files = append(files, docFiles(t, "examples/xml")...)
	n := 0
	for _, p := range files {
		_, events := decodeFile(t, p)
		for i := range events {
			data := MarshalEventJSON(&events[i], EncodeOptions{})
			got, err := DecodeEvent(data)
			if err != nil {
				t.Fatalf("%s event %d: DecodeEvent(MarshalEventJSON) = %v\n%s", p, i, err, data)
			}
			if g, w := canonicalJSON(got), canonicalJSON(&events[i]); g != w {
				t.Errorf("%s event %d: store round trip differs:\n got  %s\n want %s", p, i, g, w)
			}
			n++
		}
	}
	t.Logf("%d events", n)
}

func TestValidateJSONEventSchema(t *testing.T) {
	good := `{"type":"ObjectEvent","eventTime":"2024-01-01T00:00:00Z","eventTimeZoneOffset":"+00:00","epcList":["urn:epc:id:sgtin:0614141.107346.1"],"action":"OBSERVE"}`
	bad := `{"type":"ObjectEvent","eventTime":"2024-01-01T00:00:00Z","eventTimeZoneOffset":"+00:00","epcList":["urn:epc:id:sgtin:0614141.107346.1"],"action":"MAYBE"}`
	if err := ValidateJSONEventSchema([]byte(good), ObjectEvent, "/epcisBody/eventList/0"); err != nil {
		t.Errorf("ValidateJSONEventSchema(good) = %v", err)
	}
	err := ValidateJSONEventSchema([]byte(bad), ObjectEvent, "/epcisBody/eventList/5")
	var te *tracegate.Error
	if !errors.As(err, &te) || !strings.HasPrefix(te.Pointer, "/epcisBody/eventList/5/") {
		t.Errorf("ValidateJSONEventSchema(bad) = %v, want an error under /epcisBody/eventList/5/", err)
	}
}
