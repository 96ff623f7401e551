package demo

import (
	"context"
	"fmt"

	"tracegate"
)

// demoCodes are the customs registration codes the demo enterprises act
// under (confirmed, as a regulator would), by USCC body: the codes the
// generated declarations (customs.GenerateDay) name, so that the demo's
// story and its enterprises are one world.
var demoCodes = map[string][]tracegate.CustomsCode{
	"91330100MA27XK3Q0": {{Code: "3301980002", Kind: tracegate.CodeEbp}, {Code: "3301960002", Kind: tracegate.CodeEbc}}, // 海购优选: platform, and its own store
	"91110105MA01R7WD6": {{Code: "4401980001", Kind: tracegate.CodeEbp}, {Code: "1101960003", Kind: tracegate.CodeEbc}}, // 京品: platform and seller
	"91440101MA59U8LH2": {{Code: "4401960001", Kind: tracegate.CodeEbc}},                                                // 悦澳: seller and its own declarant
	"91440300MA5F2JY70": {{Code: "4403960004", Kind: tracegate.CodeAgent}},                                              // 前海澳新: importer of record
	"91440115MA5CKW8T4": {{Code: "4401630300", Kind: tracegate.CodeArea}},                                               // 优链仓储: the bonded warehouse
	"91330106MA2GL0N68": {{Code: "4401980100", Kind: tracegate.CodeLogistics}},                                          // 速链: logistics
	"91310115MA1K3P9R3": {{Code: "3101980200", Kind: tracegate.CodePay}},                                                // 汇通: payment
}

// DemoCodes returns every customs code the demo registers, for tests.
func DemoCodes() []string {
	var out []string
	for _, cs := range demoCodes {
		for _, c := range cs {
			out = append(out, c.Code)
		}
	}
	return out
}

// seedParties registers the demo enterprises' customs codes (confirmed)
// and the client relations of the story: every seller, platform and
// importer authorises the bonded warehouse and the logistics firm to handle
// its goods.
func seedParties(ctx context.Context, s Store, d *Data) error {
	wh, lg := d.enterpriseWith(tracegate.RoleWarehouse), d.enterpriseWith(tracegate.RoleLogistics)
	for _, e := range d.Enterprises {
		for _, c := range demoCodes[e.USCC[:17]] {
			c.EnterpriseID, c.Status = e.ID, tracegate.CodeConfirmed
			if err := s.SaveCustomsCode(ctx, &c); err != nil {
				return fmt.Errorf("demo customs code %s of %s: %w", c.Code, e.Name, err)
			}
		}
		if !e.HasRole(tracegate.RoleEcommerce) && !e.HasRole(tracegate.RolePlatform) && !e.HasRole(tracegate.RoleImporter) {
			continue
		}
		for _, h := range []*tracegate.Enterprise{wh, lg} {
			if err := s.GrantHandling(ctx, &tracegate.Handling{ClientID: e.ID, HandlerID: h.ID, CreatedBy: e.ID}); err != nil {
				return fmt.Errorf("demo client relation %s -> %s: %w", e.Name, h.Name, err)
			}
		}
	}
	return nil
}

// enterpriseByID returns the demo enterprise with id, or nil.
func (d *Data) enterpriseByID(id int64) *tracegate.Enterprise {
	for _, e := range d.Enterprises {
		if e.ID == id {
			return e
		}
	}
	return nil
}
