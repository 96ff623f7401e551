package epcis

import (
	"sort"
	"strings"
)

// VocabKind names a CBV standard vocabulary.
type VocabKind int

// The CBV vocabularies whose values the codecs normalise.
const (
	VocabBizStep VocabKind = iota
	VocabDisposition
	VocabBizTransactionType
	VocabSourceDestType
	VocabErrorReason
	VocabComponent
)

// VocabFormat is the written form of a vocabulary value.
type VocabFormat int

// The three forms a CBV value can be written in.
const (
	// FormDefault is the codec's usual form: bare words in JSON-LD, URNs in
	// XML; VocabForm treats it as FormURI.
	FormDefault VocabFormat = iota
	// FormURI is the GS1 Web URI, https://ref.gs1.org/cbv/BizStep-shipping;
	// it is the internal form.
	FormURI
	// FormBare is the bare word of JSON-LD, shipping.
	FormBare
	// FormURN is the EPCIS 1.x URN, urn:epcglobal:cbv:bizstep:shipping.
	FormURN
)

type vocab struct {
	uriPrefix string // after https://ref.gs1.org/cbv/
	urnPrefix string // after urn:epcglobal:cbv:
	words     map[string]bool
}

func wordSet(s string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

var vocabs = [...]vocab{
	VocabBizStep: {"BizStep-", "bizstep:", wordSet(`accepting arriving assembling collecting commissioning
		consigning creating_class_instance cycle_counting decommissioning departing destroying disassembling
		dispensing encoding entering_exiting holding inspecting installing killing loading other packing
		picking receiving removing repackaging repairing replacing reserving retail_selling sampling
		sensor_reporting shipping staging_outbound stock_taking stocking storing transporting unloading
		unpacking void_shipping`)},
	VocabDisposition: {"Disp-", "disp:", wordSet(`active available completeness_inferred completeness_verified
		conformant container_closed container_open damaged destroyed dispensed disposed encoded expired
		in_progress in_transit inactive mismatch_class mismatch_instance mismatch_quantity needs_replacement
		no_pedigree_match non_conformant non_sellable_other partially_dispensed recalled reserved retail_sold
		returned sellable_accessible sellable_not_accessible stolen unavailable unknown`)},
	VocabBizTransactionType: {"BTT-", "btt:", wordSet(`bol cert desadv inv pedigree po poc prodorder recadv
		rma testprd testres upevt`)},
	VocabSourceDestType: {"SDT-", "sdt:", wordSet(`location owning_party possessing_party`)},
	VocabErrorReason:    {"ER-", "er:", wordSet(`did_not_occur incorrect_data`)},
	VocabComponent: {"Comp-", "comp:", wordSet(`altitude axial_distance azimuth easting elevation_angle
		height latitude longitude northing polar_angle spherical_radius x y z`)},
}

// NormalizeVocab returns the internal (GS1 Web URI) form of a value of the
// vocabulary k written in any form: bare word, URN, cbv: CURIE or URI.
// Values that are not standard (a company URI, an unknown bare word) are
// returned trimmed but otherwise unchanged; it never fails.
func NormalizeVocab(k VocabKind, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return v
	}
	voc := &vocabs[k]
	if rest, ok := strings.CutPrefix(v, "urn:epcglobal:cbv:"); ok {
		for i := range vocabs {
			if w, ok := strings.CutPrefix(rest, vocabs[i].urnPrefix); ok {
				return NSCBV + vocabs[i].uriPrefix + w
			}
		}
		return v
	}
	if rest, ok := strings.CutPrefix(v, "cbv:"); ok {
		return NSCBV + rest
	}
	if rest, ok := strings.CutPrefix(v, "gs1:"); ok {
		return NSGS1Voc + rest
	}
	if voc.words[v] {
		return NSCBV + voc.uriPrefix + v
	}
	return v
}

// VocabForm writes the internal value v of vocabulary k in the form f. A
// value that is not a standard term of k is returned unchanged, since it has
// no bare or URN form; it never fails.
func VocabForm(k VocabKind, v string, f VocabFormat) string {
	voc := &vocabs[k]
	w, ok := strings.CutPrefix(v, NSCBV+voc.uriPrefix)
	if !ok {
		return v
	}
	switch f {
	case FormBare:
		if voc.words[w] {
			return w
		}
		return v
	case FormURN:
		return "urn:epcglobal:cbv:" + voc.urnPrefix + w
	}
	return v
}

// IsStandardVocab reports whether the internal value v is a standard term
// of the vocabulary k; it never fails.
func IsStandardVocab(k VocabKind, v string) bool {
	w, ok := strings.CutPrefix(v, NSCBV+vocabs[k].uriPrefix)
	return ok && vocabs[k].words[w]
}

// normGS1 expands a gs1: CURIE or a bare word (a sensor type or alert such
// as Temperature or ALARM_CONDITION) to its https://gs1.org/voc/ URI.
func normGS1(v string) string {
	v = strings.TrimSpace(v)
	if rest, ok := strings.CutPrefix(v, "gs1:"); ok {
		return NSGS1Voc + rest
	}
	if v != "" && !strings.Contains(v, ":") {
		return NSGS1Voc + v
	}
	return v
}

// compactGS1 writes a https://gs1.org/voc/ URI as a gs1: CURIE.
func compactGS1(v string) string {
	if rest, ok := strings.CutPrefix(v, NSGS1Voc); ok {
		return "gs1:" + rest
	}
	return v
}

// compactCBV writes a https://ref.gs1.org/cbv/ URI as a cbv: CURIE.
func compactCBV(v string) string {
	if rest, ok := strings.CutPrefix(v, NSCBV); ok {
		return "cbv:" + rest
	}
	return v
}

// StandardVocab lists the standard CBV 2.0 terms of kind k as GS1 Web URIs,
// in alphabetical order.
func StandardVocab(k VocabKind) []string {
	v := vocabs[k]
	out := make([]string, 0, len(v.words))
	for w := range v.words {
		out = append(out, NormalizeVocab(k, w))
	}
	sort.Strings(out)
	return out
}
