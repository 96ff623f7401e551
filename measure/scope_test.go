package measure

import (
	"testing"
	"time"
)

func TestMask(t *testing.T) {
	for _, c := range []struct {
		f        func(string) string
		in, want string
	}{
		{MaskName, "张三", "张*"},
		{MaskName, "欧阳娜娜", "欧***"},
		{MaskName, "A", "A*"},
		{MaskName, "", ""},
		{MaskPhone, "13800000000", "138****0000"},
		{MaskPhone, "+8613800000000", "+86*******0000"},
		{MaskPhone, "12345", "*****"},
		{MaskAddress, "广东省广州市南沙区进港大道8号", "广东省广州市****"},
		{MaskAddress, "上海", "**"},
	} {
		if got := c.f(c.in); got != c.want {
			t.Errorf("mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestViewerMask(t *testing.T) {
	it := ScopeItem{OwnerID: 7, Holders: [3]int64{8, 0, 9}, Consignee: "张三", ConsigneePhone: "13800000000", ConsigneeAddress: "广东省广州市南沙区"}
	for _, c := range []struct {
		v          Viewer
		sees, full bool
	}{
		{Viewer{}, true, true},
		{Viewer{EnterpriseID: 7}, true, true},
		{Viewer{EnterpriseID: 5, Owner: true}, true, true},
		{Viewer{EnterpriseID: 8}, true, false},
		{Viewer{EnterpriseID: 9}, true, false},
		{Viewer{EnterpriseID: 4}, false, false},
	} {
		if c.v.Sees(&it) != c.sees || c.v.Full(&it) != c.full {
			t.Errorf("%+v: sees %v full %v; want %v %v", c.v, c.v.Sees(&it), c.v.Full(&it), c.sees, c.full)
		}
		x := it
		c.v.Mask(&x)
		if masked := x.Consignee != "张三"; masked == c.full {
			t.Errorf("%+v: consignee %q", c.v, x.Consignee)
		}
	}
}

func TestStatusAt(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	it := ScopeItem{IntakeAt: t0, DispatchAt: t0.Add(time.Hour), DeliveredAt: t0.Add(2 * time.Hour), ReturnedAt: t0.Add(3 * time.Hour)}
	for d, want := range map[time.Duration]ItemStatus{0: InStock, time.Hour: Dispatched, 2 * time.Hour: Delivered, 4 * time.Hour: Returned} {
		if got := it.StatusAt(t0.Add(d)); got != want {
			t.Errorf("StatusAt(+%v) = %s, want %s", d, got, want)
		}
	}
}
