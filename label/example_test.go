package label_test

import (
	"fmt"
	"os"
	"time"

	"tracegate/label"
)

// A code is read as people type it; a typo is caught by the check symbol
// before any lookup.
func ExampleParseCode() {
	c, err := label.ParseCode("04hm asw9 nf6y y07h wb9w d")
	fmt.Println(c, err)
	fmt.Println(label.URL("https://trace.example.cn", c))
	_, err = label.ParseCode("04HM-ASW9-NF6Y-Y07H-WB9W-E")
	fmt.Println(err)
	// Output:
	// 04HM-ASW9-NF6Y-Y07H-WB9W-D <nil>
	// https://trace.example.cn/l/04HMASW9NF6YY07HWB9WD
	// not a genuine code
}

// Issuing a batch: the store keeps each code's Hash, the ledger its
// Commitment, and the enterprise gets the codes as CSV (and PDF sheets).
func ExampleGenerate() {
	secret := []byte("the deployment's label key, 32+ random bytes")
	var hashes, commitments [][32]byte
	err := label.Generate(3, func(c label.Code) error {
		hashes = append(hashes, c.Hash(secret))
		commitments = append(commitments, c.Commitment())
		return nil
	})
	fmt.Println(len(hashes), len(commitments), err)
	// Output: 3 3 <nil>
}

// The scan page of a code nobody has filled in yet: every item says so.
func ExampleBuildScanView() {
	c, _ := label.ParseCode("04HM-ASW9-NF6Y-Y07H-WB9W-D")
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	v := label.BuildScanView(label.ScanInput{Code: c}, label.Anonymous(), "en", now)
	fmt.Println(v.Items[0].Label+":", v.Items[0].Value)
	fmt.Println(v.Timeline[0].Label+":", v.Timeline[0].Detail)
	fmt.Println(v.Authenticity.Status, v.Proof.Status)
	// Output:
	// Product name: not recorded
	// Manufacture: not recorded
	// unbound none
}

// Streaming the CSV of a batch.
func ExampleWriteCSV() {
	c, _ := label.ParseCode("04HMASW9NF6YY07HWB9WD")
	codes := func(yield func(label.Code) bool) { yield(c) }
	_ = label.WriteCSV(os.Stdout, codes, "https://trace.example.cn")
	// Output:
	// code,url
	// 04HM-ASW9-NF6Y-Y07H-WB9W-D,https://trace.example.cn/l/04HMASW9NF6YY07HWB9WD
}
