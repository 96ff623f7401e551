package epcis

import (
	"errors"
	"testing"
	"time"

	"tracegate"
)

func TestScheduleNext(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name  string
		s     Schedule
		after string
		want  string
	}{
		{"top of the hour", Schedule{Second: "0", Minute: "0"}, "2026-11-23T08:00:00.5Z", "2026-11-23T09:00:00Z"},
		{"exactly at a query time: the next one", Schedule{Second: "0", Minute: "0"}, "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z"},
		{"2:30 every day", Schedule{Second: "0", Minute: "30", Hour: "2"}, "2026-11-23T03:00:00Z", "2026-11-24T02:30:00Z"},
		{"an omitted finer field matches every second", Schedule{Hour: "2"}, "2026-11-23T02:00:00Z", "2026-11-23T02:00:01Z"},
		{"hour 2 from before", Schedule{Hour: "2"}, "2026-11-23T01:59:59Z", "2026-11-23T02:00:00Z"},
		{"weekdays skip the weekend", Schedule{Second: "0", Minute: "0", DayOfWeek: "[1-5]"}, "2026-11-27T23:30:00Z", "2026-11-30T00:00:00Z"},
		{"list and range", Schedule{Second: "0", Minute: "0,[20-21],45"}, "2026-11-23T08:20:00Z", "2026-11-23T08:21:00Z"},
		{"29 February", Schedule{DayOfMonth: "29", Month: "2"}, "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"},
		{"the 31st of a short month is skipped", Schedule{Second: "0", Minute: "0", Hour: "0", DayOfMonth: "31", Month: "[4-6]"}, "2026-04-01T00:00:00Z", "2026-05-31T00:00:00Z"},
		{"other time zones are read in UTC", Schedule{Second: "0", Minute: "0", Hour: "1"}, "2026-11-23T08:00:00+08:00", "2026-11-23T01:00:00Z"},
		{"never", Schedule{DayOfMonth: "30", Month: "2"}, "2026-11-23T00:00:00Z", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.Next(at(tt.after))
			if tt.want == "" {
				if !got.IsZero() {
					t.Fatalf("%+v.Next(%s) = %v, want none", tt.s, tt.after, got)
				}
				return
			}
			if !got.Equal(at(tt.want)) {
				t.Fatalf("%+v.Next(%s) = %v, want %s", tt.s, tt.after, got, tt.want)
			}
		})
	}
}

func TestScheduleValidate(t *testing.T) {
	tests := []struct {
		s       Schedule
		pointer string // "" for valid
	}{
		{Schedule{Second: "0", Minute: "0"}, ""},
		{Schedule{Minute: " 5 , [10-12] "}, ""},
		{Schedule{DayOfWeek: "7", Month: "12", DayOfMonth: "31", Hour: "23", Minute: "59", Second: "59"}, ""},
		{Schedule{}, "/schedule"},
		{Schedule{Second: "60"}, "/schedule/second"},
		{Schedule{Hour: "24"}, "/schedule/hour"},
		{Schedule{DayOfMonth: "0"}, "/schedule/dayOfMonth"},
		{Schedule{Month: "13"}, "/schedule/month"},
		{Schedule{DayOfWeek: "0"}, "/schedule/dayOfWeek"},
		{Schedule{Minute: "[5-2]"}, "/schedule/minute"},
		{Schedule{Minute: "[5]"}, "/schedule/minute"},
		{Schedule{Minute: "*"}, "/schedule/minute"},
		{Schedule{Minute: "1,,2"}, "/schedule/minute"},
		{Schedule{Minute: "-1"}, "/schedule/minute"},
		{Schedule{DayOfMonth: "31", Month: "2"}, "/schedule"},
	}
	for _, tt := range tests {
		err := tt.s.Validate()
		if tt.pointer == "" {
			if err != nil {
				t.Errorf("%+v.Validate() = %v, want nil", tt.s, err)
			}
			continue
		}
		var te *tracegate.Error
		if !errors.As(err, &te) || te.Code != tracegate.EINVALID || te.Pointer != tt.pointer {
			t.Errorf("%+v.Validate() = %v, want EINVALID at %s", tt.s, err, tt.pointer)
		}
	}
}
