package label

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"strings"

	"tracegate"
)

// URL returns the resolver URL a label's QR code holds: baseURL (an https
// origin with an optional path prefix, without a trailing slash) + "/l/" +
// the compact code. It never fails; CheckBaseURL says whether baseURL is
// fit for labels.
func URL(baseURL string, c Code) string {
	var b strings.Builder
	b.Grow(len(baseURL) + 3 + CompactLen)
	b.WriteString(strings.TrimRight(baseURL, "/"))
	b.WriteString("/l/")
	b.Write(c.appendCompact(make([]byte, 0, CompactLen)))
	return b.String()
}

// CheckBaseURL checks that baseURL is an https URL without query or fragment,
// so that any phone camera opens the labels it is printed into. It fails with
// EINVALID pointing at /baseUrl.
func CheckBaseURL(baseURL string) error {
	rest, ok := strings.CutPrefix(baseURL, "https://")
	host, _, _ := strings.Cut(rest, "/")
	switch {
	case !ok:
		return tracegate.Invalidf("/baseUrl", "base URL %q must start with https://", baseURL)
	case host == "" || strings.ContainsAny(host, " @"):
		return tracegate.Invalidf("/baseUrl", "base URL %q has no valid host", baseURL)
	case strings.ContainsAny(rest, "?# \t\n"):
		return tracegate.Invalidf("/baseUrl", "base URL %q must not hold a query, a fragment or spaces", baseURL)
	}
	return nil
}

// WriteCSV streams codes to w as CSV with the header "code,url": the grouped
// code and its resolver URL (see URL), one row per code, CRLF-free. It
// buffers at most a few kilobytes, so a million codes stream in constant
// memory. It fails with EINVALID for a bad baseURL (CheckBaseURL), or with
// the first write error.
func WriteCSV(w io.Writer, codes iter.Seq[Code], baseURL string) error {
	if err := CheckBaseURL(baseURL); err != nil {
		return err
	}
	base := strings.TrimRight(baseURL, "/")
	if strings.ContainsAny(base, ",\"") { // keep every field free of quoting
		return tracegate.Invalidf("/baseUrl", "base URL %q must not hold commas or quotes", baseURL)
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.WriteString("code,url\n")
	row := make([]byte, 0, GroupedLen+len(base)+32)
	for c := range codes {
		row = c.appendGrouped(row[:0])
		row = append(row, ',')
		row = append(row, base...)
		row = append(row, "/l/"...)
		row = c.appendCompact(row)
		row = append(row, '\n')
		if _, err := bw.Write(row); err != nil {
			return fmt.Errorf("label: write csv: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("label: write csv: %w", err)
	}
	return nil
}
