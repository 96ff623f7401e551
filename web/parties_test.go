package web

import (
	"context"
	"testing"

	"tracegate"
	"tracegate/customs"
	"tracegate/store/storetest"
)

// fixtureCodes are the confirmed customs codes of the fixture's
// enterprises: the codes the generated declarations (customs.GenerateDay)
// name, the platform's as ebpCode, the e-commerce enterprise's as ebcCode
// and agentCode, and so on.
var fixtureCodes = map[tracegate.Role][]tracegate.CustomsCode{
	tracegate.RolePlatform:  {{Code: "4401980001", Kind: tracegate.CodeEbp}, {Code: "3301980002", Kind: tracegate.CodeEbp}},
	tracegate.RoleEcommerce: {{Code: "4401960001", Kind: tracegate.CodeEbc}, {Code: "3301960002", Kind: tracegate.CodeEbc}, {Code: "1101960003", Kind: tracegate.CodeEbc}, {Code: "4403960004", Kind: tracegate.CodeEbc}},
	tracegate.RolePayment:   {{Code: "3101980200", Kind: tracegate.CodePay}},
	tracegate.RoleLogistics: {{Code: "4401980100", Kind: tracegate.CodeLogistics}},
	tracegate.RoleWarehouse: {{Code: "4401630300", Kind: tracegate.CodeArea}},
}

// setupParties registers the fixture's customs codes (confirmed) and its
// one client relation: the e-commerce enterprise authorises the warehouse.
func setupParties(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	for role, cs := range fixtureCodes {
		for _, c := range cs {
			c.EnterpriseID, c.Status = f.ents[role].ID, tracegate.CodeConfirmed
			if err := f.store.SaveCustomsCode(ctx, &c); err != nil {
				t.Fatal(err)
			}
		}
	}
	ec, wh := f.ents[tracegate.RoleEcommerce], f.ents[tracegate.RoleWarehouse]
	if err := f.store.GrantHandling(ctx, &tracegate.Handling{ClientID: ec.ID, HandlerID: wh.ID, CreatedBy: ec.ID}); err != nil {
		t.Fatal(err)
	}
}

// newEnterprise registers one more enterprise acting in role, with the
// customs codes given (confirmed), and returns it with a key.
func (f *fixture) newEnterprise(t *testing.T, n int, role tracegate.Role, codes ...tracegate.CustomsCode) (*tracegate.Enterprise, string) {
	t.Helper()
	ctx := context.Background()
	e := &tracegate.Enterprise{USCC: storetest.USCC(3000 + n), Name: "另一企业", Roles: []tracegate.Role{role}}
	if err := f.store.CreateEnterprise(ctx, e); err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		c.EnterpriseID, c.Status = e.ID, tracegate.CodeConfirmed
		if err := f.store.SaveCustomsCode(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	_, secret, err := tracegate.IssueAPIKey(ctx, f.store, e, role, "")
	if err != nil {
		t.Fatal(err)
	}
	return e, secret
}

// rekey gives the four documents of d the order (ebpCode, orderNo) and the
// waybill (logisticsCode, logisticsNo) given, "" keeping d's.
func rekey(d *customs.Declaration, ebp, orderNo, logisticsCode, logisticsNo string) {
	set := func(p *string, v string) {
		if v != "" {
			*p = v
		}
	}
	o, p, w, i := &d.Order.Orders[0].Head, &d.Payment.Payments[0].Head, &d.Waybill.Logistics[0].Head, &d.Inventory.Inventories[0].Head
	for _, x := range []*string{&o.EbpCode, &p.EbpCode, &i.EbpCode} {
		set(x, ebp)
	}
	for _, x := range []*string{&o.OrderNo, &p.OrderNo, &w.OrderNo, &i.OrderNo} {
		set(x, orderNo)
	}
	set(&w.LogisticsCode, logisticsCode)
	set(&i.LogisticsCode, logisticsCode)
	set(&w.LogisticsNo, logisticsNo)
	set(&i.LogisticsNo, logisticsNo)
}

// declareReleased sends the clean generated declaration n, re-keyed to the
// order and waybill given, as the regulator (who may send any document)
// and checks that it passed.
func (f *fixture) declareReleased(t *testing.T, n int, ebp, orderNo, logisticsCode, logisticsNo string) *customs.Declaration {
	t.Helper()
	if !f.tables {
		loadCustomsTables(t, f)
		if err := storetest.FileCustomsDemoProducts(context.Background(), f.store); err != nil {
			t.Fatal(err)
		}
		f.tables = true
	}
	d := storetest.GenerateFault(n, "")
	rekey(d, ebp, orderNo, logisticsCode, logisticsNo)
	msgs := storetest.CustomsMessages(t, d)
	var a intakeAnswer
	for _, k := range allDocs {
		a = postMessage(t, f, tracegate.RoleRegulator, msgs[k])
	}
	if dec := a.Documents[0].Decision; dec == nil || dec.Status != customs.OutcomePass {
		t.Fatalf("declaration %s/%s = %+v; want pass", ebp, orderNo, dec)
	}
	return d
}
