package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
)

// openAPIBase is the document's frame and the routes of the first layer;
// each later domain describes its routes in a fragment of its own under
// openapi/ ({"paths": …, "components": {"schemas": …}}), merged at start so
// that two domains never edit one file. A test fails when a registered
// route is missing from the merged document.
//
//go:embed openapi.json
var openAPIBase []byte

//go:embed openapi/*.json
var openAPIFragments embed.FS

// openAPIDoc is the merged OpenAPI 3.1 description of every route.
var openAPIDoc = mustMergeOpenAPI(openAPIBase, openAPIFragments)

// mustMergeOpenAPI adds every fragment's paths and components to base. A
// path or component named twice is a programming error: it panics at start
// (and in every test of the package).
func mustMergeOpenAPI(base []byte, fragments fs.FS) []byte {
	doc, err := mergeOpenAPI(base, fragments)
	if err != nil {
		panic(err)
	}
	return doc
}

func mergeOpenAPI(base []byte, fragments fs.FS) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(base, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	names, err := fs.Glob(fragments, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, name := range names {
		raw, err := fs.ReadFile(fragments, name)
		if err != nil {
			return nil, err
		}
		var frag map[string]any
		if err := json.Unmarshal(raw, &frag); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for key := range frag {
			if key != "paths" && key != "components" {
				return nil, fmt.Errorf("%s: only paths and components may be in a fragment, not %q", name, key)
			}
		}
		if err := mergeSection(doc, frag, "paths", path.Base(name)); err != nil {
			return nil, err
		}
		comps, _ := frag["components"].(map[string]any)
		docComps, _ := doc["components"].(map[string]any)
		if docComps == nil {
			docComps = map[string]any{}
			doc["components"] = docComps
		}
		for section := range comps {
			if err := mergeSection(docComps, comps, section, path.Base(name)); err != nil {
				return nil, err
			}
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// mergeSection copies from[section]'s entries into into[section], refusing
// an entry both have.
func mergeSection(into, from map[string]any, section, name string) error {
	src, ok := from[section].(map[string]any)
	if !ok {
		if from[section] == nil {
			return nil
		}
		return fmt.Errorf("%s: %s is not an object", name, section)
	}
	dst, _ := into[section].(map[string]any)
	if dst == nil {
		dst = map[string]any{}
		into[section] = dst
	}
	for k, v := range src {
		if _, dup := dst[k]; dup {
			return fmt.Errorf("%s: %s %q is already described", name, section, k)
		}
		dst[k] = v
	}
	return nil
}

// handleOpenAPI serves the OpenAPI document.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(openAPIDoc)
}
