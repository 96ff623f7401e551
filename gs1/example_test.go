package gs1_test

import (
	"encoding/json"
	"fmt"

	"tracegate/gs1"
)

func ExampleParseDigitalLink() {
	d, err := gs1.ParseDigitalLink("https://id.gs1.org/01/09506000134352/21/ABC?17=261231&linkType=gs1:pip")
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := json.Marshal(d)
	fmt.Println(string(b))
	_, err = gs1.ParseDigitalLink("https://id.gs1.org/01/09506000134353")
	fmt.Println(err)
	// Output:
	// {"primaryKey":{"ai":"01","value":"09506000134352"},"qualifiers":[{"ai":"21","value":"ABC"}],"attributes":[{"ai":"17","value":"261231"}],"elementString":"(01)09506000134352(21)ABC(17)261231","otherParams":{"linkType":"gs1:pip"}}
	// gs1: AI (01): check digit of 09506000134353 is 3, want 2 (linter csum) (rule check-digit)
}

func ExampleBuildURI() {
	ais, _ := gs1.ParseElementString("(01)09506000134352(17)261231(10)LOT/7")
	uri, err := gs1.BuildURI(gs1.DefaultStem, ais)
	fmt.Println(uri, err)
	// Output: https://id.gs1.org/01/09506000134352/10/LOT%2F7?17=261231 <nil>
}

func ExampleEPCToDigitalLink() {
	uri, _ := gs1.EPCToDigitalLink("urn:epc:id:sgtin:0614141.812345.6789", "")
	urn, _ := gs1.DigitalLinkToEPC(uri, gs1.FixedPrefixLength(7))
	fmt.Println(uri)
	fmt.Println(urn)
	// Output:
	// https://id.gs1.org/01/80614141123458/21/6789
	// urn:epc:id:sgtin:0614141.812345.6789
}
