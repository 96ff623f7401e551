package label

import "testing"

// TestScanViewTransportMode shows item 16 as the means of transport when
// the declaration's trafMode is one, and a supervised-area code (Y 保税港区,
// which every bonded inventory declares) with the bonded warehouse in item
// 20 instead of as a transport mode.
func TestScanViewTransportMode(t *testing.T) {
	for _, tc := range []struct {
		code, lang     string
		item16, item20 string
	}{
		{"5", "zh", "航空运输", "白云机场综保区保税仓；放行 2026-04-02"},
		{"5", "en", "Air", "白云机场综保区保税仓; released 2026-04-02"},
		{"2", "zh", "水路运输", "白云机场综保区保税仓；放行 2026-04-02"},
		{"3", "en", "Rail", "白云机场综保区保税仓; released 2026-04-02"},
		{"4", "zh", "公路运输", "白云机场综保区保税仓；放行 2026-04-02"},
		{"6", "en", "Post", "白云机场综保区保税仓; released 2026-04-02"},
		{"Y", "zh", "未记录", "白云机场综保区保税仓；区域 保税港区；放行 2026-04-02"},
		{"Y", "en", "not recorded", "白云机场综保区保税仓; area Bonded port area; released 2026-04-02"},
		{"W", "zh", "未记录", "白云机场综保区保税仓；区域 物流中心；放行 2026-04-02"},
		{"by sea", "en", "by sea", "白云机场综保区保税仓; released 2026-04-02"}, // text, not a code
	} {
		in := fullInput(t)
		in.Dispatch.TransportMode = tc.code
		v := BuildScanView(in, Anonymous(), tc.lang, now)
		if got := v.Items[15].Value; got != tc.item16 {
			t.Errorf("trafMode %q (%s): item 16 = %q, want %q", tc.code, tc.lang, got, tc.item16)
		}
		if got := v.Items[19].Value; got != tc.item20 {
			t.Errorf("trafMode %q (%s): item 20 = %q, want %q", tc.code, tc.lang, got, tc.item20)
		}
	}
}

// TestScanViewTransportModeBonded words the trafMode of a bonded
// declaration as the exit from the bonded zone, which is what it declares.
func TestScanViewTransportModeBonded(t *testing.T) {
	for _, tc := range []struct {
		tradeMode, lang, want string
	}{
		{"1210", "zh", "公路运输（二线出区）"},
		{"1239", "en", "Road (leaving the bonded zone)"},
		{"9610", "zh", "公路运输"},
		{"", "en", "Road"},
	} {
		in := fullInput(t)
		in.Dispatch.TransportMode, in.Dispatch.TradeMode = "4", tc.tradeMode
		if got := BuildScanView(in, Anonymous(), tc.lang, now).Items[15].Value; got != tc.want {
			t.Errorf("trade mode %q (%s): item 16 = %q, want %q", tc.tradeMode, tc.lang, got, tc.want)
		}
	}
}
