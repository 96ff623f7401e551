package label

import (
	"cmp"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// ScanView is the scan page of one code as one viewer may see it. Its JSON
// is {"code", "items", "timeline", "authenticity", "notices", "proof"}, plus
// "restricted" for a viewer entitled to order or personal data.
type ScanView struct {
	Code         string       `json:"code"` // grouped
	Items        Items        `json:"items"`
	Timeline     []Step       `json:"timeline"`
	Authenticity Authenticity `json:"authenticity"`
	Notices      []NoticeView `json:"notices"`
	Proof        Proof        `json:"proof"`
	Restricted   *Restricted  `json:"restricted,omitempty"`
	// Photo is the path of the product's photo from its approved filing
	// ("/photos/{sha256}"); empty without one.
	Photo string `json:"photo,omitempty"`
}

// NoticeView is a notice in the page's language.
type NoticeView struct {
	Kind  NoticeKind `json:"kind"`
	Title string     `json:"title"`
	Text  string     `json:"text"`
	// Original is the authority's own text in Chinese when the notice has
	// no English text and Text is the kind's standard English wording.
	Original string `json:"original,omitempty"`
	// Action says what a consumer holding the item should do.
	Action string    `json:"action,omitempty"`
	Since  time.Time `json:"since"`
}

// BuildScanView builds the scan page of in for viewer, in Chinese unless
// lang starts with "en" (case ignored). It shows the 21 items in order,
// each "not recorded" where the input has nothing, never guessed; the
// timeline of eight steps from the events and bindings; the authenticity
// verdict (Assess over in.Scans with the dispatch time, or AuthUnbound when
// in.Product is nil or in.Label.BoundAt is zero); the notices, recalls first;
// and the ledger proof, whose commitment is filled in from the code when the
// store left it empty (anyone holding the code can compute it anyway).
// Order and personal data follow the tiering table of access: an anonymous
// viewer, or an enterprise with no part in the item, sees the waybill and
// inventory numbers masked and no buyer data. It never fails.
func BuildScanView(in ScanInput, viewer Viewer, lang string, now time.Time) ScanView {
	en := strings.HasPrefix(strings.ToLower(strings.TrimSpace(lang)), "en")
	rel := relationOf(viewer, &in)
	steps := classify(in.Events, in.EventsBy, in.Places, en)
	v := ScanView{
		Code:       in.Code.String(),
		Items:      buildItems(&in, steps, rel, en),
		Timeline:   timeline(&in, steps, en),
		Notices:    notices(in.Notices, en),
		Proof:      Proof{Status: ProofNone},
		Restricted: restricted(&in, rel),
	}
	if p := in.Product; p != nil && p.Approved() && p.PhotoSHA256 != "" {
		v.Photo = "/photos/" + p.PhotoSHA256
	}
	if in.Proof != nil {
		v.Proof = *in.Proof
		if v.Proof.Commitment == "" && v.Proof.Status != ProofNone {
			c := in.Code.Commitment()
			v.Proof.Commitment = hex.EncodeToString(c[:])
		}
	}
	var dispatched *time.Time
	for _, s := range v.Timeline {
		if s.Step == StepDispatch && s.Recorded {
			dispatched = s.Time
		}
	}
	if dispatched == nil && in.Dispatch != nil && !in.Dispatch.DispatchedAt.IsZero() {
		at := in.Dispatch.DispatchedAt
		dispatched = &at
	}
	a := Assess(in.Scans, dispatched, now, in.Policy)
	switch {
	case in.Product == nil || in.Label.BoundAt.IsZero():
		a.Status, a.Reasons = AuthUnbound, nil
	case dispatched == nil && (in.Dispatch == nil || in.Dispatch.WaybillNo == "") && phoneScanned(in.Scans, now, in.Policy):
		// Bound at intake, never dispatched, yet in a consumer's hand: either
		// the code was copied or the goods left the zone unreleased.
		a.Status, a.Reasons = AuthSuspected, append(a.Reasons, ReasonNeverDispatched)
	}
	if a.Status == AuthSuspected {
		a.Seen = SeenPlaces(in.Scans, maxSeenPlaces)
	}
	a.Message, a.MessageEN = a.messages()
	v.Authenticity = a
	return v
}

// maxSeenPlaces bounds the scans a suspected copy's page lists.
const maxSeenPlaces = 50

// phoneScanned reports whether a consumer scanned from a phone (staff scans,
// bots and scans after now plus the policy's skew left out).
func phoneScanned(scans []Scan, now time.Time, policy ClonePolicy) bool {
	policy = policy.withDefaults()
	for _, s := range scans {
		if !s.Staff && s.Device == DevicePhone && !s.At.After(now.Add(policy.Skew)) {
			return true
		}
	}
	return false
}

// buildItems fills the 21 items.
func buildItems(in *ScanInput, steps map[StepKind]found, rel relation, en bool) Items {
	tx := textsFor(en)
	var vals [ItemCount]parts
	for i := range vals {
		vals[i].en = en
	}
	if p := in.Product; p != nil {
		vals[0].add("", productName(p.Name, p.NameZH, en))
		vals[1].add("", p.Brand)
		vals[2].add("", p.Specification)
		vals[3].add("", p.GTIN)
		vals[4].add("", countryName(p.OriginCountry, en))
		vals[5].add("", p.Manufacturer)
		if p.Approved() { // a number the enterprise only proposed is not official
			vals[8].add("", p.FilingNumber)
		}
		vals[9].add("", p.HSCode)
	}
	if it := in.Intake; it != nil {
		vals[6].add(tx.Batch, it.Batch)
		vals[6].add(tx.Produced, day(it.ProductionDate))
		vals[7].add("", day(it.ExpiryDate))
	}
	dep := steps[StepDeparture]
	d := in.Dispatch
	if d == nil {
		d = &Dispatch{}
	}
	vals[10].add("", d.Platform.name(en))
	vals[11].add("", d.Ecommerce.name(en))
	vals[12].add("", d.Importer.name(en))
	country, port := countryName(d.DepartureCountry, en), d.DeparturePort
	if port == "" {
		port = dep.place
	}
	vals[13].add("", strings.TrimSpace(country+" "+port))
	vals[14].add("", day(dep.at))
	mode, area := transportMode(d.TransportMode, en)
	if mode != "" && (d.TradeMode == "1210" || d.TradeMode == "1239") {
		mode += tx.LeavingBondedZone
	}
	vals[15].add("", mode)
	entry := steps[StepArrival].place // a named place reads better than a customs code
	if entry == "" {
		entry = d.PortOfEntry
	}
	vals[16].add("", entry)
	inventory, _ := reveal(FieldInventoryNo, rel, d.InventoryNo)
	if d.InventoryNo != "" || !d.DeclaredAt.IsZero() {
		vals[17].add(tx.Declared, day(d.DeclaredAt))
		vals[17].add(tx.Inventory, inventory)
	}
	insp := steps[StepInspection].detail
	if insp != "" {
		insp = strings.TrimSpace(insp + " " + day(steps[StepInspection].at))
	} else if in.Intake != nil {
		insp = in.Intake.InspectionResult
	}
	vals[18].add("", insp)
	warehouse := steps[StepWarehouse].place
	if in.Intake != nil && in.Intake.Warehouse.Name != "" {
		warehouse = in.Intake.Warehouse.name(en)
	}
	release := day(steps[StepRelease].at)
	if warehouse != "" || release != "" || area != "" {
		vals[19].add("", warehouse)
		if area != "" {
			vals[19].add(tx.Area, area)
		}
		vals[19].add(tx.Released, release)
	}
	waybill, _ := reveal(FieldWaybillNo, rel, d.WaybillNo)
	if d.Logistics.Name != "" || waybill != "" {
		vals[20].add("", d.Logistics.name(en))
		vals[20].add(tx.Waybill, waybill)
	}
	var items Items
	for i := range items {
		items[i].Label = tx.Items[i]
		items[i].Value, items[i].Recorded = vals[i].item()
		if !items[i].Recorded {
			items[i].Value = notRecorded(en)
		}
	}
	return items
}

// notices puts the notices in the page's language, recalls first, then stop
// sales, then risk notices, newest first within a kind.
func notices(ns []Notice, en bool) []NoticeView {
	rank := map[NoticeKind]int{NoticeRecall: 0, NoticeStopSale: 1, NoticeRiskNotice: 2}
	tx := textsFor(en)
	out := make([]NoticeView, 0, len(ns))
	for _, n := range ns {
		nv := NoticeView{Kind: n.Kind, Text: n.Text, Since: n.Since}
		std, known := tx.Notices[n.Kind]
		switch {
		case en && n.TextEN != "":
			nv.Text = n.TextEN
		case en:
			// No English text was given: the standard wording of the kind,
			// with the authority's own words kept beside it.
			nv.Text, nv.Original = std.Text, n.Text
			if !known {
				nv.Text = n.Text
				nv.Original = ""
			}
		case nv.Text == "" && known:
			nv.Text = std.Text // not en: the Chinese wording
		}
		if known {
			nv.Action = std.Action
		}
		nv.Title = string(n.Kind)
		if known {
			nv.Title = std.Title
		}
		out = append(out, nv)
	}
	rankOf := func(k NoticeKind) int {
		if r, ok := rank[k]; ok {
			return r
		}
		return len(rank)
	}
	slices.SortStableFunc(out, func(a, b NoticeView) int {
		if c := cmp.Compare(rankOf(a.Kind), rankOf(b.Kind)); c != 0 {
			return c
		}
		return b.Since.Compare(a.Since)
	})
	return out
}

// productName shows the name in the page's language with the other in
// brackets: "维生素C片（Vitamin C Tablets）".
func productName(name, nameZH string, en bool) string {
	first, second, open, close := nameZH, name, "（", "）"
	if en || first == "" {
		first, second, open, close = name, nameZH, " (", ")"
	}
	switch {
	case first == "":
		return second
	case second == "" || second == first:
		return first
	}
	return first + open + second + close
}
