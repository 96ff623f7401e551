package customs

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"tracegate"
)

type oneDeclaration struct{ rec *DeclarationRecord }

func (o oneDeclaration) FindCustomsDeclaration(ctx context.Context, ebpCode, orderNo string) (*DeclarationRecord, error) {
	if o.rec == nil || ebpCode != "EBP" || orderNo != "O1" {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no declaration")
	}
	return o.rec, nil
}

func TestOrderRelease(t *testing.T) {
	cop := "COP-1"
	inv := Inventory{Head: InventoryHead{CopNo: &cop, EbpCode: "EBP", EbcCode: "EBC", AgentCode: "AGT", LogisticsCode: "LOG",
		EbpName: "平台", EbcName: "电商", LogisticsName: "物流", AgentName: "代理", DeclTime: "20261123093000",
		PortCode: "5141", TrafMode: "5", TradeMode: "1210", BuyerName: "张三", BuyerIDNumber: "110101199001011234",
		BuyerTelephone: "13800000000", ConsigneeAddress: "广州"}}
	b, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	decided := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	rec := &DeclarationRecord{Inventory: b, Decision: &Decision{Status: OutcomePass}, DecidedAt: decided}
	rel, err := Releases{Store: oneDeclaration{rec}}.OrderRelease(context.Background(), "EBP", "O1")
	if err != nil {
		t.Fatal(err)
	}
	if !rel.Declared || rel.InventoryNo != "COP-1" || !rel.ReleasedAt.Equal(decided) {
		t.Errorf("release = %+v; want declared, inventory number from copNo, released at %v", rel, decided)
	}
	if want := time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC); !rel.DeclaredAt.Equal(want) {
		t.Errorf("DeclaredAt = %v, want %v (declTime in China time)", rel.DeclaredAt, want)
	}
	if rel.Parties.Ebp != "EBP" || rel.Parties.Agent != "AGT" || rel.PlatformName != "平台" || rel.Buyer.Name != "张三" || rel.Buyer.Address != "广州" {
		t.Errorf("release = %+v; want the inventory's parties, names and buyer", rel)
	}

	inv.Head.DeclTime = "20261123"
	b, _ = json.Marshal(inv)
	rec = &DeclarationRecord{Inventory: b, Decision: &Decision{Status: OutcomeRefuse}, DecidedAt: decided}
	if rel, err = rec.Release(); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 22, 16, 0, 0, 0, time.UTC); !rel.DeclaredAt.Equal(want) || !rel.ReleasedAt.IsZero() {
		t.Errorf("a date-only declTime and a refusal: DeclaredAt %v (want %v), ReleasedAt %v (want zero)", rel.DeclaredAt, want, rel.ReleasedAt)
	}

	rec = &DeclarationRecord{Inventory: []byte("{not json"), Decision: &Decision{Status: OutcomePass}, DecidedAt: decided}
	if rel, err = rec.Release(); err != nil || rel.Declared || !rel.ReleasedAt.Equal(decided) {
		t.Errorf("an unreadable inventory: %+v, %v; want not declared, released, no error", rel, err)
	}
	if _, err := (Releases{Store: oneDeclaration{}}).OrderRelease(context.Background(), "EBP", "O1"); !tracegate.IsCode(err, tracegate.ENOTFOUND) {
		t.Errorf("no declaration: %v, want ENOTFOUND", err)
	}
}
