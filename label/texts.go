package label

import (
	"strconv"

	"tracegate/locale"
)

// viewText is every fixed text of the scan view in one language, read once
// from the locale catalogs: the "label." keys by field name, the items
// ("item.1" … "item.21"), the steps ("step.manufacture" …), the notices'
// titles and standard wordings ("notice.recall.title", ".text", ".action"),
// the reasons for suspicion ("suspicion.too_many_scans" …) and the verdicts
// ("auth." keys).
type viewText struct {
	NotRecorded       string // a value with no record
	Join              string // between the parts of a composite item, and between reasons
	Batch, Produced   string // item 7's parts
	LeavingBondedZone string // after item 16's mode for the bonded trade modes
	Declared          string // item 18's parts
	Inventory         string
	Area, Released    string // item 20's parts
	Waybill           string // item 21's part
	Passed, Failed    string // inspection results

	Items [ItemCount]string
	Steps map[StepKind]string
	// Notices are the titles and standard wordings by kind.
	Notices map[NoticeKind]noticeText
	// Suspicion says each reason for suspicion.
	Suspicion map[string]string
	Auth      authText
}

// noticeText is a kind of notice's title, its standard wording where a
// notice lacks a text in the page's language, and what a consumer should do.
type noticeText struct{ Title, Text, Action string }

// authText words the authenticity verdicts; Scanned, FirstPlace, Suspected
// and ScannedSince are fmt formats (the count is argument 1, the day 2).
type authText struct {
	Unbound, FirstScan, Scanned, FirstPlace, Suspected, ScannedSince string
}

// viewTexts are the texts in Chinese and English.
var viewTexts = [2]*viewText{newViewText(locale.ZH), newViewText(locale.EN)}

// textsFor returns the English texts when en, else the Chinese ones.
func textsFor(en bool) *viewText {
	if en {
		return viewTexts[1]
	}
	return viewTexts[0]
}

// newViewText reads the texts of l from its catalog; a key it lacks is
// recorded for locale.Check.
func newViewText(l locale.Lang) *viewText {
	t := &viewText{Steps: map[StepKind]string{}, Notices: map[NoticeKind]noticeText{}, Suspicion: map[string]string{}}
	_ = locale.Fill(l, "label", t) // t is a pointer to a struct
	_ = locale.Fill(l, "auth", &t.Auth)
	for i := range t.Items {
		t.Items[i] = locale.T(l, "item."+strconv.Itoa(i+1))
	}
	for _, k := range stepKinds() {
		t.Steps[k] = locale.T(l, "step."+string(k))
	}
	for _, k := range []NoticeKind{NoticeRecall, NoticeStopSale, NoticeRiskNotice} {
		var n noticeText
		_ = locale.Fill(l, "notice."+string(k), &n)
		t.Notices[k] = n
	}
	for _, r := range []string{ReasonTooManyScans, ReasonImpossibleTravel, ReasonBeforeDispatch, ReasonNeverDispatched, ReasonManyNetworks} {
		t.Suspicion[r] = locale.T(l, "suspicion."+r)
	}
	return t
}
