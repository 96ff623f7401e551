package epcis_test

import (
	"fmt"
	"io"
	"strings"

	"tracegate/epcis"
)

// Example decodes a JSON-LD document event by event, normalises its
// vocabulary and computes the CBV 2.0 event hash.
func Example() {
	doc := `{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",{"example":"https://ns.example.com/epcis/"}],
	"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2020-03-04T11:00:30Z",
	"epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2020-03-04T11:00:30+01:00","eventTimeZoneOffset":"+01:00",
	"epcList":["urn:epc:id:sgtin:0614141.011111.987"],"action":"OBSERVE","bizStep":"departing","disposition":"in_transit",
	"readPoint":{"id":"urn:epc:id:sgln:4012345.00011.0","example:myField1":"AB-12"},
	"bizTransactionList":[{"type":"po","bizTransaction":"urn:epc:id:gdti:4012345.11111.123"}],
	"sourceList":[{"type":"owning_party","source":"urn:epc:id:pgln:4012345.00000"}],
	"destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:0614141.00000"}],
	"example:userExt":"CD-34"}]}}`
	d, err := epcis.NewDecoder(strings.NewReader(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		e, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(e.BizStep)
		fmt.Println(epcis.VocabForm(epcis.VocabBizStep, e.BizStep, epcis.FormURN))
		fmt.Println(epcis.TranslateEPC(e.EPCList[0], epcis.EPCAlwaysDigitalLink, 0))
		fmt.Println(epcis.EventHash(e))
	}
	// Output:
	// https://ref.gs1.org/cbv/BizStep-departing
	// urn:epcglobal:cbv:bizstep:departing
	// https://id.gs1.org/01/00614141111114/21/987
	// ni:///sha-256;a13cbe6c8bb6df3710b3edaeff760a1365ec8fd69ca1f4d7e0c10eb5189a883a?ver=CBV2.0
}
