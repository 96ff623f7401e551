package label

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"net"
	"strings"
	"unicode/utf8"

	"tracegate"
)

// DefaultCaption is the caption of a label whose product is not named.
const DefaultCaption = "扫码验真 Scan to verify"

// Layout is the geometry of a printable sheet, in millimetres: a grid of
// Cols × Rows labels per page. Build one with A4Layout or RollLayout, or
// fill it in for other label stock.
type Layout struct {
	Name                    string  // for people: "A4 3×8"
	PageWidth, PageHeight   float64 // the page
	MarginLeft, MarginTop   float64 // from the page edge to the first label
	Cols, Rows              int     // labels across and down
	LabelWidth, LabelHeight float64 // one label
	GapX, GapY              float64 // between labels
}

// A4Layout is a sheet of 24 labels (3 × 8, 64 × 33.9 mm) on A4 paper.
func A4Layout() Layout {
	return Layout{Name: "A4 3x8", PageWidth: 210, PageHeight: 297, MarginLeft: 6.5, MarginTop: 12.9,
		Cols: 3, Rows: 8, LabelWidth: 64, LabelHeight: 33.9, GapX: 2.5}
}

// RollLayout is a roll of 40 × 30 mm labels for a label printer, one label a page.
func RollLayout() Layout {
	return Layout{Name: "roll 40x30", PageWidth: 40, PageHeight: 30, Cols: 1, Rows: 1, LabelWidth: 40, LabelHeight: 30}
}

// Check checks that l's labels fit on its page and are big enough for a
// code. It fails with EINVALID pointing at /layout.
func (l Layout) Check() error {
	w := l.MarginLeft + float64(l.Cols)*l.LabelWidth + float64(l.Cols-1)*l.GapX
	h := l.MarginTop + float64(l.Rows)*l.LabelHeight + float64(l.Rows-1)*l.GapY
	switch {
	case l.Cols < 1 || l.Rows < 1:
		return tracegate.Invalidf("/layout", "a layout needs at least one column and one row")
	case l.LabelWidth < 20 || l.LabelHeight < 20:
		return tracegate.Invalidf("/layout", "labels must be at least 20 × 20 mm, not %.1f × %.1f", l.LabelWidth, l.LabelHeight)
	case l.PageWidth > 1000 || l.PageHeight > 1000 || w > l.PageWidth+0.01 || h > l.PageHeight+0.01:
		return tracegate.Invalidf("/layout", "%d × %d labels of %.1f × %.1f mm do not fit a %.1f × %.1f mm page",
			l.Cols, l.Rows, l.LabelWidth, l.LabelHeight, l.PageWidth, l.PageHeight)
	}
	return nil
}

// Label is one label to print: its code, the URL its QR code holds (see
// URL) and a one-line caption (DefaultCaption when empty).
type Label struct {
	Code    Code
	URL     string
	Caption string
}

// LabelsFor turns codes into labels that point at baseURL and carry caption.
// It never fails; WriteSheetPDF checks the URLs.
func LabelsFor(baseURL, caption string, codes iter.Seq[Code]) iter.Seq[Label] {
	return func(yield func(Label) bool) {
		for c := range codes {
			if !yield(Label{Code: c, URL: URL(baseURL, c), Caption: caption}) {
				return
			}
		}
	}
}

// WriteSheetPDF streams a PDF of labels laid out by layout: each label shows
// the QR code of its URL (error correction Q, with its quiet zone), the
// grouped code in a monospaced font, and its caption. The caption's ASCII is
// set in Helvetica and the rest in the predefined STSong-Light CJK font, which
// the viewer supplies (no font is embedded). Captions too long for the label are
// cut. Pages are written as they fill, so memory does not grow with the
// number of labels; an empty sequence gives one blank page.
//
// It fails with EINVALID for a bad layout or a label whose URL is empty or
// too long for a QR code, and with the first write error.
func WriteSheetPDF(w io.Writer, layout Layout, labels iter.Seq[Label]) error {
	if err := layout.Check(); err != nil {
		return err
	}
	p := newPDF(w, layout.PageWidth, layout.PageHeight)
	perPage, onPage := layout.Cols*layout.Rows, 0
	var qe qrEncoder
	for lb := range labels {
		m, err := qe.encode(lb.URL)
		if err != nil {
			return err
		}
		col, row := onPage%layout.Cols, onPage/layout.Cols
		x := layout.MarginLeft + float64(col)*(layout.LabelWidth+layout.GapX)
		y := layout.MarginTop + float64(row)*(layout.LabelHeight+layout.GapY)
		drawLabel(p, layout, x, y, m, lb)
		if onPage++; onPage == perPage {
			p.endPage()
			onPage = 0
		}
		if p.err != nil {
			break
		}
	}
	if onPage > 0 || len(p.kids) == 0 {
		p.endPage()
	}
	return p.close()
}

