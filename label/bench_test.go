package label

import (
	"encoding/json"
	"io"
	"slices"
	"testing"
)

// BenchmarkGenerate makes one full batch of MaxBatch codes per iteration.
func BenchmarkGenerate(b *testing.B) {
	var sink Code
	for b.Loop() {
		if err := Generate(MaxBatch, func(c Code) error { sink = c; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	_ = sink
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/MaxBatch, "ns/code")
}

// BenchmarkGenerateCompact adds the printed form, as the CSV stream does.
func BenchmarkGenerateCompact(b *testing.B) {
	buf := make([]byte, 0, 64)
	for b.Loop() {
		_ = Generate(MaxBatch, func(c Code) error { buf = c.appendGrouped(buf[:0]); return nil })
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/MaxBatch, "ns/code")
}

func BenchmarkQRPNG(b *testing.B) {
	url := URL(testBase, Code{hi: 12345, lo: 67890})
	for b.Loop() {
		if _, err := QRPNG(url, 300); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCode(b *testing.B) {
	s := Code{hi: 12345, lo: 67890}.String()
	for b.Loop() {
		if _, err := ParseCode(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCodeString(b *testing.B) {
	c := Code{hi: 12345, lo: 67890}
	for b.Loop() {
		_ = c.String()
	}
}

func BenchmarkBuildScanView(b *testing.B) {
	in := fullInput(b)
	for b.Loop() {
		_ = BuildScanView(in, Anonymous(), "zh", now)
	}
}

// BenchmarkScanViewJSON is the page as the web layer serves it.
func BenchmarkScanViewJSON(b *testing.B) {
	in := fullInput(b)
	for b.Loop() {
		if _, err := json.Marshal(BuildScanView(in, Regulator(), "en", now)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteSheetPDF renders one A4 page of 24 labels per iteration.
func BenchmarkWriteSheetPDF(b *testing.B) {
	codes := make([]Code, 24)
	for i := range codes {
		codes[i] = Code{hi: uint64(i), lo: uint64(i) * 7919}
	}
	for b.Loop() {
		if err := WriteSheetPDF(io.Discard, A4Layout(), LabelsFor(testBase, "", slices.Values(codes))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/24, "ns/label")
}

// BenchmarkWriteCSV generates and streams a full batch of MaxBatch codes.
func BenchmarkWriteCSV(b *testing.B) {
	for b.Loop() {
		var err error
		if werr := WriteCSV(io.Discard, Stop(Codes(MaxBatch), &err), testBase); werr != nil || err != nil {
			b.Fatal(werr, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/MaxBatch, "ns/code")
}
