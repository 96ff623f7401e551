package epcis

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tracegate"
)

// TestSchemaProblemsReadable: every openepcis invalid document the JSON
// Schema refuses gets one problem per field, each with a non-empty pointer,
// none of them an optional field of another oneOf/anyOf branch.
func TestSchemaProblemsReadable(t *testing.T) {
	files, _ := filepath.Glob(testdata + "openepcis/json/Capture/Invalid/*.json")
	if len(files) < 15 {
		t.Fatalf("found %d invalid documents", len(files))
	}
	refused := 0
	for _, p := range files {
		t.Run(filepath.Base(p), func(t *testing.T) {
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			err = ValidateJSONSchema(f)
			if err == nil {
				return // a CBV rule, not the schema, refuses it
			}
			refused++
			var te *tracegate.Error
			if !errors.As(err, &te) || len(te.Details) == 0 || te.Pointer == "" {
				t.Fatalf("ValidateJSONSchema = %v, want EINVALID with a pointer and details", err)
			}
			seen := map[string]bool{}
			for _, d := range te.Details {
				if d.Pointer == "" || !strings.HasPrefix(d.Pointer, "/") || d.Detail == "" {
					t.Errorf("problem %+v has no pointer or no text", d)
				}
				if seen[d.Pointer] {
					t.Errorf("two problems at %s: %+v", d.Pointer, te.Details)
				}
				seen[d.Pointer] = true
				if strings.Contains(d.Detail, "missing propert") || strings.Contains(d.Detail, "does not match pattern") {
					t.Errorf("problem %+v reads like a schema keyword, not a field", d)
				}
			}
		})
	}
	if refused < 10 {
		t.Errorf("the schema refused %d of the invalid documents, want at least 10", refused)
	}
}

// TestSchemaProblemsPerCase pins the one problem each typical mistake gives.
func TestSchemaProblemsPerCase(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []tracegate.FieldError
	}{
		{"EPCISDocument_without_context.json", []tracegate.FieldError{{Pointer: "/@context", Detail: "@context is required"}}},
		{"ObjectEvent_without_identifier_list.json", []tracegate.FieldError{{Pointer: "/epcisBody/eventList/0", Detail: "needs one of epcList, quantityList or (sensorElementList and readPoint)"}}},
		{"ObjectEvent_with_invalid_action.json", []tracegate.FieldError{{Pointer: "/epcisBody/eventList/0/action", Detail: "value must be one of 'OBSERVE', 'ADD', 'DELETE'"}}},
		{"ObjectEvent_with_invalid_certificationInfo.json", []tracegate.FieldError{
			{Pointer: "/epcisBody/eventList/0/certificationInfo/0", Detail: "got object, want string"},
			{Pointer: "/epcisBody/eventList/0/certificationInfo/1", Detail: "got object, want string"}}},
		{"ObjectEvent_without_action_and_eventTime.json", []tracegate.FieldError{
			{Pointer: "/epcisBody/eventList/0/eventTime", Detail: "eventTime is required"},
			{Pointer: "/epcisBody/eventList/0/eventTimeZoneOffset", Detail: "eventTimeZoneOffset is required"},
			{Pointer: "/epcisBody/eventList/0/action", Detail: "action is required"}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(testdata + "openepcis/json/Capture/Invalid/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var te *tracegate.Error
			if err := ValidateJSONSchema(f); !errors.As(err, &te) {
				t.Fatalf("ValidateJSONSchema = %v, want a *tracegate.Error", err)
			}
			if len(te.Details) != len(tc.want) {
				t.Fatalf("details = %+v, want %+v", te.Details, tc.want)
			}
			for i := range tc.want {
				if te.Details[i] != tc.want[i] {
					t.Errorf("detail %d = %+v, want %+v", i, te.Details[i], tc.want[i])
				}
			}
		})
	}
}