// drawLabel draws one label with its top left corner at (x, y) mm. A wide
// label puts the text beside the QR code, a squarish one below it.
func drawLabel(p *pdf, l Layout, x, y float64, m *matrix, lb Label) {
	pad := min(2, l.LabelHeight/15)
	w, h := l.LabelWidth-2*pad, l.LabelHeight-2*pad
	x, y = x+pad, y+pad
	code := lb.Code.String()
	caption := lb.Caption
	if caption == "" {
		caption = DefaultCaption
	}
	if w >= 1.6*h { // QR left, text right: caption, then the code on two lines
		drawQR(p, x, y, h, m)
		tx, tw := x+h+1, w-h-1
		line1, line2 := code[:14], code[15:]
		size := min(9, monoSize(tw, len(line1)))
		p.text(fontMono, size, tx, y+h/2-1, line1)
		p.text(fontMono, size, tx, y+h/2+size/ptPerMM+0.5, line2)
		drawCaption(p, tx, y+h/2-size/ptPerMM-3, tw, min(7, size), caption)
		return
	}
	capSize := min(6, h*0.08*ptPerMM)
	codeSize := min(8, monoSize(w, len(code)))
	q := min(w, h-(codeSize+capSize)/ptPerMM-2)
	drawQR(p, x+(w-q)/2, y, q, m)
	cw := float64(len(code)) * 0.6 * codeSize / ptPerMM
	p.text(fontMono, codeSize, x+(w-cw)/2, y+q+codeSize/ptPerMM+0.3, code)
	drawCaption(p, x, y+h, w, capSize, caption)
}

// monoSize is the Courier size in points at which n characters fill width mm.
func monoSize(width float64, n int) float64 { return width * ptPerMM / (0.6 * float64(n)) }

// drawQR draws m with its quiet zone in a square of side mm at (x, y).
func drawQR(p *pdf, x, y, side float64, m *matrix) {
	mod := side / float64(m.size+2*quietZone)
	p.modules(x+quietZone*mod, y+quietZone*mod, mod, m)
}

// drawCaption writes s centred in width mm with its baseline at y, shrunk
// down to 5 points and then cut to fit. ASCII runs are set in Helvetica and
// the rest in the CJK font.
func drawCaption(p *pdf, x, y, width, size float64, s string) {
	s = strings.Join(strings.Fields(s), " ")
	if tw := textWidth(size, s); tw > width {
		size = max(5, size*width/tw)
	}
	for textWidth(size, s) > width && s != "" {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	x += (width - textWidth(size, s)) / 2
	for s != "" {
		n, font := 0, fontSans
		for i, r := range s {
			f := fontSans
			if r >= utf8.RuneSelf {
				f = fontCJK
			}
			if i == 0 {
				font = f
			} else if f != font {
				break
			}
			n = i + utf8.RuneLen(r)
		}
		p.text(font, size, x, y, s[:n])
		x += textWidth(size, s[:n])
		s = s[n:]
	}
}

// textWidth is the width of s in mm at size points: Helvetica's metrics for
// ASCII, an em for anything else (set in the CJK font).
func textWidth(size float64, s string) float64 {
	units := 0
	for _, r := range s {
		switch {
		case r >= 32 && r <= 126:
			units += helvetica[r-32]
		default:
			units += 1000
		}
	}
	return float64(units) * size / 1000 / ptPerMM
}

// helvetica holds the advance widths of Helvetica's ASCII characters 32–126
// (Adobe's AFM), in thousandths of an em.
var helvetica = [95]int{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space … /
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 … ?
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ … O
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P … _
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` … o
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p … ~
}

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
// so that any phone camera opens the labels it is printed into. Plain http is
// accepted only for a loopback host (127.0.0.1, [::1], localhost), which no
// phone reaches: the demo's labels point at the demo itself. It fails with
// EINVALID pointing at /baseUrl.
func CheckBaseURL(baseURL string) error {
	rest, ok := strings.CutPrefix(baseURL, "https://")
	if r, plain := strings.CutPrefix(baseURL, "http://"); plain {
		rest, ok = r, isLoopbackHost(r)
	}
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

// isLoopbackHost reports whether the authority at the start of rest is a
// loopback host, with or without a port.
func isLoopbackHost(rest string) bool {
	host, _, _ := strings.Cut(rest, "/")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
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
