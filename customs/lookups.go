package customs

import (
	"fmt"
	"sort"
	"strings"
)

// The lookups Screen consults are small interfaces, so that the stores (or
// the risk and credit packages) implement them; each has a plain map
// implementation here for tests, the demo and preloaded tables. They take
// no context and return no error: an implementation backed by a database
// loads what it needs before calling Screen, or reports "not known" (nil
// tags, CreditUnknown) when it cannot answer, which Screen never turns into
// a pass on its own.

// Severity grades a risk tag.
type Severity string

// Severities and what Screen makes of them.
const (
	SeverityNotice  Severity = "notice"  // shown, the line passes (风险提示)
	SeverityWarning Severity = "warning" // manual review (风险预警)
	SeverityBlock   Severity = "block"   // refused: stop sale, recall, lock (停止销售, 召回, 锁仓)
)

// outcome maps a severity to a screening outcome; an unknown severity is
// reviewed, never passed.
func (s Severity) outcome() Outcome {
	switch s {
	case SeverityNotice:
		return OutcomePass
	case SeverityBlock:
		return OutcomeRefuse
	}
	return OutcomeReview
}

// RiskTag is one tag of the barcode library or of an HS risk table, such as
// {"misclassified", warning, "same GTIN declared under 3 HS codes"}.
type RiskTag struct {
	Tag      string   `json:"tag"`
	Severity Severity `json:"severity"`
	Note     string   `json:"note,omitempty"`
}

// BarcodeRisk looks up the risk tags of a GTIN (商品条码) in the barcode
// library. It returns nil for a GTIN without tags.
type BarcodeRisk interface {
	BarcodeRisk(gtin string) []RiskTag
}

// BarcodeRiskTable is a BarcodeRisk held in memory: GTIN → tags.
type BarcodeRiskTable map[string][]RiskTag

// BarcodeRisk returns the tags of gtin, nil when it has none.
func (t BarcodeRiskTable) BarcodeRisk(gtin string) []RiskTag { return t[strings.TrimSpace(gtin)] }

// HSRisk looks up the risk tags of a gcode (10-digit HS). It returns nil
// for a code without tags.
type HSRisk interface {
	HSRisk(gcode string) []RiskTag
}

// HSRiskTable is an HSRisk held in memory, keyed by HS prefix (2 to 10
// digits): a gcode gets the tags of every prefix it begins with, shortest
// prefix first.
type HSRiskTable map[string][]RiskTag

// HSRisk returns the tags of every prefix of gcode in t.
func (t HSRiskTable) HSRisk(gcode string) []RiskTag {
	gcode = strings.TrimSpace(gcode)
	var out []RiskTag
	for n := 2; n <= len(gcode); n++ {
		out = append(out, t[gcode[:n]]...)
	}
	return out
}

// FilingKey identifies the product of a goods line for the filing lookup;
// any field may be empty.
type FilingKey struct {
	EbcCode      string // the e-commerce enterprise that filed it
	GTIN         string // barCode
	ItemRecordNo string // 账册备案料号 (bonded mode)
	ItemNo       string // the enterprise's SKU
}

// FilingLookup reports whether a product filing (商品备案) exists for the
// goods line identified by k.
type FilingLookup interface {
	Filed(k FilingKey) bool
}

// FilingSet is a FilingLookup held in memory: the set of filed GTINs and
// item record numbers. A key is filed when its GTIN or its ItemRecordNo is
// in the set (the enterprise is not compared).
type FilingSet map[string]bool

// Filed reports whether k's non-empty GTIN or ItemRecordNo is in s.
func (s FilingSet) Filed(k FilingKey) bool {
	return k.GTIN != "" && s[k.GTIN] || k.ItemRecordNo != "" && s[k.ItemRecordNo]
}

// CreditLevel is an enterprise's credit grade: 1 most trusted … 4
// dishonest (失信, the blacklist). 0 means not known.
type CreditLevel int

// Credit levels.
const (
	CreditUnknown CreditLevel = 0
	CreditLevel1  CreditLevel = 1
	CreditLevel2  CreditLevel = 2
	CreditLevel3  CreditLevel = 3
	CreditLevel4  CreditLevel = 4 // dishonest
)

// CreditLevels gives the credit level of an enterprise by its customs or
// social credit code. It returns CreditUnknown when the enterprise is not
// graded or the grade cannot be had; it must never guess a level. The
// credit package implements it.
type CreditLevels interface {
	CreditLevel(enterpriseCode string) CreditLevel
}

// CreditSampler is a CreditLevels that also samples declarations for
// manual review by level (the credit package implements it). CreditSample
// returns the enterprise's level, whether the declaration identified by
// declaration is sampled for review, and the share of declarations sampled
// at that level. It must be deterministic per (enterprise, declaration), so
// a re-screen gives the same answer. When Screen's Credit is a
// CreditSampler and the declaration is known, the sample decides the
// review of a graded enterprise instead of CreditPolicy (a refusal of the
// policy still applies).
type CreditSampler interface {
	CreditLevels
	CreditSample(enterpriseCode, declaration string) (level CreditLevel, sampled bool, share float64)
}

// CreditMap is a CreditLevels held in memory; a missing code is unknown.
type CreditMap map[string]CreditLevel

// CreditLevel returns the level of code, CreditUnknown when absent or out
// of range.
func (m CreditMap) CreditLevel(code string) CreditLevel {
	l := m[strings.TrimSpace(code)]
	if l < CreditLevel1 || l > CreditLevel4 {
		return CreditUnknown
	}
	return l
}

// CreditPolicy is the outcome for each credit level, indexed by level:
// [0] for an unknown level, [1]..[4] for the levels. An empty entry means
// pass. Levels are configurable because the grading rules change.
type CreditPolicy [5]Outcome

// DefaultCreditPolicy reviews unknown and dishonest (level 4) enterprises
// and passes levels 1 to 3: the seed says level-4 enterprises are inspected
// with priority, not barred, and an unknown level is never taken as good.
// Set [4] to OutcomeRefuse to bar the blacklist outright.
var DefaultCreditPolicy = CreditPolicy{OutcomeReview, OutcomePass, OutcomePass, OutcomePass, OutcomeReview}

// CSV writes t as the barcode-risk table CSV (gtin,tag,severity,note), the
// form the regulator loads, sorted by GTIN. It never fails.
func (t BarcodeRiskTable) CSV() string {
	var b strings.Builder
	b.WriteString("gtin,tag,severity,note\n")
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, tag := range t[k] {
			fmt.Fprintf(&b, "%s,%s,%s,%s\n", k, tag.Tag, tag.Severity, tag.Note)
		}
	}
	return b.String()
}
