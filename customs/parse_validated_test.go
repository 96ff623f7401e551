package customs

import (
	"strings"
	"testing"

	"tracegate"
)

func TestParseValidated(t *testing.T) {
	inner := readSample(t, "CEB621")
	m, err := ParseValidated(inner, Version202205)
	if err != nil || m.MessageType() != "CEB621Message" {
		t.Fatalf("ParseValidated(sample) = %v, %v", m, err)
	}
	long := strings.Replace(string(inner), "<ceb:orderNo>", "<ceb:orderNo>"+strings.Repeat("1", 60), 1)
	_, err = ParseValidated([]byte(long), Version202205, Version2018)
	var e *tracegate.Error
	if tracegate.ErrorCode(err) != tracegate.EINVALID || !asErr(err, &e) || !strings.HasSuffix(e.Pointer, "/orderNo") {
		t.Fatalf("ParseValidated(long orderNo) = %v, want EINVALID at orderNo", err)
	}
	if _, err := ParseValidated([]byte("<x/>"), Version202205); tracegate.ErrorCode(err) != tracegate.EINVALID {
		t.Fatalf("ParseValidated(<x/>) = %v", err)
	}
	if _, err := ParseValidated(inner); tracegate.ErrorCode(err) != tracegate.EINVALID {
		t.Fatalf("ParseValidated(no version) = %v", err)
	}
}

func asErr(err error, e **tracegate.Error) bool {
	x, ok := err.(*tracegate.Error)
	*e = x
	return ok
}
