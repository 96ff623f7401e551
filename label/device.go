package label

import "strings"

// DeviceClass is the kind of device a scan came from, all that a scan
// record keeps of the User-Agent.
type DeviceClass string

// Device classes.
const (
	DeviceUnknown DeviceClass = "unknown"
	DevicePhone   DeviceClass = "phone"
	DeviceTablet  DeviceClass = "tablet"
	DeviceDesktop DeviceClass = "desktop"
	DeviceBot     DeviceClass = "bot" // crawlers, link previews, scripts: never counted as scans
)

// ClassifyDevice tells the device class from a User-Agent header. Crawlers,
// chat-app link previews and HTTP libraries are bots; in-app browsers
// (WeChat, Alipay) count by the device they run on. An empty or unrecognised
// header is DeviceUnknown; it never fails.
func ClassifyDevice(userAgent string) DeviceClass {
	ua := strings.ToLower(userAgent)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(ua, w) {
				return true
			}
		}
		return false
	}
	switch {
	case ua == "":
		return DeviceUnknown
	case has("bot", "crawler", "spider", "slurp", "curl/", "wget/", "python-", "go-http-client", "java/",
		"okhttp", "headless", "facebookexternalhit", "whatsapp/", "preview", "monitor"):
		return DeviceBot
	case has("ipad", "tablet", "kindle", "silk/", "playbook") ||
		(strings.Contains(ua, "android") && !strings.Contains(ua, "mobile")):
		return DeviceTablet
	case has("iphone", "ipod", "mobile", "android", "harmonyos", "windows phone", "micromessenger"):
		return DevicePhone
	case has("windows nt", "macintosh", "mac os x", "x11", "linux", "cros"):
		return DeviceDesktop
	}
	return DeviceUnknown
}
