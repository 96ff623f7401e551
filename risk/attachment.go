package risk

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"tracegate"
)

// MaxAttachmentBytes is the largest evidence attachment (a lab report, a
// photo) a signal or lab result may carry.
const MaxAttachmentBytes = 5 << 20

// Attachment is one piece of evidence: a PDF report or a PNG or JPEG
// photo, its type decided by its content, never by its name.
type Attachment struct {
	ID     int64  `json:"id,omitempty"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
	// Data is the content; JSON carries it as base64 in requests and never
	// in answers (GET …/attachments/{id} serves it).
	Data []byte `json:"data,omitempty"`
}

// SniffType returns the media type of b by its first bytes: application/pdf,
// image/png or image/jpeg, "" for anything else.
func SniffType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	}
	return ""
}

// Check sniffs the attachment's type, sets Type, Size and SHA256, and
// checks its name. It fails with EINVALID for an empty or unnamed
// attachment, a type other than PDF, PNG or JPEG (whatever it claims), and
// ETOOLARGE past MaxAttachmentBytes.
func (a *Attachment) Check() error {
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" || len(a.Name) > MaxText || !utf8.ValidString(a.Name) || strings.ContainsAny(a.Name, "/\\\x00") {
		return tracegate.Invalidf("/name", "an attachment needs a file name of at most %d bytes without slashes", MaxText)
	}
	if len(a.Data) == 0 {
		return tracegate.Invalidf("/data", "attachment %q is empty", a.Name)
	}
	if len(a.Data) > MaxAttachmentBytes {
		return &tracegate.Error{Code: tracegate.ETOOLARGE, Pointer: "/data", Message: "attachment " + strconv.Quote(a.Name) + " is " + strconv.Itoa(len(a.Data)) + " bytes, at most " + strconv.Itoa(MaxAttachmentBytes)}
	}
	t := SniffType(a.Data)
	if t == "" {
		return tracegate.Invalidf("/data", "attachment %q is not a PDF, PNG or JPEG file (by its content)", a.Name)
	}
	if a.Type != "" && a.Type != t {
		return tracegate.Invalidf("/type", "attachment %q is declared %s but its content is %s", a.Name, a.Type, t)
	}
	a.Type, a.Size = t, len(a.Data)
	sum := sha256.Sum256(a.Data)
	a.SHA256 = hex.EncodeToString(sum[:])
	return nil
}

func asError(err error, e **tracegate.Error) bool { return errorsAs(err, e) }

func itoa(i int) string { return strconv.Itoa(i) }

func errorsAs[T error](err error, target *T) bool { return errors.As(err, target) }
