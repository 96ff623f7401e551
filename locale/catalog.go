package locale

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
)

// Lang is a language of the catalogs.
type Lang uint8

// The languages; ZH is the default.
const (
	ZH Lang = iota // Simplified Chinese, zh.json
	EN             // English, en.json
)

// Langs lists every language, the default first.
func Langs() []Lang { return []Lang{ZH, EN} }

// String is the language's code and the base name of its catalog file.
func (l Lang) String() string {
	switch l {
	case ZH:
		return "zh"
	case EN:
		return "en"
	}
	return fmt.Sprintf("Lang(%d)", uint8(l))
}

//go:embed zh.json en.json
var files embed.FS

// catalogs are the parsed catalogs, indexed by Lang; loadErr is what was
// wrong with them.
var catalogs, loadErr = load(files)

// missing records the keys asked for that a catalog lacks.
var missing struct {
	sync.Mutex
	keys map[string]bool
}

// load reads and checks the catalog of every language from fsys.
func load(fsys fs.FS) ([]map[string]string, error) {
	var errs []error
	cats := make([]map[string]string, len(Langs()))
	for _, l := range Langs() {
		name := l.String() + ".json"
		b, err := fs.ReadFile(fsys, name)
		if err == nil {
			err = json.Unmarshal(b, &cats[l])
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("locale: %s: %w", name, err))
			continue
		}
		for k, v := range cats[l] {
			if strings.TrimSpace(v) == "" {
				errs = append(errs, fmt.Errorf("locale: %s: %q is empty", name, k))
			}
		}
	}
	for _, l := range Langs()[1:] {
		errs = append(errs, sameKeys(ZH, cats[ZH], l, cats[l])...)
	}
	return cats, errors.Join(errs...)
}

// sameKeys reports every key one catalog has and the other lacks.
func sameKeys(la Lang, a map[string]string, lb Lang, b map[string]string) []error {
	var errs []error
	for _, k := range sortedKeys(a) {
		if _, ok := b[k]; !ok {
			errs = append(errs, fmt.Errorf("locale: %s.json has %q, %s.json has not", la, k, lb))
		}
	}
	for _, k := range sortedKeys(b) {
		if _, ok := a[k]; !ok {
			errs = append(errs, fmt.Errorf("locale: %s.json has %q, %s.json has not", lb, k, la))
		}
	}
	return errs
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Check reports what is wrong with the catalogs: a file that does not
// parse, a key one catalog has and another lacks, an empty value, and every
// key asked for through T or Fill that a catalog lacks. Page packages read
// their texts at init, so Check at start (and in their tests) covers every
// key they use. It returns nil when all is well.
func Check() error {
	missing.Lock()
	keys := make([]string, 0, len(missing.keys))
	for k := range missing.keys {
		keys = append(keys, k)
	}
	missing.Unlock()
	slices.Sort(keys)
	errs := []error{loadErr}
	for _, k := range keys {
		errs = append(errs, fmt.Errorf("locale: no text for %s", k))
	}
	return errors.Join(errs...)
}

// T returns the text of key in l. A key a catalog lacks is recorded for
// Check and shown as "⟦key⟧", never as an empty string.
func T(l Lang, key string) string {
	if int(l) < len(catalogs) {
		if v, ok := catalogs[l][key]; ok && v != "" {
			return v
		}
	}
	missing.Lock()
	if missing.keys == nil {
		missing.keys = map[string]bool{}
	}
	missing.keys[l.String()+":"+key] = true
	missing.Unlock()
	return "⟦" + key + "⟧"
}

// Keys lists the keys of l's catalog, sorted.
func Keys(l Lang) []string {
	if int(l) >= len(catalogs) {
		return nil
	}
	return sortedKeys(catalogs[l])
}
