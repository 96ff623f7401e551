package label

// City is a city a scan can be placed in.
type City struct {
	Name     string // Chinese
	NameEN   string
	Lat, Lon float64
}

// cities are the places a coarse scan position is named after: China's
// large cities and the origins of the seeds' goods. A position further than
// cityRadiusKm from all of them gets no name.
var cities = []City{
	{"北京", "Beijing", 39.90, 116.41}, {"上海", "Shanghai", 31.23, 121.47}, {"广州", "Guangzhou", 23.13, 113.26},
	{"深圳", "Shenzhen", 22.54, 114.06}, {"天津", "Tianjin", 39.34, 117.36}, {"重庆", "Chongqing", 29.56, 106.55},
	{"成都", "Chengdu", 30.66, 104.07}, {"杭州", "Hangzhou", 30.27, 120.16}, {"南京", "Nanjing", 32.06, 118.80},
	{"武汉", "Wuhan", 30.59, 114.31}, {"西安", "Xi'an", 34.34, 108.94}, {"郑州", "Zhengzhou", 34.75, 113.63},
	{"长沙", "Changsha", 28.23, 112.94}, {"沈阳", "Shenyang", 41.81, 123.43}, {"哈尔滨", "Harbin", 45.80, 126.53},
	{"青岛", "Qingdao", 36.07, 120.38}, {"宁波", "Ningbo", 29.87, 121.54}, {"厦门", "Xiamen", 24.48, 118.09},
	{"福州", "Fuzhou", 26.07, 119.30}, {"昆明", "Kunming", 25.04, 102.71}, {"南宁", "Nanning", 22.82, 108.37},
	{"海口", "Haikou", 20.04, 110.20}, {"乌鲁木齐", "Ürümqi", 43.83, 87.62}, {"兰州", "Lanzhou", 36.06, 103.83},
	{"济南", "Jinan", 36.65, 117.12}, {"合肥", "Hefei", 31.82, 117.23}, {"南昌", "Nanchang", 28.68, 115.86},
	{"贵阳", "Guiyang", 26.65, 106.63}, {"太原", "Taiyuan", 37.87, 112.55}, {"石家庄", "Shijiazhuang", 38.04, 114.51},
	{"长春", "Changchun", 43.82, 125.32}, {"呼和浩特", "Hohhot", 40.84, 111.75}, {"拉萨", "Lhasa", 29.65, 91.17},
	{"香港", "Hong Kong", 22.32, 114.17}, {"澳门", "Macau", 22.20, 113.55}, {"台北", "Taipei", 25.03, 121.57},
	{"奥克兰", "Auckland", -36.85, 174.76}, {"墨尔本", "Melbourne", -37.81, 144.96}, {"悉尼", "Sydney", -33.87, 151.21},
	{"东京", "Tokyo", 35.68, 139.69}, {"首尔", "Seoul", 37.57, 126.98}, {"巴黎", "Paris", 48.86, 2.35},
	{"法兰克福", "Frankfurt", 50.11, 8.68}, {"洛杉矶", "Los Angeles", 34.05, -118.24}, {"纽约", "New York", 40.71, -74.01},
}

const cityRadiusKm = 150

// NearestCity names a coarse position after the nearest known city within
// 150 km; false when there is none. It never fails.
func NearestCity(lat, lon float64) (City, bool) {
	best, bestKm := City{}, float64(cityRadiusKm)
	found := false
	for _, c := range cities {
		if d := DistanceKm(lat, lon, c.Lat, c.Lon); d <= bestKm {
			best, bestKm, found = c, d, true
		}
	}
	return best, found
}
