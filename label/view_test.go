package label

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracegate"
	"tracegate/epcis"
)

const (
	idOwner     = 101
	idWarehouse = 102
	idLogistics = 103
	idPlatform  = 104
	idStranger  = 999
)

func cbv(word string) string { return epcis.NSCBV + "BizStep-" + word }

func ev(bizStep, disp, loc string, at time.Time) epcis.Event {
	e := epcis.Event{Type: epcis.ObjectEvent, EventTime: at, BizStep: bizStep, Disposition: disp}
	if loc != "" {
		e.BizLocation = &epcis.Location{ID: loc}
	}
	return e
}

// fullInput is an item with every fact recorded: a tin of Australian milk
// powder through Guangzhou Baiyun airport.
func fullInput(t testing.TB) ScanInput {
	d := func(m time.Month, day int) time.Time { return time.Date(2026, m, day, 2, 0, 0, 0, time.UTC) }
	return ScanInput{
		Code:  Code{hi: 0x123, lo: 0x456789},
		Label: LabelRecord{IssuedTo: idOwner, IssuedAt: d(1, 2), BoundAt: d(3, 10)},
		Product: &tracegate.Product{GTIN: "09300000000017", OwnerID: idOwner, Name: "a2 Platinum Infant Formula",
			NameZH: "a2 白金版婴儿配方奶粉", Brand: "a2", Specification: "900 g", HSCode: "19011010",
			OriginCountry: "AU", Manufacturer: "Synlait Milk Ltd", FilingNumber: "GZ2026-000123", Status: tracegate.FilingApproved},
		Intake: &Intake{Batch: "L2601", ProductionDate: d(1, 5), ExpiryDate: d(12, 31).AddDate(1, 0, 0),
			Warehouse: Party{ID: idWarehouse, Name: "白云机场综保区保税仓"}, At: d(3, 10)},
		Dispatch: &Dispatch{OrderNo: "ORD20260401001", WaybillNo: "SF1234567890123",
			Logistics: Party{ID: idLogistics, Name: "顺丰速运"}, Platform: Party{ID: idPlatform, Name: "天猫国际"},
			Ecommerce: Party{ID: idOwner, Name: "澳优跨境贸易有限公司"}, Importer: Party{Name: "广州进口代理有限公司"},
			DeclaredAt: d(4, 1), InventoryNo: "5141202600012345", DepartureCountry: "AU", TransportMode: "5",
			PortOfEntry: "广州白云机场", DispatchedAt: d(4, 2),
			Buyer: Buyer{Name: "张小明", IDNumber: "440101199001011234", Phone: "13812345678", Address: "广州市天河区体育西路1号"}},
		Events: []epcis.Event{
			ev(cbv("receiving"), "", "loc:home", d(4, 4)), // delivery: after dispatch
			ev(cbv("commissioning"), "", "loc:factory", d(1, 5)),
			ev(cbv("departing"), "", "loc:syd", d(2, 20)),
			ev(cbv("arriving"), "", "loc:can", d(2, 21)),
			ev(cbv("inspecting"), "conformant", "loc:can", d(2, 22)),
			ev("receiving", "", "loc:wh", d(3, 10)), // bare word, before dispatch: warehouse intake
			ev(BizStepCustomsRelease, "", "loc:wh", d(4, 2)),
			ev(cbv("shipping"), "", "loc:wh", d(4, 2).Add(time.Hour)),
		},
		Places: map[string]Place{"loc:factory": {Name: "Camden, NSW"}, "loc:syd": {Name: "悉尼机场", NameEN: "Sydney Airport"},
			"loc:can": {Name: "广州白云机场", NameEN: "Guangzhou Baiyun Airport"}, "loc:wh": {Name: "白云综保区"}},
		Notices: []Notice{
			{Kind: NoticeRiskNotice, Text: "注意冲泡温度", Since: d(5, 1)},
			{Kind: NoticeRecall, Text: "批次 L2601 召回", TextEN: "Batch L2601 recalled", Since: d(5, 2)},
		},
		Scans: []Scan{{At: d(4, 5), Place: "广州", Device: DevicePhone}},
		Proof: &Proof{Status: ProofIncluded, LogOrigin: "tracegate.example/ledger", LeafIndex: 7, TreeSize: 9},
	}
}

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func TestScanViewJSONShape(t *testing.T) {
	v := BuildScanView(fullInput(t), Anonymous(), "", now)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range top {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"authenticity", "code", "items", "notices", "proof", "timeline"}; !slices.Equal(keys, want) {
		t.Errorf("anonymous view keys = %q, want %q", keys, want)
	}
	// items: "1" … "21" in order, each {label, value, recorded}
	dec := json.NewDecoder(bytes.NewReader(top["items"]))
	dec.Token()
	for i := 1; i <= ItemCount; i++ {
		k, _ := dec.Token()
		if k != strconv.Itoa(i) {
			t.Fatalf("item key %d is %v", i, k)
		}
		var item map[string]any
		dec.Decode(&item)
		if len(item) != 3 || item["label"] == nil || item["value"] == nil || item["recorded"] != true {
			t.Errorf("item %d = %v, want label, value and recorded true", i, item)
		}
	}
	var back Items
	if err := json.Unmarshal(top["items"], &back); err != nil || back != v.Items {
		t.Errorf("items do not round-trip: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"22":{}}`), &back); err == nil {
		t.Errorf("Items.UnmarshalJSON accepted key 22")
	}
}

func TestScanViewItems(t *testing.T) {
	empty := ScanInput{Code: Code{lo: 1}}
	for _, tc := range []struct {
		name string
		in   ScanInput
		lang string
		want map[int]string // item number -> value
	}{
		{"full, Chinese", fullInput(t), "zh-CN", map[int]string{
			1: "a2 白金版婴儿配方奶粉（a2 Platinum Infant Formula）", 4: "09300000000017", 5: "澳大利亚 (AU)",
			7: "批次 L2601；生产日期 2026-01-05", 8: "2027-12-31", 9: "GZ2026-000123", 11: "天猫国际",
			13: "广州进口代理有限公司", 14: "澳大利亚 (AU) 悉尼机场", 15: "2026-02-20", 16: "航空运输",
			17: "广州白云机场", 18: "申报日期 2026-04-01；清单编号 51**********2345", 19: "合格 2026-02-22",
			20: "白云机场综保区保税仓；放行 2026-04-02", 21: "顺丰速运；运单号 SF*********0123"}},
		{"full, English", fullInput(t), "en", map[int]string{
			1: "a2 Platinum Infant Formula (a2 白金版婴儿配方奶粉)", 5: "Australia (AU)", 14: "Australia (AU) Sydney Airport",
			16: "Air", 19: "Passed 2026-02-22", 7: "Batch L2601; produced 2026-01-05"}},
		{"nothing recorded", empty, "", map[int]string{1: "未记录", 7: "未记录", 14: "未记录", 21: "未记录"}},
		{"nothing recorded, English", empty, "EN-us", map[int]string{2: "not recorded", 20: "not recorded"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := BuildScanView(tc.in, Anonymous(), tc.lang, now)
			for n, want := range tc.want {
				if got := v.Items[n-1]; got.Value != want || got.Recorded != (want != "未记录" && want != "not recorded") {
					t.Errorf("item %d (%s) = %q recorded %v, want %q", n, got.Label, got.Value, got.Recorded, want)
				}
			}
		})
	}
	t.Run("partly recorded", func(t *testing.T) {
		in := fullInput(t)
		in.Intake.Batch = ""
		in.Dispatch.ReleasedAt, in.Events = time.Time{}, nil
		v := BuildScanView(in, Anonymous(), "", now)
		for n, want := range map[int]string{7: "批次 未记录；生产日期 2026-01-05", 20: "白云机场综保区保税仓；放行 未记录",
			15: "未记录", 19: "未记录", 14: "澳大利亚 (AU)"} {
			if got := v.Items[n-1].Value; got != want {
				t.Errorf("item %d = %q, want %q", n, got, want)
			}
		}
	})
}

func TestTieringMatrix(t *testing.T) {
	const hidden = "-"
	viewers := []struct {
		name string
		v    Viewer
	}{
		{"anonymous", Anonymous()},
		{"stranger enterprise", Enterprise(idStranger)},
		{"filing owner", Enterprise(idOwner)},
		{"warehouse", Enterprise(idWarehouse)},
		{"logistics", Enterprise(idLogistics)},
		{"regulator", Regulator()},
	}
	// want[field] lists the value each viewer above sees.
	want := map[Field][6]string{
		FieldWaybillNo:    {"SF*********0123", "SF*********0123", "SF1234567890123", "SF1234567890123", "SF1234567890123", "SF1234567890123"},
		FieldInventoryNo:  {"51**********2345", "51**********2345", "5141202600012345", "5141202600012345", "5141202600012345", "5141202600012345"},
		FieldOrderNo:      {hidden, hidden, "ORD20260401001", "ORD20260401001", "ORD20260401001", "ORD20260401001"},
		FieldBuyerName:    {hidden, hidden, "张小明", "张小明", "张小明", "张小明"},
		FieldBuyerIDNo:    {hidden, hidden, "4****************4", "4****************4", "4****************4", "440101199001011234"},
		FieldBuyerPhone:   {hidden, hidden, "13812345678", "13812345678", "13812345678", "13812345678"},
		FieldBuyerAddress: {hidden, hidden, "广州市天河区体育西路1号", "广州市天河区体育西路1号", "广州市天河区体育西路1号", "广州市天河区体育西路1号"},
	}
	in := fullInput(t)
	for i, vw := range viewers {
		v := BuildScanView(in, vw.v, "", now)
		r := v.Restricted
		if r == nil {
			r = &Restricted{}
		}
		got := map[Field]string{FieldWaybillNo: r.WaybillNo, FieldInventoryNo: r.InventoryNo, FieldOrderNo: r.OrderNo,
			FieldBuyerName: r.BuyerName, FieldBuyerIDNo: r.BuyerIDNo, FieldBuyerPhone: r.BuyerPhone, FieldBuyerAddress: r.BuyerAddress}
		if vw.v.Kind == ViewerAnonymous || vw.v.EnterpriseID == idStranger {
			// the public sees the masked numbers in items 18 and 21 only
			got[FieldWaybillNo] = strings.TrimPrefix(v.Items[20].Value, "顺丰速运；运单号 ")
			got[FieldInventoryNo] = strings.TrimPrefix(v.Items[17].Value, "申报日期 2026-04-01；清单编号 ")
			if v.Restricted != nil {
				t.Errorf("%s: Restricted = %+v, want none", vw.name, v.Restricted)
			}
		}
		for f, vals := range want {
			t.Run(vw.name+"/"+string(f), func(t *testing.T) {
				wantVis := Full
				switch {
				case vals[i] == hidden:
					wantVis = Hidden
				case strings.Contains(vals[i], "*"):
					wantVis = Masked
				}
				if got := in.Access(vw.v, f); got != wantVis {
					t.Errorf("Access(%s, %s) = %d, want %d", vw.name, f, got, wantVis)
				}
				g := got[f]
				if g == "" {
					g = hidden
				}
				if g != vals[i] {
					t.Errorf("%s sees %s = %q, want %q", vw.name, f, g, vals[i])
				}
			})
		}
		// items 18 and 21 agree with the table
		if !strings.HasSuffix(v.Items[20].Value, vals(want[FieldWaybillNo], i)) {
			t.Errorf("%s: item 21 = %q", vw.name, v.Items[20].Value)
		}
	}
	t.Run("no personal data anywhere in the public JSON", func(t *testing.T) {
		for _, vw := range viewers[:2] {
			b, _ := json.Marshal(BuildScanView(in, vw.v, "", now))
			for _, secret := range []string{"张小明", "440101199001011234", "13812345678", "体育西路", "SF1234567890123",
				"ORD20260401001", "5141202600012345", "1234567890"} {
				if bytes.Contains(b, []byte(secret)) {
					t.Errorf("%s view holds %q", vw.name, secret)
				}
			}
		}
	})
}

func vals(v [6]string, i int) string { return v[i] }

func TestViewerFrom(t *testing.T) {
	for _, tc := range []struct {
		p    *tracegate.Principal
		want Viewer
	}{
		{nil, Anonymous()},
		{&tracegate.Principal{EnterpriseID: 7, Role: tracegate.RoleRegulator}, Regulator()},
		{&tracegate.Principal{EnterpriseID: 7, Role: tracegate.RoleWarehouse}, Enterprise(7)},
	} {
		if got := ViewerFrom(tc.p); got != tc.want {
			t.Errorf("ViewerFrom(%+v) = %+v, want %+v", tc.p, got, tc.want)
		}
	}
}

func TestMask(t *testing.T) {
	for _, tc := range []struct {
		in          string
		first, last int
		want        string
	}{
		{"SF1234567890123", 2, 4, "SF*********0123"},
		{"123456", 2, 4, "1*****"},
		{"张小明", 1, 0, "张**"},
		{"A", 2, 4, "*"},
	} {
		if got := mask(tc.in, tc.first, tc.last); got != tc.want {
			t.Errorf("mask(%q, %d, %d) = %q, want %q", tc.in, tc.first, tc.last, got, tc.want)
		}
	}
}

// TestScanViewNeverDispatched: an item bound at intake that never left the
// bonded warehouse, scanned by a consumer's phone, is a warning sign; the
// page lists every time and place the code was seen and never calls a
// suspected copy genuine.
func TestScanViewNeverDispatched(t *testing.T) {
	at := time.Date(2026, 4, 20, 2, 0, 0, 0, time.UTC)
	inWarehouse := func() ScanInput {
		in := fullInput(t)
		in.Dispatch = nil
		var kept []epcis.Event
		for _, e := range in.Events {
			// the item's journey up to the bonded warehouse: no release,
			// shipping or delivery
			if e.EventTime.Before(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)) {
				kept = append(kept, e)
			}
		}
		in.Events = kept
		return in
	}
	for _, tc := range []struct {
		name   string
		scans  []Scan
		want   AuthStatus
		reason bool
	}{
		{"no consumer scan", nil, AuthGenuine, false},
		{"a staff phone", []Scan{{At: at, Device: DevicePhone, Staff: true}}, AuthGenuine, false},
		{"a desktop browser", []Scan{{At: at, Device: DeviceDesktop}}, AuthGenuine, false},
		{"a consumer's phone", []Scan{{At: at, Device: DevicePhone, Place: "上海"}, {At: at.Add(time.Hour), Device: DevicePhone}},
			AuthSuspected, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := inWarehouse()
			in.Scans = tc.scans
			v := BuildScanView(in, Anonymous(), "zh", at.Add(2*time.Hour))
			if v.Authenticity.Status != tc.want || slices.Contains(v.Authenticity.Reasons, ReasonNeverDispatched) != tc.reason {
				t.Fatalf("status %s, reasons %q; want %s (never dispatched: %v)", v.Authenticity.Status, v.Authenticity.Reasons, tc.want, tc.reason)
			}
			if tc.want != AuthSuspected {
				if v.Authenticity.Seen != nil {
					t.Errorf("Seen = %v for a code not suspected", v.Authenticity.Seen)
				}
				return
			}
			a := v.Authenticity
			if strings.Contains(a.Message, "正品码") || strings.Contains(strings.ToLower(a.MessageEN), "genuine code") ||
				!strings.Contains(a.Message, "尚未从保税仓出区") {
				t.Errorf("suspected copy says %q / %q", a.Message, a.MessageEN)
			}
			if len(a.Seen) != 2 || a.Seen[0].Place != "上海" || !a.Seen[1].At.Equal(at.Add(time.Hour)) {
				t.Errorf("Seen = %+v, want both consumer scans, oldest first", a.Seen)
			}
		})
	}
}

// TestScanViewFilingNumberOnlyWhenApproved: consumers read the filing
// number as official, so a number the enterprise only proposed (a filing
// submitted, rejected or withdrawn) shows as not recorded.
func TestScanViewFilingNumberOnlyWhenApproved(t *testing.T) {
	for _, st := range []tracegate.FilingStatus{tracegate.FilingSubmitted, tracegate.FilingRejected, tracegate.FilingWithdrawn, ""} {
		in := fullInput(t)
		in.Product.Status = st
		v := BuildScanView(in, Anonymous(), "zh", now)
		if it := v.Items[8]; it.Recorded || strings.Contains(it.Value, "GZ2026-000123") {
			t.Errorf("filing %q: item 9 = %q (recorded %v), want not recorded", st, it.Value, it.Recorded)
		}
	}
}
