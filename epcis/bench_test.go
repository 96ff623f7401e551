package epcis

import (
	"os"
	"testing"
)

// BenchmarkEventHash hashes a typical ObjectEvent (EPC URNs, CBV values,
// readPoint, bizTransaction, one user extension).
func BenchmarkEventHash(b *testing.B) {
	data, err := os.ReadFile(vectors + "examples/ReferenceEventHashAlgorithm3.jsonld")
	if err != nil {
		b.Fatal(err)
	}
	e, err := DecodeEvent(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		EventHash(e)
	}
}

// BenchmarkEventHashSensor hashes a larger event with sensor data.
func BenchmarkEventHashSensor(b *testing.B) {
	data, err := os.ReadFile(vectors + "examples/ReferenceEventHashAlgorithm2.jsonld")
	if err != nil {
		b.Fatal(err)
	}
	e, err := DecodeEvent(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		EventHash(e)
	}
}
