package epcis

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata holds the external EPCIS documents and vectors (testdata/SOURCES.md).
const testdata = "../testdata/epcis/"

// docFiles lists the JSON and XML files under dir, skipping paths that
// contain any of skip.
func docFiles(t *testing.T, dir string, skip ...string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(testdata+dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(p) {
		case ".json", ".jsonld", ".xml":
		default:
			return nil
		}
		for _, s := range skip {
			if strings.Contains(p, s) {
				return nil
			}
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func decodeFile(t *testing.T, path string) (*Document, []Event) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, events, err := DecodeAll(f)
	if err != nil {
		t.Fatalf("DecodeAll(%s) = %v", path, err)
	}
	return doc, events
}

func TestDecodeExamples(t *testing.T) {
	files := docFiles(t, "examples")
	files = append(files, docFiles(t, "openepcis", "Invalid", "Queries")...)
	total := 0
	for _, p := range files {
		t.Run(strings.TrimPrefix(p, testdata), func(t *testing.T) {
			_, events := decodeFile(t, p)
			total += len(events)
			for i, e := range events {
				if !e.Type.Valid() {
					t.Errorf("event %d: type %q", i, e.Type)
				}
			}
		})
	}
	t.Logf("%d files, %d events", len(files), total)
}
